package dev.cnnc.samples;

import dev.cnnc.samples.cli.CnncCommand;
import java.io.PrintStream;
import picocli.CommandLine;

/**
 * The samples' command line: {@code train} (also what runs with no arguments: the main job on
 * Fashion-MNIST), {@code evaluate}, {@code predict}, {@code summary}, the lecture's lessons
 * {@code edges} and {@code shift}, and {@code torch} (weights to and from PyTorch). {@code cnnc --help}
 * and {@code cnnc help COMMAND} list the options.
 *
 * <pre>
 * mvn -B -q -pl samples exec:java                                      # the main job
 * mvn -B -q -pl samples exec:java -Dexec.args="--dataset cifar10 --data DIR"
 * </pre>
 */
public final class Cnnc {
    private Cnnc() {
    }

    public static void main(String[] args) {
        int status = CnncCommand.commandLine(System.out, System.err).execute(args);
        // exec:java runs us inside Maven's JVM: exit only to report a failure, so a success ends normally.
        if (status != 0) {
            System.exit(status);
        }
    }

    /** The configured command line, for tests: {@code commandLine(out, err).execute(args)} returns the exit status. */
    public static CommandLine commandLine(PrintStream out, PrintStream err) {
        return CnncCommand.commandLine(out, err);
    }
}
