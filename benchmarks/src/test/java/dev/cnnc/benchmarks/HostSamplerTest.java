package dev.cnnc.benchmarks;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code scripts/host_sampler.py}, which compare-peers.sh runs beside a run: one line per interval
 * with every CPU's busy and steal share and the processes that used the most CPU, a busy loop
 * started for the purpose among them.
 */
class HostSamplerTest {

    @Test
    void eachLineNamesEveryCpuAndTheBusiestProcesses(@TempDir Path dir) throws Exception {
        Path output = dir.resolve("host.txt");
        Process busy = new ProcessBuilder("sh", "-c", "while :; do :; done").start();
        try {
            Result result = sampler(output.toString(), "--interval", "0.5", "--samples", "2");
            assertEquals(0, result.exitValue, result.output);
        } finally {
            busy.destroyForcibly();
        }
        List<String> lines = Files.readAllLines(output);
        assertEquals(2, lines.size(), String.join("\n", lines));
        int cpus = Runtime.getRuntime().availableProcessors();
        for (String line : lines) {
            assertTrue(line.matches("\\d\\d:\\d\\d:\\d\\d \\| .*"), line);
            for (int cpu = 0; cpu < cpus; cpu++) {
                assertTrue(line.matches(".*\\| cpu" + cpu + " busy +\\d+% steal +\\d+% \\|.*"), line);
            }
            // the loop takes most of a CPU, whatever else the test machine runs
            assertTrue(line.matches(".*top: .*\\d+% sh " + busy.pid() + "\\b.*"), line);
        }
    }

    @Test
    void aNonPositiveIntervalIsRefusedByName(@TempDir Path dir) throws Exception {
        Result result = sampler(dir.resolve("host.txt").toString(), "--interval", "0");
        assertEquals(2, result.exitValue, result.output);
        assertTrue(result.output.contains("--interval must be positive, got 0"), result.output);
        assertTrue(Files.notExists(dir.resolve("host.txt")), "no output for a refused run");
    }

    private record Result(int exitValue, String output) {
    }

    /** Runs the script; the test runs in the benchmarks module, where it is. */
    private static Result sampler(String... arguments) throws Exception {
        List<String> command = new ArrayList<>(List.of("python3", "scripts/host_sampler.py"));
        command.addAll(List.of(arguments));
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(process.waitFor(60, TimeUnit.SECONDS), "host_sampler.py did not finish");
        return new Result(process.exitValue(), output);
    }
}
