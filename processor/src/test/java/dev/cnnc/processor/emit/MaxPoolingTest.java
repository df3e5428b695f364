package dev.cnnc.processor.emit;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Max pooling's forward (whole-tensor passes over shifted copies) and backward against the
 * window-by-window definition: every output and every input gradient, for window sizes and strides
 * that tile, overlap and skip, with signed zeros (+0 beats -0; a tie goes to the first position), NaN
 * (a window holding one gives NaN, and its gradient goes to its last NaN) and signed zero gradients
 * among the inputs.
 */
class MaxPoolingTest {

    @ParameterizedTest(name = "{0}x{1}x{2} input, size {3}, stride {4}")
    @CsvSource({
        "8, 8, 2, 2, 2",   // LeNet's pooling
        "7, 9, 3, 3, 2",   // overlapping windows, odd sizes, unused last row and column
        "6, 6, 1, 2, 1",   // every position a window
        "9, 7, 2, 3, 3",
        "5, 8, 2, 2, 3",   // stride larger than the window: inputs no window reads
        "4, 5, 3, 1, 1",   // size 1 copies
        "6, 6, 1, 6, 1"})  // one window: the whole image
    void everyOutputIsItsWindowsMaximum(int height, int width, int channels, int size, int stride) {
        GeneratedNetwork network = GeneratedNetwork.compile("pooling.MaxPool", """
                package pooling;
                import dev.cnnc.*;
                @Network(height = %d, width = %d, channels = %d)
                final class MaxPool {
                    @Pool(kind = PoolKind.MAX, size = %d, stride = %d) Layer pool;
                }
                """.formatted(height, width, channels, size, stride));
        Object inference = network.inference(new float[0]);
        Random random = new Random(height * 1000 + width * 100 + size * 10 + stride);
        for (int trial = 0; trial < 20; trial++) {
            float[] image = new float[channels * height * width];
            for (int i = 0; i < image.length; i++) {
                int pick = random.nextInt(12);
                image[i] = pick == 0 ? -0f : pick == 1 ? 0f : pick == 2 && trial % 4 == 3 ? Float.NaN
                        : (float) random.nextGaussian();
            }
            float[] expected = windowByWindow(image, height, width, channels, size, stride);
            float[] actual = GeneratedNetwork.predict(inference, image);
            for (int o = 0; o < expected.length; o++) {
                // raw bits: -0 and +0 differ; any NaN is the same NaN here
                int want = Float.isNaN(expected[o]) ? Float.floatToIntBits(Float.NaN) : Float.floatToRawIntBits(expected[o]);
                int got = Float.isNaN(actual[o]) ? Float.floatToIntBits(Float.NaN) : Float.floatToRawIntBits(actual[o]);
                assertEquals(want, got, "output " + o + " of trial " + trial + ": expected " + expected[o]
                        + ", got " + actual[o]);
            }
        }
    }

