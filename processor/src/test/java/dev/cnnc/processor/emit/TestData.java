package dev.cnnc.processor.emit;

import dev.cnnc.runtime.ParameterTensor;
import dev.cnnc.runtime.TrainableModel;
import java.util.SplittableRandom;

/** Random inputs and parameters, always from fixed seeds, so every failure reproduces. */
final class TestData {
    static final long SEED = 20261125L;

    private TestData() {}

    static float[] uniform(SplittableRandom random, int length, double low, double high) {
        float[] values = new float[length];
        for (int i = 0; i < length; i++) {
            values[i] = (float) (low + (high - low) * random.nextDouble());
        }
        return values;
    }

    /** Fills the model's parameters with He-like uniform weights (scaled by fan-in) and small biases. */
    static void randomize(TrainableModel model, SplittableRandom random) {
        float[] parameters = model.parameters();
        for (ParameterTensor tensor : model.tensors()) {
            double bound = tensor.isBias() ? 0.1 : Math.sqrt(6.0 / tensor.fanIn());
            for (int i = 0; i < tensor.length(); i++) {
                parameters[tensor.offset() + i] = (float) ((2 * random.nextDouble() - 1) * bound);
            }
        }
    }

    /** The raw bits of each value: arrays compared with these must agree bit for bit (NaN payloads, -0). */
    static int[] bits(float[] values) {
        int[] bits = new int[values.length];
        for (int i = 0; i < values.length; i++) {
            bits[i] = Float.floatToRawIntBits(values[i]);
        }
        return bits;
    }

    /** Runs {@code body} with system property {@code name} set to {@code value}, then puts back what it was. */
    static void withProperty(String name, String value, Runnable body) {
        String before = System.getProperty(name);
        System.setProperty(name, value);
        try {
            body.run();
        } finally {
            if (before == null) {
                System.clearProperty(name);
            } else {
                System.setProperty(name, before);
            }
        }
    }

    static double[] toDouble(float[] values) {
        double[] result = new double[values.length];
        for (int i = 0; i < values.length; i++) {
            result[i] = values[i];
        }
        return result;
    }

    /** How many times {@code part} occurs in {@code text} (overlapping occurrences counted). */
    static int occurrences(String text, String part) {
        int count = 0;
        for (int at = text.indexOf(part); at >= 0; at = text.indexOf(part, at + 1)) {
            count++;
        }
        return count;
    }
}
