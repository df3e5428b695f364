package dev.cnnc.benchmarks;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.concurrent.TimeUnit;

/**
 * A {@code torch_lenet.py --serve} process: PyTorch running one network on request, one line asked and
 * one number answered at a time ({@code train THREADS STEPS}, {@code latency THREADS MILLIS}; the
 * script's docstring). The script is {@code <cnnc.peers.dir>/torch_lenet.py} (default {@code peers}, as
 * from {@code benchmarks/}), run by {@code cnnc.python} (default {@code /usr/bin/python3}, Debian's
 * python3-torch).
 */
final class TorchServer implements AutoCloseable {
    private final Process python;
    private final BufferedReader answers;
    private final Writer requests;

    /** Starts the script for {@code network} and waits for its "ready". */
    TorchServer(BenchmarkNetwork network) throws IOException {
        Path script = Paths.get(System.getProperty("cnnc.peers.dir", "peers"), "torch_lenet.py").toAbsolutePath();
        if (!Files.isRegularFile(script)) {
            throw new IOException(script + " does not exist: run from benchmarks/ or set -Dcnnc.peers.dir");
        }
        python = new ProcessBuilder(System.getProperty("cnnc.python", "/usr/bin/python3"), script.toString(), "--serve",
                network.peerName).redirectError(ProcessBuilder.Redirect.INHERIT).start();
        answers = new BufferedReader(new InputStreamReader(python.getInputStream(), StandardCharsets.UTF_8));
        requests = new OutputStreamWriter(python.getOutputStream(), StandardCharsets.UTF_8);
        String first = answers.readLine();
        if (!"ready".equals(first)) {
            python.destroyForcibly();
            throw new IOException(script + " --serve " + network.peerName + " did not start"
                    + (first == null ? " (see its errors above)" : ": it said " + first));
        }
    }

    /** Sends one request line and returns the number it answers. */
    double ask(String request) throws IOException {
        requests.write(request + "\n");
        requests.flush();
        String answer = answers.readLine();
        if (answer == null || !answer.matches("[0-9]+(\\.[0-9]+)?")) {
            throw new IOException("torch_lenet.py --serve answered " + answer + " to " + request);
        }
        return Double.parseDouble(answer);
    }

    @Override
    public void close() throws InterruptedException {
        try {
            requests.close(); // the end of its input ends the script
        } catch (IOException e) {
            // already gone
        }
        if (!python.waitFor(10, TimeUnit.SECONDS)) {
            python.destroyForcibly();
        }
    }
}
