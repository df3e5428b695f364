package dev.cnnc.benchmarks;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.function.Function;
import picocli.CommandLine;

/** Runs a tool's command line as a user would, and where the generated samples are for it to load. */
final class CommandRun {
    private CommandRun() {}

    /** The exit code, the standard output and the error output of {@code tool} (made to print to the given stream). */
    static String[] run(Function<PrintStream, Object> tool, String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        StringWriter err = new StringWriter();
        int code = new CommandLine(tool.apply(new PrintStream(out, true, StandardCharsets.UTF_8)))
                .setErr(new PrintWriter(err, true)).execute(args);
        return new String[] {Integer.toString(code), out.toString(StandardCharsets.UTF_8), err.toString()};
    }

    /** Where {@code generated} (a sample's generated class) is on this test's class path: a directory or the jar. */
    static Path location(Class<?> generated) throws Exception {
        return Paths.get(generated.getProtectionDomain().getCodeSource().getLocation().toURI());
    }
}
