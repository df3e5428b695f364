package dev.cnnc.samples.cli;

import dev.cnnc.runtime.TrainableModel;
import dev.cnnc.runtime.data.LabeledImages;
import dev.cnnc.samples.report.ImageFiles;
import java.io.File;
import java.io.IOException;
import java.io.PrintStream;
import java.util.Locale;

/**
 * After training: the predictions for the first few test images, each saved as a PNG (pixels as
 * read, 0 black and 1 white) so {@code cnnc predict} can be tried on them.
 */
final class TestImagePredictions {
    private TestImagePredictions() {
    }

    static void print(TrainableModel model, LabeledImages test, LabeledImages rawTest, int count, File directory,
                      PrintStream out) throws IOException {
        int shown = Math.min(count, test.count());
        if (shown == 0) {
            return;
        }
        RunFiles.checkWritable(directory);
        out.println("predictions for the first " + shown + " test images:");
        Predictor predictor = new Predictor(model);
        for (int i = 0; i < shown; i++) {
            float[] probabilities = predictor.probabilities(test.images(), test.imageOffset(i));
            int predicted = Predictor.argMax(probabilities);
            int label = test.label(i);
            File png = new File(directory, i + "-" + fileSafe(test.className(label)) + ".png");
            ImageFiles.writePng(ImageFiles.toImage(rawTest.images(), rawTest.imageOffset(i), rawTest.channels(),
                rawTest.height(), rawTest.width(), 0f, 1f, 1), png);
            out.printf(Locale.ROOT, "  %-12s %5.1f%%  %-7s  %s%n", test.className(predicted), 100 * probabilities[predicted],
                predicted == label ? "correct" : "wrong (" + test.className(label) + ")", png.getPath());
        }
    }

    /** A class name as part of a file name: "T-shirt/top" becomes "T-shirt_top". */
    static String fileSafe(String name) {
        return name.replaceAll("[^A-Za-z0-9-]+", "_");
    }
}
