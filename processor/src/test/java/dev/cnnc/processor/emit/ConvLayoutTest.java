package dev.cnnc.processor.emit;

import static dev.cnnc.Activation.LINEAR;
import static dev.cnnc.Activation.RELU;
import static dev.cnnc.Activation.SOFTMAX;
import static dev.cnnc.Activation.TANH;
import static dev.cnnc.Padding.SAME;
import static dev.cnnc.Padding.VALID;
import static dev.cnnc.PoolKind.AVG;
import static dev.cnnc.PoolKind.MAX;
import static dev.cnnc.processor.emit.NetworkSource.network;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * The two row layouts of the stride-1 convolutions (rows padded to 16 floats, or tap windows for small
 * planes; or exactly the output width) give the same bits on every kind of convolution; the JVM-wide choice (timed on the first
 * images, or forced by {@code -Dcnnc.convLayout}) is reported by {@code convLayout()}.
 */
class ConvLayoutTest {
    private static final String PROPERTY = "cnnc.convLayout";

    @Test
    void bothLayoutsGiveTheSameBits() {
        // conv1's padded rows are as long as the input's (32): its padded form copies whole planes,
        // leaving other rows' values where the exact form has none; conv2's rows are copied by a loop,
        // and its padded form works on tap windows (ConvEmitter.sliced())
        assertLayoutsAgree(network("LayoutLeNet", 32, 32, 3).conv(6, 5, 1, VALID, RELU).pool(MAX, 2, 2)
                .conv(16, 5, 1, VALID, RELU).pool(MAX, 2, 2).dense(10, SOFTMAX));
        // one input channel, SAME padding (zero rows and columns in the shifted planes), an odd filter count,
        // an even kernel; both convolutions slice
        assertLayoutsAgree(network("LayoutGrey", 13, 11, 1).conv(5, 3, 1, SAME, RELU).pool(AVG, 2, 2)
                .conv(3, 4, 1, SAME, TANH).dense(4, SOFTMAX));
        // activations applied while copying out, a wide kernel (the loop over kernel columns; the 3x3 one
        // slices), no dense layer
        assertLayoutsAgree(network("LayoutWide", 20, 19, 2).conv(4, 9, 1, VALID, LINEAR).conv(2, 3, 1, VALID, TANH));
    }

    @Test
    void thePaddedLayoutRunsSmallPlanesAsTapWindows() {
        GeneratedNetwork generated = GeneratedNetwork.compile(network("LayoutSliced", 32, 32, 3)
                .conv(6, 5, 1, VALID, RELU).pool(MAX, 2, 2).conv(16, 5, 1, VALID, RELU)
                .conv(2, 9, 1, SAME, RELU).conv(3, 1, 1, VALID, RELU).dense(10, SOFTMAX));
        String source = generated.generatedSource("Inference");
        // layers are named by position: conv1, pool2, conv3, conv4, conv5
        // conv1: 28x28 planes, 25 windows of 784 floats (78 KB) per channel: padded rows
        assertTrue(source.contains("static void conv1Forward(float[] p, float[] in, float[] out, float[][] shifted,\n"
                + "            float[][] planes)"), source);
        // conv3: 10x10 planes, 25 windows of 100 floats (10 KB): tap windows, every access at [i]
        assertTrue(source.contains("static void conv3Forward(float[] p, float[] in, float[] out, float[][] shifted,\n"
                + "            float[][] slices, float[][] planes)"), source);
        // 100 floats per window, from index 0 or 4 (PlaneStartCode), in rows of whole cache lines (AlignedRows)
        assertTrue(source.contains("final float[][] conv3Slices = new float[25][];"), source);
        assertTrue(source.contains("LayoutSlicedInference.allocateRows(conv3Slices, 108);"), source);
        // conv4: a 9-wide kernel (looped, not unrolled); conv5: a 1x1 kernel (no offsets to remove)
        assertTrue(source.contains("static void conv4Forward(float[] p, float[] in, float[] out, float[][] shifted,\n"
                + "            float[][] planes)"), source);
        assertTrue(source.contains("static void conv5Forward(float[] p, float[] in, float[] out, float[][] shifted,\n"
                + "            float[][] planes)"), source);
        assertLayoutsAgree(network("LayoutSlicedBits", 32, 32, 3).conv(6, 5, 1, VALID, RELU).pool(MAX, 2, 2)
                .conv(16, 5, 1, VALID, RELU).conv(2, 9, 1, SAME, RELU).conv(3, 1, 1, VALID, RELU).dense(10, SOFTMAX));
    }

