package dev.cnnc.processor.emit;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.cnnc.runtime.TrainableModel;
import org.junit.jupiter.api.Test;

/** The lecture's worked examples, computed by generated classes: exact values where the lecture gives them. */
class SeedNumericsTest {
    /** The lecture's 6x6 grey image of the pooling and "Image - RGB vs B&W" slides. */
    private static final float[] SEED_IMAGE = {
        3, 4, 6, 2, 1, 7,
        3, 5, 4, 9, 8, 8,
        1, 7, 5, 4, 6, 6,
        7, 2, 6, 5, 4, 5,
        6, 1, 7, 7, 2, 4,
        5, 3, 3, 1, 4, 3};

    /** Bright left half, dark right half: a vertical edge. */
    private static final float[] VERTICAL_EDGE_IMAGE = {
        10, 10, 10, 0, 0, 0,
        10, 10, 10, 0, 0, 0,
        10, 10, 10, 0, 0, 0,
        10, 10, 10, 0, 0, 0,
        10, 10, 10, 0, 0, 0,
        10, 10, 10, 0, 0, 0};

    /** Bright top half, dark bottom half: a horizontal edge. */
    private static final float[] HORIZONTAL_EDGE_IMAGE = {
        10, 10, 10, 10, 10, 10,
        10, 10, 10, 10, 10, 10,
        10, 10, 10, 10, 10, 10,
        0, 0, 0, 0, 0, 0,
        0, 0, 0, 0, 0, 0,
        0, 0, 0, 0, 0, 0};

    /** Filter weights then the bias (0). */
    private static final float[] VERTICAL_FILTER = {1, 0, -1, 1, 0, -1, 1, 0, -1, 0};
    private static final float[] HORIZONTAL_FILTER = {1, 1, 1, 0, 0, 0, -1, -1, -1, 0};

    private static final String EDGE_NETWORK = """
            package seed;
            import dev.cnnc.*;
            @Network(height = 6, width = 6, channels = 1, params = 10)
            final class Edge {
                @Conv(filters = 1, kernel = 3, activation = Activation.LINEAR) Layer edge;
            }
            """;

    @Test
    void verticalEdgeFilterGivesZeroThirtyThirtyZeroRows() {
        Object inference = GeneratedNetwork.compile("seed.Edge", EDGE_NETWORK).inference(VERTICAL_FILTER);
        float[] output = GeneratedNetwork.predict(inference, VERTICAL_EDGE_IMAGE);
        assertArrayEquals(new float[] {
            0, 30, 30, 0,
            0, 30, 30, 0,
            0, 30, 30, 0,
            0, 30, 30, 0}, output);
    }

    @Test
    void horizontalEdgeFilterGivesThirtyRowsInTheMiddle() {
        Object inference = GeneratedNetwork.compile("seed.Edge", EDGE_NETWORK).inference(HORIZONTAL_FILTER);
        float[] output = GeneratedNetwork.predict(inference, HORIZONTAL_EDGE_IMAGE);
        assertArrayEquals(new float[] {
            0, 0, 0, 0,
            30, 30, 30, 30,
            30, 30, 30, 30,
            0, 0, 0, 0}, output);
    }

    @Test
    void strideTwoOnSevenBySevenGivesThreeByThree() {
        GeneratedNetwork network = GeneratedNetwork.compile("seed.Strided", """
                package seed;
                import dev.cnnc.*;
                @Network(height = 7, width = 7, channels = 1)
                final class Strided {
                    @Conv(filters = 1, kernel = 3, stride = 2, activation = Activation.LINEAR) Layer edge;
                }
                """);
        float[] image = new float[49];
        for (int row = 0; row < 7; row++) {
            for (int column = 0; column < 3; column++) {
                image[row * 7 + column] = 10;
            }
        }
        float[] output = GeneratedNetwork.predict(network.inference(VERTICAL_FILTER), image);
        assertArrayEquals(new float[] {0, 30, 0, 0, 30, 0, 0, 30, 0}, output);
    }

    @Test
    void maxPoolingSizeThreeGivesSevenNineSevenSeven() {
        Object inference = poolNetwork("MAX", 1).inference(new float[0]);
        assertArrayEquals(new float[] {7, 9, 7, 7}, GeneratedNetwork.predict(inference, SEED_IMAGE));
    }

