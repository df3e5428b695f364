package dev.cnnc.samples.cli;

import dev.cnnc.runtime.data.Augmentation;
import dev.cnnc.runtime.data.LabeledImages;
import java.io.File;
import java.io.IOException;
import java.io.PrintStream;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;

/**
 * {@code cnnc shift}: the lecture's translation invariance, measured. Test images are moved by
 * whole pixels left/right and up/down (the uncovered border filled with black, the background of
 * the data), classified by a trained network, and for each shift the command reports how often the
 * class stays the one predicted for the unshifted image, and how often it is still correct.
 * Convolutions and max pooling make small shifts change little; large ones eventually do.
 */
@Command(name = "shift", mixinStandardHelpOptions = true,
    description = "Classify shifted copies of test images with trained weights and report how often the class holds.")
final class ShiftCommand implements Callable<Integer> {
    @ParentCommand
    CnncCommand parent;
    @Mixin
    ModelOptions model;
    @Mixin
    DataOption data;

    @Option(names = "--count", paramLabel = "N", defaultValue = "1000",
        description = "test images to shift (default: ${DEFAULT-VALUE})")
    int count;

    @Option(names = "--max-shift", paramLabel = "PIXELS", defaultValue = "4",
        description = "largest shift in each direction (default: ${DEFAULT-VALUE})")
    int maxShift;

    @Override
    public Integer call() throws IOException {
        if (count < 1) {
            throw new CommandFailure("--count must be at least 1, was " + count);
        }
        TrainedModel trained = TrainedModel.load(model);
        DataSetChoice dataSet = trained.network.dataSet();
        if (maxShift < 0 || maxShift >= Math.min(dataSet.height(), dataSet.width())) {
            throw new CommandFailure("--max-shift must be in [0, " + Math.min(dataSet.height(), dataSet.width())
                + "), was " + maxShift);
        }
        File directory = dataSet.resolveDirectory(data.data);
        LabeledImages test = DataSplits.readSplit(dataSet, directory, false, count);
        int shifts = 2 * maxShift + 1;
        // [direction 0 horizontal, 1 vertical][shift + maxShift]
        int[][] sameClass = new int[2][shifts];
        int[][] correct = new int[2][shifts];
        int[] unshifted = predictAll(trained, test, 0, 0);
        for (int direction = 0; direction < 2; direction++) {
            for (int shift = -maxShift; shift <= maxShift; shift++) {
                int[] predictions = direction == 0 ? predictAll(trained, test, 0, shift) : predictAll(trained, test, shift, 0);
                for (int i = 0; i < test.count(); i++) {
                    sameClass[direction][shift + maxShift] += predictions[i] == unshifted[i] ? 1 : 0;
                    correct[direction][shift + maxShift] += predictions[i] == test.label(i) ? 1 : 0;
                }
            }
        }
        print(parent.out(), trained.network, test.count(), sameClass, correct);
        return 0;
    }

    /** Predictions for every image moved {@code down} rows and {@code right} columns (negative: up, left). */
    private int[] predictAll(TrainedModel trained, LabeledImages test, int down, int right) {
        Predictor predictor = new Predictor(trained.model);
        int size = test.imageSize();
        int planeSize = test.height() * test.width();
        // The crop of a zero-padded image at offset (padding - down, padding - right) is the image moved by (down, right).
        Augmentation.Choice move = new Augmentation.Choice(false, maxShift - down, maxShift - right);
        float[] moved = new float[size];
        int[] predictions = new int[test.count()];
        for (int i = 0; i < test.count(); i++) {
            Augmentation.transform(test.images(), test.imageOffset(i), test.channels(), test.height(), test.width(),
                maxShift, move, moved, 0);
            trained.normalization.applyToImage(moved, 0, planeSize);
            predictions[i] = predictor.predict(moved, 0);
        }
        return predictions;
    }

    private void print(PrintStream out, NetworkChoice network, int images, int[][] sameClass, int[][] correct) {
        out.printf(Locale.ROOT, "%s on %,d %s test images moved by whole pixels (border filled with black):%n",
            network.cliName(), images, network.dataSet().title());
        out.println("shift   right(+)/left(-): same class  accuracy   down(+)/up(-): same class  accuracy");
        for (int shift = -maxShift; shift <= maxShift; shift++) {
            int at = shift + maxShift;
            out.printf(Locale.ROOT, "%+5d   %26.1f%%  %7.1f%%   %23.1f%%  %7.1f%%%n", shift,
                100.0 * sameClass[0][at] / images, 100.0 * correct[0][at] / images,
                100.0 * sameClass[1][at] / images, 100.0 * correct[1][at] / images);
        }
    }
}