    @ParameterizedTest(name = "{0}x{1}x{2} input, size {3}, stride {4}")
    @CsvSource({
        "8, 8, 2, 2, 2",   // LeNet's pooling: the windows tile the input
        "6, 9, 1, 3, 3",   // tiles with an odd size
        "7, 9, 3, 3, 2",   // overlapping windows: gradients add up
        "5, 7, 2, 2, 2",   // an unused last row and column, which get 0
        "5, 8, 2, 2, 3",   // stride larger than the window
        "4, 5, 3, 1, 1"})  // size 1
    void theGradientGoesToTheFirstMaximumOrTheLastNaN(int height, int width, int channels, int size, int stride)
            throws ReflectiveOperationException {
        // a 1x1 convolution in front, so that the pool's backward computes its input gradient
        GeneratedNetwork network = GeneratedNetwork.compile("pooling.MaxPoolBack", """
                package pooling;
                import dev.cnnc.*;
                @Network(height = %d, width = %d, channels = %d)
                final class MaxPoolBack {
                    @Conv(filters = %d, kernel = 1, activation = Activation.LINEAR) Layer mix;
                    @Pool(kind = PoolKind.MAX, size = %d, stride = %d) Layer pool;
                }
                """.formatted(height, width, channels, channels, size, stride));
        Method backward = network.load("Model").getDeclaredMethod("poolBackward", float[].class, float[].class,
                float[].class, float[].class);
        backward.setAccessible(true);
        Random random = new Random(height * 1000 + width * 100 + size * 10 + stride + 7);
        for (int trial = 0; trial < 40; trial++) {
            float[] image = new float[channels * height * width];
            for (int i = 0; i < image.length; i++) {
                // few distinct values, so that windows often hold their maximum twice
                int pick = random.nextInt(8);
                image[i] = pick == 0 ? -0f : pick == 1 ? 0f : pick == 2 && trial % 4 == 3 ? Float.NaN
                        : random.nextInt(3) - 1f;
            }
            float[] pooled = windowByWindow(image, height, width, channels, size, stride);
            float[] dOut = new float[pooled.length];
            for (int o = 0; o < dOut.length; o++) {
                int pick = random.nextInt(6);
                dOut[o] = pick == 0 ? -0f : pick == 1 ? 0f : (float) random.nextGaussian();
            }
            float[] expected = gradientWindowByWindow(image, pooled, dOut, height, width, channels, size, stride);
            float[] actual = new float[image.length];
            Arrays.fill(actual, 42f); // every input gradient must be written
            try {
                backward.invoke(null, image, pooled, dOut, actual);
            } catch (InvocationTargetException e) {
                throw new AssertionError(e.getCause());
            }
            for (int i = 0; i < expected.length; i++) {
                assertEquals(Float.floatToRawIntBits(expected[i]), Float.floatToRawIntBits(actual[i]),
                        "input gradient " + i + " of trial " + trial + ": expected " + expected[i] + ", got "
                                + actual[i]);
            }
        }
    }

    /**
     * The definition: each window's dy goes to its last NaN if it holds one, else to the first
     * position equal to its maximum ({@code max}, from {@link #windowByWindow}; +0 == -0), added to what
     * earlier windows gave it (from +0).
     */
    private static float[] gradientWindowByWindow(float[] image, float[] max, float[] dOut, int height, int width,
            int channels, int size, int stride) {
        int outHeight = (height - size) / stride + 1;
        int outWidth = (width - size) / stride + 1;
        float[] dIn = new float[image.length];
        for (int c = 0; c < channels; c++) {
            for (int oy = 0; oy < outHeight; oy++) {
                for (int ox = 0; ox < outWidth; ox++) {
                    int o = (c * outHeight + oy) * outWidth + ox;
                    int first = -1;
                    int lastNaN = -1;
                    for (int ky = 0; ky < size; ky++) {
                        for (int kx = 0; kx < size; kx++) {
                            int i = (c * height + oy * stride + ky) * width + ox * stride + kx;
                            if (Float.isNaN(image[i])) {
                                lastNaN = i;
                            } else if (first < 0 && image[i] == max[o]) {
                                first = i;
                            }
                        }
                    }
                    int at = lastNaN >= 0 ? lastNaN : first;
                    dIn[at] += dOut[o];
                }
            }
        }
        return dIn;
    }

    /** The definition: NaN if the window holds one, else the largest value, +0 over -0. */
    private static float[] windowByWindow(float[] image, int height, int width, int channels, int size, int stride) {
        int outHeight = (height - size) / stride + 1;
        int outWidth = (width - size) / stride + 1;
        float[] out = new float[channels * outHeight * outWidth];
        for (int c = 0; c < channels; c++) {
            for (int oy = 0; oy < outHeight; oy++) {
                for (int ox = 0; ox < outWidth; ox++) {
                    float max = Float.NEGATIVE_INFINITY;
                    boolean nan = false;
                    for (int ky = 0; ky < size; ky++) {
                        for (int kx = 0; kx < size; kx++) {
                            float x = image[(c * height + oy * stride + ky) * width + ox * stride + kx];
                            nan |= Float.isNaN(x);
                            if (x > max || (x == 0f && max == 0f && Float.floatToRawIntBits(x) == 0)) {
                                max = x;
                            }
                        }
                    }
                    out[(c * outHeight + oy) * outWidth + ox] = nan ? Float.NaN : max;
                }
            }
        }
        return out;
    }
}
