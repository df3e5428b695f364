package dev.cnnc.samples.cli;

import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;

/** {@code cnnc summary}: the model summary that javac printed while compiling the networks. */
@Command(name = "summary", mixinStandardHelpOptions = true,
    description = "Print the model summary (layers, output shapes, parameters) of one network or of all.")
final class SummaryCommand implements Callable<Integer> {
    @ParentCommand
    CnncCommand parent;

    @Option(names = "--network", paramLabel = "NAME", converter = ChoiceConverters.Network.class,
        description = "fashion-lenet, fashion-cnn3, cifar-lenet or cifar-cnn3 (default: all)")
    NetworkChoice network;

    @Override
    public Integer call() {
        for (NetworkChoice choice : NetworkChoice.values()) {
            if (network == null || network == choice) {
                parent.out().println(choice.cliName() + ": " + choice.description() + " (" + choice.dataSet().title()
                    + ")");
                parent.out().println(choice.newModel().summary());
                parent.out().println();
            }
        }
        return 0;
    }
}
