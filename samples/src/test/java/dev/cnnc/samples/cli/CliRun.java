package dev.cnnc.samples.cli;

import dev.cnnc.samples.Cnnc;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;

/** One run of the command line with its output captured: exit status, standard output and error. */
record CliRun(int status, String out, String err) {
    static CliRun of(String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        try (PrintStream outStream = new PrintStream(out, true, StandardCharsets.UTF_8);
             PrintStream errStream = new PrintStream(err, true, StandardCharsets.UTF_8)) {
            int status = Cnnc.commandLine(outStream, errStream).execute(args);
            return new CliRun(status, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
        }
    }

    /** Everything printed, for assertion messages. */
    String transcript() {
        return "exit " + status + "\n--- out ---\n" + out + "--- err ---\n" + err;
    }
}
