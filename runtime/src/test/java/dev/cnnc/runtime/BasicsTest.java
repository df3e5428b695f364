package dev.cnnc.runtime;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import org.junit.jupiter.api.Test;

/** The small pieces: generator, initialization, schedules, losses, data sets. */
class BasicsTest extends RuntimeTestBase {

    @Test
    void generatorStateRestoresTheSequence() {
        SplitMix64 random = new SplitMix64(SEED);
        random.nextLong();
        SplitMix64 copy = new SplitMix64(random.state());
        assertEquals(random.nextLong(), copy.nextLong());
        assertEquals(random.nextGaussian(), copy.nextGaussian());
    }

    @Test
    void shuffleIsAPermutationAndNextIntStaysInBounds() {
        int[] values = new int[100];
        for (int i = 0; i < values.length; i++) {
            values[i] = i;
        }
        new SplitMix64(SEED).shuffle(values);
        int[] sorted = values.clone();
        Arrays.sort(sorted);
        for (int i = 0; i < sorted.length; i++) {
            assertEquals(i, sorted[i]);
        }
        assertFalse(Arrays.equals(sorted, values));
        SplitMix64 random = new SplitMix64(SEED);
        int[] counts = new int[3];
        for (int i = 0; i < 30_000; i++) {
            counts[random.nextInt(3)]++;
        }
        for (int count : counts) {
            assertTrue(Math.abs(count - 10_000) < 400, Arrays.toString(counts));
        }
    }

    @Test
    void heUniformStaysWithinItsLimitAndZeroesBiases() {
        SoftmaxRegressionModel model = new SoftmaxRegressionModel(24, 10);
        Arrays.fill(model.parameters(), 5f);
        Init.HE_UNIFORM.apply(model, 0);
        float limit = (float) Math.sqrt(6.0 / 24);
        float max = 0;
        for (int i = 0; i < 240; i++) {
            max = Math.max(max, Math.abs(model.parameters()[i]));
        }
        assertTrue(max <= limit && max > 0.9f * limit, "max |w| " + max + ", limit " + limit);
        for (int i = 240; i < 250; i++) {
            assertEquals(0f, model.parameters()[i], "bias " + (i - 240));
        }
    }

    @Test
    void normalInitsHaveTheirStandardDeviation() {
        SoftmaxRegressionModel model = new SoftmaxRegressionModel(1000, 20);
        Init.HE_NORMAL.apply(model, SEED);
        assertEquals(Math.sqrt(2.0 / 1000), std(model.parameters(), 20_000), 0.02 * Math.sqrt(2.0 / 1000));
        Init.GLOROT_NORMAL.apply(model, SEED);
        assertEquals(Math.sqrt(2.0 / 1020), std(model.parameters(), 20_000), 0.02 * Math.sqrt(2.0 / 1020));
        Init.GLOROT_UNIFORM.apply(model, SEED);
        assertEquals(Math.sqrt(6.0 / 1020) / Math.sqrt(3), std(model.parameters(), 20_000),
                0.02 * Math.sqrt(2.0 / 1020));
    }

    private static double std(float[] values, int count) {
        double sum = 0;
        for (int i = 0; i < count; i++) {
            sum += (double) values[i] * values[i];
        }
        return Math.sqrt(sum / count);
    }

    @Test
    void everySeedIsASeed() {
        float[][] parameters = new float[3][];
        long[] seeds = {0, 1, 0};
        for (int run = 0; run < 3; run++) {
            SoftmaxRegressionModel model = new SoftmaxRegressionModel(8, 4);
            Init.HE_NORMAL.apply(model, seeds[run]);
            parameters[run] = model.parameters();
        }
        assertArrayEquals(parameters[0], parameters[2]);
        assertFalse(Arrays.equals(parameters[0], parameters[1]));
    }

    @Test
    void keepLeavesTheParameters() {
        SoftmaxRegressionModel model = new SoftmaxRegressionModel(3, 2);
        Arrays.fill(model.parameters(), 0.5f);
        Init.KEEP.apply(model, SEED);
        for (float parameter : model.parameters()) {
            assertEquals(0.5f, parameter);
        }
    }

    @Test
    void schedulesFollowTheirFormulas() {
        Schedule step = Schedule.step(2, 0.5f);
        assertEquals(0.1f, step.learningRate(0.1f, 1, 10));
        assertEquals(0.05f, step.learningRate(0.1f, 2, 10));
        assertEquals(0.025f, step.learningRate(0.1f, 4, 10));
        Schedule cosine = Schedule.cosine(0.01f);
        assertEquals(0.1f, cosine.learningRate(0.1f, 0, 4));
        assertEquals(0.01f + 0.09f * (1 + Math.cos(Math.PI / 4)) / 2, cosine.learningRate(0.1f, 1, 4), 1e-7);
        assertEquals(0.055f, cosine.learningRate(0.1f, 2, 4), 1e-7);
        assertEquals(0.3f, Schedule.constant().learningRate(0.3f, 7, 10));
    }

    @Test
    void softmaxCrossEntropyIsStable() {
        double expected = Math.log(Math.exp(1) + Math.exp(2) + Math.exp(3)) - 3;
        assertEquals(expected, Losses.softmaxCrossEntropy(new float[] {1, 2, 3}, 2), 1e-7);
        assertEquals(1000f, Losses.softmaxCrossEntropy(new float[] {1000, 0}, 1));
        assertEquals(0f, Losses.softmaxCrossEntropy(new float[] {1000, 0}, 0));
        assertEquals("label 3 is outside [0, 3)", assertThrows(IllegalArgumentException.class,
                () -> Losses.softmaxCrossEntropy(new float[3], 3)).getMessage());
        assertEquals(1, Losses.argmax(new float[] {0, 2, 2}, 0, 3), "first maximum wins ties");
    }

    @Test
    void datasetChecksItsLengths() {
        assertEquals("images has 10 floats but 3 labels of 4 floats each need 12 (10 is not a multiple of the"
                + " input size 4)", assertThrows(IllegalArgumentException.class,
                () -> new Dataset(new float[10], new int[3], 4)).getMessage());
        assertEquals("images has 8 floats but 3 labels of 4 floats each need 12 (the images hold 2 complete images)",
                assertThrows(IllegalArgumentException.class,
                        () -> new Dataset(new float[8], new int[3], 4)).getMessage());
        assertEquals("labels[1] = -1 is negative", assertThrows(IllegalArgumentException.class,
                () -> new Dataset(new float[8], new int[] {0, -1}, 4)).getMessage());
        assertEquals("labels[0] = 2 but only 2 class names are given", assertThrows(IllegalArgumentException.class,
                () -> new Dataset(new float[4], new int[] {2}, 4, new String[] {"a", "b"})).getMessage());
    }

    @Test
    void sliceCopiesImagesAndLabels() {
        Dataset data = blobs(10, 3, 2, 40);
        Dataset slice = data.slice(4, 7);
        assertEquals(3, slice.count());
        assertArrayEquals(Arrays.copyOfRange(data.images(), 12, 21), slice.images());
        assertArrayEquals(new int[] {0, 1, 0}, slice.labels());
        assertEquals(2, data.classCount());
    }
}
