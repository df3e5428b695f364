package dev.cnnc.runtime;

import java.io.PrintStream;
import java.util.Locale;

/**
 * Keras-style progress. On a terminal one line per epoch is redrawn with {@code \r} as batches
 * finish (at most ten times a second): batch count, bar, running loss and accuracy, images/s, ETA.
 * Elsewhere (a log file, a CI console) only the final line of each epoch is printed:
 * <pre>
 * Epoch 3/10 - 40/40 - 1.2s - 3412 img/s - loss: 0.4213 - accuracy: 0.8750 - val_loss: 0.4001 - val_accuracy: 0.8800 - lr: 0.01
 * </pre>
 */
final class ProgressPrinter {
    private static final long REDRAW_NANOS = 100_000_000L;
    private static final int BAR_WIDTH = 24;

    private final PrintStream out;
    private final boolean terminal;
    private final int epochs;
    private final int batches;
    private final long samplesPerEpoch;
    private long epochStart;
    private long lastDraw;
    private int lastLineLength;

    /** @param out where to print, or {@code null} for silence */
    ProgressPrinter(PrintStream out, boolean terminal, int epochs, int batches, long samplesPerEpoch) {
        this.out = out;
        this.terminal = terminal;
        this.epochs = epochs;
        this.batches = batches;
        this.samplesPerEpoch = samplesPerEpoch;
    }

    void epochStarted() {
        epochStart = System.nanoTime();
        lastDraw = epochStart;
        lastLineLength = 0;
    }

    void batchDone(int epoch, int batch, long samples, double lossSum, long correct) {
        if (!terminal || out == null) {
            return;
        }
        long now = System.nanoTime();
        if (now - lastDraw < REDRAW_NANOS && batch < batches) {
            return;
        }
        lastDraw = now;
        double seconds = (now - epochStart) / 1e9;
        double eta = batch == 0 ? 0 : seconds / batch * (batches - batch);
        int filled = batches == 0 ? BAR_WIDTH : (int) ((long) BAR_WIDTH * batch / batches);
        StringBuilder bar = new StringBuilder();
        for (int i = 0; i < BAR_WIDTH; i++) {
            bar.append(i < filled ? '=' : i == filled ? '>' : '.');
        }
        draw(String.format(Locale.ROOT, "Epoch %d/%d - %d/%d [%s] - ETA %s - %s - loss: %.4f - accuracy: %.4f",
                epoch, epochs, batch, batches, bar, duration(eta), rate(samples, seconds),
                lossSum / samples, (double) correct / samples), false);
    }

    void epochDone(int epoch, History history) {
        if (out == null) {
            return;
        }
        int last = history.epochs() - 1;
        double seconds = history.seconds(last);
        StringBuilder line = new StringBuilder(String.format(Locale.ROOT, "Epoch %d/%d - %d/%d - %s - %s",
                epoch, epochs, batches, batches, duration(seconds), rate(samplesPerEpoch, seconds)));
        line.append(String.format(Locale.ROOT, " - loss: %.4f - accuracy: %.4f",
                history.trainLoss(last), history.trainAccuracy(last)));
        if (!Double.isNaN(history.validationAccuracy(last))) {
            line.append(String.format(Locale.ROOT, " - val_loss: %.4f - val_accuracy: %.4f",
                    history.validationLoss(last), history.validationAccuracy(last)));
        }
        line.append(" - lr: ").append(String.format(Locale.ROOT, "%.4g", history.learningRate(last)));
        draw(line.toString(), true);
    }

    private void draw(String line, boolean finished) {
        if (terminal) {
            StringBuilder padded = new StringBuilder("\r").append(line);
            for (int i = line.length(); i < lastLineLength; i++) {
                padded.append(' '); // wipe the rest of a longer previous line
            }
            lastLineLength = line.length();
            out.print(padded);
            if (finished) {
                out.println();
            }
            out.flush();
        } else if (finished) {
            out.println(line);
            out.flush();
        }
    }

    static String duration(double seconds) {
        if (seconds < 60) {
            return String.format(Locale.ROOT, "%.1fs", seconds);
        }
        long whole = Math.round(seconds);
        return whole < 3600
                ? String.format(Locale.ROOT, "%dm%02ds", whole / 60, whole % 60)
                : String.format(Locale.ROOT, "%dh%02dm", whole / 3600, whole / 60 % 60);
    }

    private static String rate(long samples, double seconds) {
        return String.format(Locale.ROOT, "%.0f img/s", seconds > 0 ? samples / seconds : 0.0);
    }
}
