package dev.cnnc.runtime;

import java.io.IOException;
import java.util.Arrays;

/**
 * Per-epoch results of a training run, epoch 0 first: mean training loss and accuracy, validation
 * loss and accuracy ({@code NaN} without a validation set), learning rate and wall time. A resumed
 * run's history continues the checkpoint's.
 */
public final class History {
    private static final int FIELDS = 6;

    private double[] values = new double[FIELDS * 8];
    private int epochs;

    History() {
    }

    void add(double trainLoss, double trainAccuracy, double validationLoss, double validationAccuracy,
            double learningRate, double seconds) {
        if ((epochs + 1) * FIELDS > values.length) {
            values = Arrays.copyOf(values, values.length * 2);
        }
        int at = epochs * FIELDS;
        values[at] = trainLoss;
        values[at + 1] = trainAccuracy;
        values[at + 2] = validationLoss;
        values[at + 3] = validationAccuracy;
        values[at + 4] = learningRate;
        values[at + 5] = seconds;
        epochs++;
    }

    /** Number of completed epochs. */
    public int epochs() {
        return epochs;
    }

    /** Mean loss over the epoch's training samples. */
    public double trainLoss(int epoch) {
        return get(epoch, 0);
    }

    /** Fraction of training samples whose largest output was the label, during the epoch. */
    public double trainAccuracy(int epoch) {
        return get(epoch, 1);
    }

    /** Mean loss on the validation set after the epoch, {@code NaN} without one. */
    public double validationLoss(int epoch) {
        return get(epoch, 2);
    }

    /** Accuracy on the validation set after the epoch, {@code NaN} without one. */
    public double validationAccuracy(int epoch) {
        return get(epoch, 3);
    }

    public double learningRate(int epoch) {
        return get(epoch, 4);
    }

    /** Wall time of the epoch (training and validation) in seconds. */
    public double seconds(int epoch) {
        return get(epoch, 5);
    }

    /** Training loss of every epoch. */
    public double[] trainLosses() {
        double[] losses = new double[epochs];
        for (int epoch = 0; epoch < epochs; epoch++) {
            losses[epoch] = trainLoss(epoch);
        }
        return losses;
    }

    private double get(int epoch, int field) {
        if (epoch < 0 || epoch >= epochs) {
            throw new IndexOutOfBoundsException("epoch " + epoch + " of " + epochs);
        }
        return values[epoch * FIELDS + field];
    }

    void write(CheckedOutput out) throws IOException {
        out.writeInt(epochs);
        for (int i = 0; i < epochs * FIELDS; i++) {
            out.writeDouble(values[i]);
        }
    }

    static History read(CheckedInput in) throws IOException {
        History history = new History();
        int epochs = in.readCount("history length", 1 << 20);
        for (int epoch = 0; epoch < epochs; epoch++) {
            double[] row = new double[FIELDS];
            for (int field = 0; field < FIELDS; field++) {
                row[field] = in.readDouble("history of epoch " + epoch);
            }
            history.add(row[0], row[1], row[2], row[3], row[4], row[5]);
        }
        return history;
    }

    History copy() {
        History copy = new History();
        copy.values = values.clone();
        copy.epochs = epochs;
        return copy;
    }

    @Override
    public String toString() {
        StringBuilder text = new StringBuilder("epoch  loss     accuracy  val_loss  val_accuracy  lr          seconds\n");
        for (int epoch = 0; epoch < epochs; epoch++) {
            text.append(String.format(java.util.Locale.ROOT, "%5d  %.4f   %.4f    %.4f    %.4f        %-10.4g  %.1f%n",
                    epoch + 1, trainLoss(epoch), trainAccuracy(epoch), validationLoss(epoch),
                    validationAccuracy(epoch), learningRate(epoch), seconds(epoch)));
        }
        return text.toString();
    }
}
