package dev.cnnc.runtime;

import java.util.Locale;

/**
 * How well a model classifies a data set: accuracy, mean loss, per-class precision, recall and F1,
 * and the confusion matrix (rows are the true class, columns the predicted class). Predictions are
 * kept so callers can look at the misclassified images. Computed on several threads; the numbers do
 * not depend on the thread count.
 *
 * <pre>{@code
 * Evaluation evaluation = Evaluation.of(model, testSet);
 * System.out.println(evaluation.format());
 * int[] wrong = evaluation.misclassified();
 * }</pre>
 *
 * Precision, recall and F1 of a class are 0 when undefined (no predictions of it, no samples of it),
 * as scikit-learn's {@code zero_division=0}.
 */
public final class Evaluation {
    /** Samples per task: enough to amortize the hand-off, small enough to balance threads. */
    private static final int SAMPLES_PER_TASK = 64;

    private final int[] labels;
    private final int[] predictions;
    private final int classCount;
    private final String[] classNames;
    private final double loss;
    private final int[][] confusion;

    private Evaluation(int[] labels, int[] predictions, int classCount, String[] classNames, double loss) {
        this.labels = labels;
        this.predictions = predictions;
        this.classCount = classCount;
        this.classNames = classNames;
        this.loss = loss;
        this.confusion = new int[classCount][classCount];
        for (int i = 0; i < labels.length; i++) {
            confusion[labels[i]][predictions[i]]++;
        }
    }

    /** Evaluates {@code model} on {@code data} with one thread per available processor. */
    public static Evaluation of(TrainableModel model, Dataset data) {
        return of(model, data, Runtime.getRuntime().availableProcessors());
    }

    /** Evaluates {@code model} on {@code data} with {@code threads} threads. */
    public static Evaluation of(TrainableModel model, Dataset data, int threads) {
        WorkerPool pool = new WorkerPool(model, threads);
        try {
            data.checkFits(model, "evaluation set", pool);
            return of(model, data, pool);
        } finally {
            pool.close();
        }
    }

    /** Evaluates on an existing pool; the caller has checked {@code data} (the trainer does so once per fit). */
    static Evaluation of(final TrainableModel model, Dataset data, WorkerPool pool) {
        final int count = data.count();
        final int[] predictions = new int[count];
        final float[] losses = new float[count];
        final float[] images = data.images();
        final int[] labels = data.labels();
        final int inputSize = data.inputSize();
        final int outputSize = model.outputSize();
        final boolean probabilities = model.outputsProbabilities();
        int tasks = (count + SAMPLES_PER_TASK - 1) / SAMPLES_PER_TASK;
        pool.run(tasks, (worker, task) -> {
            int end = Math.min((task + 1) * SAMPLES_PER_TASK, count);
            for (int i = task * SAMPLES_PER_TASK; i < end; i++) {
                model.forward(worker.workspace, images, i * inputSize, worker.output, 0);
                predictions[i] = Losses.argmax(worker.output, 0, outputSize);
                losses[i] = probabilities
                        ? Losses.crossEntropyOfProbabilities(worker.output, 0, outputSize, labels[i])
                        : Losses.softmaxCrossEntropy(worker.output, 0, outputSize, labels[i]);
            }
        });
        double lossSum = 0;
        for (float sampleLoss : losses) {
            lossSum += sampleLoss; // in sample order: the same sum for any thread count
        }
        int classCount = Math.max(outputSize, data.classCount());
        return new Evaluation(labels.clone(), predictions, classCount, names(data.classNames(), classCount),
                count == 0 ? Double.NaN : lossSum / count);
    }

    /**
     * An evaluation of given predictions (e.g. from another framework); its {@link #loss()} is NaN.
     *
     * @param classNames a name per class, or {@code null}
     */
    public static Evaluation fromPredictions(int[] labels, int[] predictions, int classCount, String[] classNames) {
        if (labels.length != predictions.length) {
            throw new IllegalArgumentException(labels.length + " labels but " + predictions.length + " predictions");
        }
        if (classNames != null && classNames.length != classCount) {
            throw new IllegalArgumentException(classNames.length + " class names for " + classCount + " classes");
        }
        for (int i = 0; i < labels.length; i++) {
            if (labels[i] < 0 || labels[i] >= classCount || predictions[i] < 0 || predictions[i] >= classCount) {
                throw new IllegalArgumentException("sample " + i + ": label " + labels[i] + ", prediction "
                        + predictions[i] + ", expected both in [0, " + classCount + ")");
            }
        }
        return new Evaluation(labels.clone(), predictions.clone(), classCount, names(classNames, classCount),
                Double.NaN);
    }

