package dev.cnnc.processor.emit;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Random;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Max pooling's forward (whole-tensor passes over shifted copies) against the window-by-window
 * definition: every output, for window sizes and strides that tile, overlap and skip, with signed
 * zeros (+0 beats -0) and NaN (a window holding one gives NaN) among the inputs.
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
