package dev.cnnc.samples.cli;

import dev.cnnc.runtime.TrainingDivergedException;
import java.io.IOException;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

/** The top-level {@code cnnc} command: without a subcommand it is {@code train}, the main job. */
@Command(name = "cnnc", mixinStandardHelpOptions = true, version = "cnnc samples 0.1.0",
    description = {"Convolutional networks compiled at javac time: train, evaluate and use them.",
        "Without a command: train (the main job), by default the Fashion-MNIST LeNet-5 on "
            + "/usr/share/datasets/fashion-mnist, with the options below."},
    subcommands = {TrainCommand.class, EvaluateCommand.class, PredictCommand.class, SummaryCommand.class,
        EdgesCommand.class, ShiftCommand.class, TorchCommand.class, CommandLine.HelpCommand.class})
public final class CnncCommand implements Callable<Integer> {
    @Mixin
    ModelOptions model;
    @Mixin
    DataOption data;
    @Mixin
    TrainingOptions training;

    private final PrintStream out;

    CnncCommand(PrintStream out) {
        this.out = out;
    }

    /** Where commands print results and progress. */
    PrintStream out() {
        return out;
    }

    @Override
    public Integer call() throws IOException {
        new TrainingRun(model, data, training, out).run();
        return 0;
    }

    /**
     * The command line printing to {@code out} and {@code err}. Argument errors exit with 2 and the
     * usage; failures the user can fix (missing data or weights, corrupt files) print one message
     * naming the file and exit with 1.
     */
    public static CommandLine commandLine(PrintStream out, PrintStream err) {
        CommandLine commandLine = new CommandLine(new CnncCommand(out));
        commandLine.setOut(new PrintWriter(out, true));
        commandLine.setErr(new PrintWriter(err, true));
        commandLine.setExecutionExceptionHandler((exception, failed, parseResult) -> {
            out.flush();
            String command = failed.getCommandSpec().qualifiedName(); // e.g. "cnnc torch compare"
            if (isExplained(exception)) {
                err.println(command + ": " + exception.getMessage());
            } else {
                err.println(command + ": internal error, please report: " + exception);
                exception.printStackTrace(err);
            }
            err.flush();
            return 1;
        });
        return commandLine;
    }

    /** Exceptions whose message says all the user needs: which file or option, and what is wrong. */
    private static boolean isExplained(Exception exception) {
        return exception instanceof CommandFailure || exception instanceof IOException
            || exception instanceof UncheckedIOException || exception instanceof IllegalArgumentException
            || exception instanceof TrainingDivergedException;
    }
}
