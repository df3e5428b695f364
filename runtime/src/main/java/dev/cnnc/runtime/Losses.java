package dev.cnnc.runtime;

/** Loss and prediction helpers for evaluation and tests; all computed in double, StrictMath. */
public final class Losses {
    private Losses() {
    }

    /** {@code -log softmax(logits)[label]} by the stable log-sum-exp. */
    public static float softmaxCrossEntropy(float[] logits, int label) {
        return softmaxCrossEntropy(logits, 0, logits.length, label);
    }

    /** As {@link #softmaxCrossEntropy(float[], int)} over {@code logits[offset .. offset + size)}. */
    public static float softmaxCrossEntropy(float[] logits, int offset, int size, int label) {
        checkLabel(label, size);
        double max = Double.NEGATIVE_INFINITY;
        for (int i = 0; i < size; i++) {
            max = Math.max(max, logits[offset + i]);
        }
        double sum = 0;
        for (int i = 0; i < size; i++) {
            sum += StrictMath.exp(logits[offset + i] - max);
        }
        return (float) (StrictMath.log(sum) + max - logits[offset + label]);
    }

    /**
     * {@code -log p[label]} for an output that already holds probabilities (a SOFTMAX last layer);
     * a probability of 0 is clamped to the smallest normal float, so the loss stays finite (87.3).
     */
    public static float crossEntropyOfProbabilities(float[] probabilities, int offset, int size, int label) {
        checkLabel(label, size);
        float probability = probabilities[offset + label];
        if (probability != probability) {
            return Float.NaN;
        }
        return (float) -StrictMath.log(Math.max(probability, Float.MIN_NORMAL));
    }

    /** Index of the largest value in {@code values[offset .. offset + size)}; the first one on ties. */
    public static int argmax(float[] values, int offset, int size) {
        int best = 0;
        for (int i = 1; i < size; i++) {
            if (values[offset + i] > values[offset + best]) {
                best = i;
            }
        }
        return best;
    }

    private static void checkLabel(int label, int size) {
        if (label < 0 || label >= size) {
            throw new IllegalArgumentException("label " + label + " is outside [0, " + size + ")");
        }
    }
}