    @Test
    void networksWithoutAChoiceSaySo() {
        GeneratedNetwork aligned = GeneratedNetwork.compile(network("LayoutAligned", 18, 18, 1)
                .conv(2, 3, 1, VALID, RELU).dense(3, SOFTMAX));
        assertEquals("padded (no choice: no stride-1 convolution has an output width that is not a multiple of 16)",
                aligned.convLayout());
    }

    @Test
    void theFirstImagesAlternateBothLayoutsThenTheFasterOneStays() {
        GeneratedNetwork generated = GeneratedNetwork.compile(network("LayoutTuned", 12, 12, 1)
                .conv(4, 3, 1, VALID, RELU).pool(MAX, 2, 2).dense(3, SOFTMAX));
        long start = System.nanoTime(); // the first report starts the tuning's clock
        assertEquals("tuning: the first images alternate both layouts (0 with padded rows, 0 with exact rows so far)",
                generated.convLayout());
        Object inference = generated.seededInference();
        float[] image = TestData.uniform(new SplittableRandom(TestData.SEED), 144, -1, 1);
        float[] expected = GeneratedNetwork.predict(inference, image);
        assertEquals("tuning: the first images alternate both layouts (1 with padded rows, 0 with exact rows so far)",
                generated.convLayout());
        GeneratedNetwork.predict(inference, image);
        assertTrue(generated.convLayout().contains("(1 with padded rows, 1 with exact rows so far)"),
                generated.convLayout());
        long shortest = TunedSetting.SHORTEST_TUNING_NANOS;
        long deadline = start + 12 * shortest;
        while (generated.convLayout().startsWith("tuning") && System.nanoTime() < deadline) {
            assertArrayEquals(expected, GeneratedNetwork.predict(inference, image), "tuning never changes a result");
        }
        long tuned = System.nanoTime() - start;
        assertTrue(tuned >= shortest, "decided after " + tuned / 1_000_000 + " ms, before the JIT had its "
                + TunedSetting.SHORTEST_TUNING_SECONDS + " s");
        String choice = generated.convLayout();
        assertTrue(choice.matches("(padded|exact) \\(tuned on the first images: padded rows [0-9.]+ us, exact rows"
                + " [0-9.]+ us per image at best; Java .*\\)"), choice);
        assertArrayEquals(expected, GeneratedNetwork.predict(inference, image));
        assertEquals(choice, generated.convLayout(), "chosen once per JVM");
    }

    @Test
    void theSystemPropertyForcesALayoutAndRejectsUnknownValues() {
        TestData.withProperty(PROPERTY, "exact", () -> {
            GeneratedNetwork forced = GeneratedNetwork.compile(network("LayoutForced", 12, 12, 1)
                    .conv(4, 3, 1, VALID, RELU).dense(3, SOFTMAX));
            GeneratedNetwork.predict(forced.seededInference(), new float[144]);
            assertEquals("exact (set by -Dcnnc.convLayout)", forced.convLayout());
        });
        TestData.withProperty(PROPERTY, "fastest", () -> {
            GeneratedNetwork unknown = GeneratedNetwork.compile(network("LayoutUnknown", 12, 12, 1)
                    .conv(4, 3, 1, VALID, RELU).dense(3, SOFTMAX));
            IllegalArgumentException error = assertThrows(IllegalArgumentException.class,
                    () -> GeneratedNetwork.predict(unknown.seededInference(), new float[144]));
            assertEquals("-Dcnnc.convLayout must be tune, padded or exact, not \"fastest\"", error.getMessage());
        });
    }

    /** Padded rows, exact rows and the public entry, bit for bit, on images with NaN and infinities. */
    private static void assertLayoutsAgree(NetworkSource source) {
        GeneratedNetwork generated = GeneratedNetwork.compile(source);
        SplittableRandom random = new SplittableRandom(TestData.SEED);
        Object inference = generated.seededInference(random);
        int inputSize = generated.model().inputSize();
        for (int n = 0; n < 8; n++) {
            float[] image = TestData.uniform(random, inputSize, -3, 3);
            if (n == 6) {
                image[image.length / 2] = Float.NaN;
            } else if (n == 7) {
                image[3] = Float.POSITIVE_INFINITY;
            }
            int[] padded = TestData.bits(GeneratedNetwork.predict(inference, image, false));
            assertArrayEquals(padded, TestData.bits(GeneratedNetwork.predict(inference, image, true)), source + " image " + n);
            assertArrayEquals(padded, TestData.bits(GeneratedNetwork.predict(inference, image)), source + " image " + n);
        }
    }
}
