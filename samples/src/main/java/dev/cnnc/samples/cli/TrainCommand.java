package dev.cnnc.samples.cli;

import java.io.IOException;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.ParentCommand;

/** {@code cnnc train}: the main job (see {@link TrainingRun}). */
@Command(name = "train", mixinStandardHelpOptions = true,
    description = {"Train a network, evaluate it on the test set, save weights and an HTML report, "
        + "and predict a few test images.",
        "Files go to OUT (default target/cnnc-run): NETWORK.weights, NETWORK.normalization, "
            + "NETWORK-report.html, NETWORK-test-images/."})
final class TrainCommand implements Callable<Integer> {
    @ParentCommand
    CnncCommand parent;
    @Mixin
    ModelOptions model;
    @Mixin
    DataOption data;
    @Mixin
    TrainingOptions training;

    @Override
    public Integer call() throws IOException {
        new TrainingRun(model, data, training, parent.out()).run();
        return 0;
    }
}
