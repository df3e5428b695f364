package dev.cnnc.samples.cli;

import dev.cnnc.samples.report.ImageFiles;
import java.io.File;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

/**
 * {@code cnnc predict IMAGE...}: the most probable classes of image files (PNG, JPEG, ...), each
 * converted to the network's channels, resized to its input and normalized as in training.
 */
@Command(name = "predict", mixinStandardHelpOptions = true,
    description = {"Classify image files (PNG, JPEG, BMP, GIF) with trained weights.",
        "Each image is converted to the network's channels, resized bilinearly to its input size and normalized "
            + "like the training data. Fashion-MNIST items are light on a black background."})
final class PredictCommand implements Callable<Integer> {
    @ParentCommand
    CnncCommand parent;
    @Mixin
    ModelOptions model;

    @Option(names = "--top", paramLabel = "K", defaultValue = "3",
        description = "classes to show per image (default: ${DEFAULT-VALUE})")
    int top;

    @Parameters(paramLabel = "IMAGE", arity = "1..*", description = "image files")
    List<File> images = new ArrayList<>();

    @Override
    public Integer call() throws IOException {
        TrainedModel trained = TrainedModel.load(model);
        DataSetChoice dataSet = trained.network.dataSet();
        String[] classNames = dataSet.classNames();
        int shown = Math.max(1, Math.min(top, classNames.length));
        Predictor predictor = new Predictor(trained.model);
        for (File file : images) {
            float[] image = ImageFiles.readChw(file, dataSet.channels(), dataSet.height(), dataSet.width());
            trained.normalization.applyToImage(image, 0, dataSet.height() * dataSet.width());
            float[] probabilities = predictor.probabilities(image, 0);
            StringBuilder line = new StringBuilder(file.getPath()).append(':');
            for (int rank = 0; rank < shown; rank++) {
                int best = Predictor.argMax(probabilities);
                line.append(String.format(Locale.ROOT, "  %s %.1f%%", classNames[best], 100 * probabilities[best]));
                probabilities[best] = Float.NEGATIVE_INFINITY;
            }
            parent.out().println(line);
        }
        return 0;
    }
}
