package dev.cnnc.samples.cli;

import dev.cnnc.runtime.Adam;
import dev.cnnc.runtime.Evaluation;
import dev.cnnc.runtime.History;
import dev.cnnc.runtime.TrainableModel;
import dev.cnnc.runtime.Trainer;
import dev.cnnc.runtime.WeightsFile;
import java.io.File;
import java.io.IOException;
import java.io.PrintStream;
import java.util.Locale;

/**
 * The main job: read the data, train, evaluate on the test set, print the confusion matrix, save
 * the weights, normalization and HTML report, and predict a few test images. Every file is written
 * to a temporary file and renamed, so an interrupted run never leaves half a file; no file is
 * written before training has succeeded (only the output directory is created up front, to fail early).
 */
final class TrainingRun {
    private final ModelOptions model;
    private final DataOption data;
    private final TrainingOptions training;
    private final PrintStream out;

    TrainingRun(ModelOptions model, DataOption data, TrainingOptions training, PrintStream out) {
        this.model = model;
        this.data = data;
        this.training = training;
        this.out = out;
    }

    void run() throws IOException {
        training.check();
        NetworkChoice network = model.network();
        DataSetChoice dataSet = network.dataSet();
        File directory = dataSet.resolveDirectory(data.data);
        RunFiles.checkWritable(model.out);

        out.printf(Locale.ROOT, "cnnc: training %s on %s from %s%n", network.cliName(), dataSet.title(), directory);
        DataSplits splits = DataSplits.read(dataSet, directory, training.limit, training.validation);
        String settings = String.format(Locale.ROOT,
            "%,d train + %,d validation + %,d test images \u00b7 Adam lr %s (%s), batch %d, %d epochs, seed %d%s",
            splits.train.count(), splits.validation == null ? 0 : splits.validation.count(), splits.test.count(),
            Float.toString(training.learningRate), training.schedule, training.batchSize, training.epochs, training.seed,
            training.augment ? ", flips and " + EpochAugmenter.PADDING + "-pixel crops" : "");
        out.println(settings + " \u00b7 " + training.threads() + " threads");
        out.println("normalization: " + splits.normalization);

        TrainableModel trainable = network.newModel();
        out.println(trainable.summary());
        Trainer.Builder builder = Trainer.builder(trainable)
            .optimizer(new Adam(training.learningRate))
            .schedule(training.schedule())
            .batchSize(training.batchSize)
            .epochs(training.epochs)
            .seed(training.seed)
            .threads(training.threads())
            .progress(out);
        if (splits.validation != null) {
            builder.validation(splits.validation.toDataset());
        }
        if (training.augment) {
            builder.listener(new EpochAugmenter(splits.train, training.seed));
        }
        History history = builder.build().fit(splits.train.toDataset());

        Evaluation evaluation = Evaluation.of(trainable, splits.test.toDataset(), training.threads());
        out.println();
        out.println("test set: " + evaluation.format());

        File weights = model.weightsFile();
        RunFiles.createParent(weights);
        WeightsFile.save(trainable, weights);
        File normalization = model.normalizationFile();
        splits.normalization.save(normalization);
        File report = model.reportFile();
        ReportBuilder.build(network, trainable, settings, history, evaluation, splits.rawTest, splits.test).write(report);

        TestImagePredictions.print(trainable, splits.test, splits.rawTest, training.show,
            model.testImagesDirectory(), out);
        out.println("weights:       " + weights.getPath());
        out.println("normalization: " + normalization.getPath());
        out.println("report:        " + report.getPath());
        out.printf(Locale.ROOT, "test accuracy %.4f after %d epochs (%.1f s per epoch)%n", evaluation.accuracy(),
            history.epochs(), meanSeconds(history));
    }

    private static double meanSeconds(History history) {
        double total = 0;
        for (int e = 0; e < history.epochs(); e++) {
            total += history.seconds(e);
        }
        return history.epochs() == 0 ? 0 : total / history.epochs();
    }
}