    @Test
    void maxPoolingWorksOnEveryChannelOfAnRgbImage() {
        Object inference = poolNetwork("MAX", 3).inference(new float[0]);
        float[] rgb = new float[108];
        for (int channel = 0; channel < 3; channel++) {
            System.arraycopy(SEED_IMAGE, 0, rgb, channel * 36, 36);
        }
        assertArrayEquals(new float[] {7, 9, 7, 7, 7, 9, 7, 7, 7, 9, 7, 7},
                GeneratedNetwork.predict(inference, rgb));
    }

    @Test
    void averagePoolingSizeThreeGivesTheLecturesMeans() {
        Object inference = poolNetwork("AVG", 1).inference(new float[0]);
        float[] output = GeneratedNetwork.predict(inference, SEED_IMAGE);
        // The lecture prints 2 decimals (5.66 truncated, 3.89 rounded): within one unit of the last digit.
        assertArrayEquals(new float[] {4.22f, 5.66f, 4.44f, 3.89f}, output, 0.01f);
        // and exactly the means: 38/9, 51/9, 40/9, 35/9
        assertArrayEquals(new float[] {38f / 9, 51f / 9, 40f / 9, 35f / 9}, output, 1e-6f);
    }

    /**
     * The lecture's 1-D back-propagation: O1 = I1 W1 + I2 W2 + I3 W3, O2 = I2 W1 + I3 W2 + I4 W3
     * gives dL/dW = [dO1 I1 + dO2 I2, dO1 I2 + dO2 I3, dO1 I3 + dO2 I4]. A 3x3 kernel over a
     * 3x4 image whose first and last rows are zero is exactly that in its middle row.
     */
    @Test
    void backwardOfAConvolutionIsAConvolutionOfInputAndOutputGradient() {
        GeneratedNetwork network = GeneratedNetwork.compile("seed.OneD", """
                package seed;
                import dev.cnnc.*;
                @Network(height = 3, width = 4, channels = 1)
                final class OneD {
                    @Conv(filters = 1, kernel = 3, activation = Activation.LINEAR) Layer conv;
                }
                """);
        TrainableModel model = network.model();
        float[] weights = {0.1f, 0.2f, 0.3f, 0.5f, -0.25f, 0.75f, 0.4f, 0.6f, 0.8f, 0.05f};
        System.arraycopy(weights, 0, model.parameters(), 0, weights.length);
        float i1 = 1, i2 = 2, i3 = -1, i4 = 0.5f;
        float[] image = {0, 0, 0, 0, i1, i2, i3, i4, 0, 0, 0, 0};

        float[] outputs = new float[2];
        model.forward(model.newWorkspace(), image, 0, outputs, 0);
        assertEquals(i1 * 0.5f + i2 * -0.25f + i3 * 0.75f + 0.05f, outputs[0], 1e-6f, "O1");
        assertEquals(i2 * 0.5f + i3 * -0.25f + i4 * 0.75f + 0.05f, outputs[1], 1e-6f, "O2");

        int label = 1;
        float[] gradient = new float[model.parameterCount()];
        model.gradient(model.newWorkspace(), image, 0, label, gradient);
        // dL/dO for softmax cross-entropy: softmax(O) - onehot(label)
        double e1 = Math.exp(outputs[0]);
        double e2 = Math.exp(outputs[1]);
        float dO1 = (float) (e1 / (e1 + e2));
        float dO2 = (float) (e2 / (e1 + e2)) - 1;
        assertArrayEquals(new float[] {0, 0, 0}, slice(gradient, 0, 3), "top row sees only zeros");
        assertArrayEquals(new float[] {dO1 * i1 + dO2 * i2, dO1 * i2 + dO2 * i3, dO1 * i3 + dO2 * i4},
                slice(gradient, 3, 3), 1e-6f, "dL/dW of the middle row");
        assertArrayEquals(new float[] {0, 0, 0}, slice(gradient, 6, 3), "bottom row sees only zeros");
        assertEquals(dO1 + dO2, gradient[9], 1e-6f, "dL/db");
    }

    private static GeneratedNetwork poolNetwork(String kind, int channels) {
        return GeneratedNetwork.compile("seed.Pooling", """
                package seed;
                import dev.cnnc.*;
                @Network(height = 6, width = 6, channels = %d)
                final class Pooling {
                    @Pool(kind = PoolKind.%s, size = 3) Layer pool;
                }
                """.formatted(channels, kind));
    }

    private static float[] slice(float[] values, int from, int length) {
        float[] slice = new float[length];
        System.arraycopy(values, from, slice, 0, length);
        return slice;
    }
}
