package dev.cnnc.samples.cli;

import dev.cnnc.runtime.Evaluation;
import dev.cnnc.runtime.data.LabeledImages;
import java.io.File;
import java.io.IOException;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.ParentCommand;

/** {@code cnnc evaluate}: accuracy, per-class figures and the confusion matrix of trained weights on the test set. */
@Command(name = "evaluate", mixinStandardHelpOptions = true,
    description = "Evaluate trained weights on the test set: accuracy, precision/recall per class, confusion matrix.")
final class EvaluateCommand implements Callable<Integer> {
    @ParentCommand
    CnncCommand parent;
    @Mixin
    ModelOptions model;
    @Mixin
    DataOption data;

    @Mixin
    ThreadsOption threads;

    @Override
    public Integer call() throws IOException {
        TrainedModel trained = TrainedModel.load(model);
        DataSetChoice dataSet = trained.network.dataSet();
        File directory = dataSet.resolveDirectory(data.data);
        LabeledImages test = DataSplits.readSplit(dataSet, directory, false, null);
        trained.normalization.apply(test);
        Evaluation evaluation = Evaluation.of(trained.model, test.toDataset(), threads.threads());
        parent.out().println(trained.network.cliName() + " (" + trained.weightsFile.getPath() + ") on the "
            + dataSet.title() + " test set from " + directory + ":");
        parent.out().println(evaluation.format());
        return 0;
    }
}