    private static String[] names(String[] given, int classCount) {
        String[] names = new String[classCount];
        for (int c = 0; c < classCount; c++) {
            names[c] = given != null && c < given.length ? given[c] : String.valueOf(c);
        }
        return names;
    }

    public int count() {
        return labels.length;
    }

    public int classCount() {
        return classCount;
    }

    public String className(int c) {
        return classNames[c];
    }

    /** Number of samples predicted correctly. */
    public int correct() {
        int correct = 0;
        for (int c = 0; c < classCount; c++) {
            correct += confusion[c][c];
        }
        return correct;
    }

    /** Fraction of samples predicted correctly (NaN for an empty set). */
    public double accuracy() {
        return labels.length == 0 ? Double.NaN : (double) correct() / labels.length;
    }

    /** Mean cross-entropy loss, or NaN for {@link #fromPredictions}. */
    public double loss() {
        return loss;
    }

    /** Samples of class {@code c}. */
    public int support(int c) {
        int support = 0;
        for (int predicted = 0; predicted < classCount; predicted++) {
            support += confusion[c][predicted];
        }
        return support;
    }

    /** Of the samples predicted as {@code c}, the fraction that are {@code c}. */
    public double precision(int c) {
        int predicted = 0;
        for (int actual = 0; actual < classCount; actual++) {
            predicted += confusion[actual][c];
        }
        return predicted == 0 ? 0 : (double) confusion[c][c] / predicted;
    }

    /** Of the samples of class {@code c}, the fraction predicted as {@code c}. */
    public double recall(int c) {
        int support = support(c);
        return support == 0 ? 0 : (double) confusion[c][c] / support;
    }

    /** Harmonic mean of precision and recall. */
    public double f1(int c) {
        double precision = precision(c);
        double recall = recall(c);
        return precision + recall == 0 ? 0 : 2 * precision * recall / (precision + recall);
    }

    /** A copy of the confusion matrix: {@code [trueClass][predictedClass]} counts. */
    public int[][] confusionMatrix() {
        int[][] copy = new int[classCount][];
        for (int c = 0; c < classCount; c++) {
            copy[c] = confusion[c].clone();
        }
        return copy;
    }

    /** The predicted class of every sample, in data set order (a copy). */
    public int[] predictions() {
        return predictions.clone();
    }

    /** Indices of the samples whose prediction differs from the label, ascending. */
    public int[] misclassified() {
        int[] wrong = new int[labels.length - correct()];
        int next = 0;
        for (int i = 0; i < labels.length; i++) {
            if (labels[i] != predictions[i]) {
                wrong[next++] = i;
            }
        }
        return wrong;
    }

    /** The report: accuracy and loss, a per-class table, and the confusion matrix, aligned. */
    public String format() {
        int nameWidth = "class".length();
        for (String name : classNames) {
            nameWidth = Math.max(nameWidth, name.length());
        }
        StringBuilder text = new StringBuilder();
        text.append(String.format(Locale.ROOT, "accuracy %.4f (%d/%d)", accuracy(), correct(), count()));
        if (!Double.isNaN(loss)) {
            text.append(String.format(Locale.ROOT, ", loss %.4f", loss));
        }
        text.append("\n\n");
        text.append(pad("class", nameWidth, false)).append("  precision     recall         f1    support\n");
        for (int c = 0; c < classCount; c++) {
            text.append(pad(classNames[c], nameWidth, false))
                    .append(String.format(Locale.ROOT, "  %9.4f  %9.4f  %9.4f  %9d%n", precision(c), recall(c), f1(c),
                            support(c)));
        }
        text.append("\nconfusion matrix (rows: true class, columns: predicted class)\n");
        int cellWidth = String.valueOf(labels.length).length();
        for (String name : classNames) {
            cellWidth = Math.max(cellWidth, name.length());
        }
        text.append(pad("", nameWidth, false));
        for (int c = 0; c < classCount; c++) {
            text.append("  ").append(pad(classNames[c], cellWidth, true));
        }
        text.append('\n');
        for (int actual = 0; actual < classCount; actual++) {
            text.append(pad(classNames[actual], nameWidth, false));
            for (int predicted = 0; predicted < classCount; predicted++) {
                text.append("  ").append(pad(String.valueOf(confusion[actual][predicted]), cellWidth, true));
            }
            text.append('\n');
        }
        return text.toString();
    }

    private static String pad(String text, int width, boolean right) {
        StringBuilder padded = new StringBuilder();
        if (!right) {
            padded.append(text);
        }
        for (int i = text.length(); i < width; i++) {
            padded.append(' ');
        }
        if (right) {
            padded.append(text);
        }
        return padded.toString();
    }

    @Override
    public String toString() {
        return format();
    }
}
