package dev.cnnc.processor.emit;

import static dev.cnnc.Activation.LINEAR;
import static dev.cnnc.Activation.RELU;
import static dev.cnnc.Activation.SIGMOID;
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

import dev.cnnc.runtime.TrainableModel;
import java.util.Arrays;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * {@code predictBatch}: the lane kernel (16 images side by side) and the per-image kernel give
 * {@code predict}'s bits for every image, including NaN and infinite inputs and a partial last
 * group; the JVM-wide kernel choice (timed, or forced by {@code -Dcnnc.batchKernel}) is reported by
 * {@code batchKernel()}; bad arguments fail before anything is written.
 */
class BatchInferenceTest {
    private static final String PROPERTY = "cnnc.batchKernel";

    private static NetworkSource lenet(String name) {
        return network(name, 32, 32, 3).conv(6, 5, 1, VALID, RELU).pool(MAX, 2, 2).conv(16, 5, 1, VALID, RELU)
                .pool(MAX, 2, 2).dense(120, RELU).dense(84, RELU).dense(10, SOFTMAX);
    }

    @Test
    void bothKernelsGivePredictsBitsOnEveryLayerKind() {
        // padding on every side, odd filter counts, average and overlapping max pools, every activation,
        // a network ending in a convolution (no dense layer)
        assertBatchesMatch(GeneratedNetwork.compile(lenet("BatchLeNet")), 37);
        assertBatchesMatch(GeneratedNetwork.compile(network("BatchMixed", 11, 10, 2).conv(3, 3, 1, SAME, TANH)
                .pool(AVG, 2, 1).conv(5, 2, 1, VALID, SIGMOID).pool(MAX, 3, 2).dense(7, RELU).dense(3, LINEAR)), 33);
        assertBatchesMatch(GeneratedNetwork.compile(network("BatchConvOnly", 9, 9, 1).conv(1, 7, 1, SAME, LINEAR)
                .conv(2, 3, 1, VALID, RELU)), 16);
    }

    @Test
    void convolutionsBeforeNonOverlappingPoolsRunBandByBandWithTheSameBits() throws ReflectiveOperationException {
        // 3x3 max windows (rows left over at the bottom), 2x2 average windows, a padded convolution
        // after a banded pooling, an odd filter count, and a pooling as the last lane layer
        GeneratedNetwork bands = GeneratedNetwork.compile(network("BatchBands", 17, 13, 2).conv(3, 3, 1, SAME, RELU)
                .pool(MAX, 3, 3).conv(5, 2, 1, SAME, TANH).pool(AVG, 2, 2).dense(4, SOFTMAX));
        assertBatchesMatch(bands, 35);
        assertEquals(3 * 3, laneRows(bands, "conv1Out"), "conv1's lanes: 3 channels x one band of 3 rows");
        assertEquals(5 * 2, laneRows(bands, "conv3Out"), "conv3's lanes: 5 channels x one band of 2 rows");
        GeneratedNetwork lenet = GeneratedNetwork.compile(lenet("BatchBandsLeNet"));
        assertEquals(6 * 2, laneRows(lenet, "conv1Out"));
        assertEquals(6 * 14, laneRows(lenet, "pool2Out"), "a pooling's output is the whole map");
        // overlapping windows read rows twice: that convolution keeps its whole map
        GeneratedNetwork overlapping = GeneratedNetwork.compile(network("BatchOverlap", 11, 10, 2)
                .conv(3, 3, 1, SAME, TANH).pool(MAX, 3, 2).dense(3, SOFTMAX));
        assertEquals(3 * 11, laneRows(overlapping, "conv1Out"));
    }

    /** Rows of the lane buffer {@code field} of a new {@code Lanes} (one thread's feature maps). */
    private static int laneRows(GeneratedNetwork generated, String field) throws ReflectiveOperationException {
        Class<?> lanes = generated.load("Inference$Lanes");
        var constructor = lanes.getDeclaredConstructor();
        constructor.setAccessible(true);
        var buffer = lanes.getDeclaredField(field);
        buffer.setAccessible(true);
        return ((float[][]) buffer.get(constructor.newInstance())).length;
    }

    @Test
    void networksWithoutALaneFormSayWhyAndStillMatch() {
        GeneratedNetwork strided = GeneratedNetwork.compile(network("BatchStrided", 12, 12, 1)
                .conv(4, 3, 2, SAME, RELU).dense(5, SOFTMAX));
        assertEquals("images (no lane form: conv1 has stride 2)", strided.batchKernel());
        assertBatchesMatch(strided, 20);
        GeneratedNetwork wide = GeneratedNetwork.compile(network("BatchWide", 12, 12, 1).conv(2, 9, 1, VALID, RELU)
                .dense(3, SOFTMAX));
        assertEquals("images (no lane form: conv1 has a 9x9 kernel)", wide.batchKernel());
        assertBatchesMatch(wide, 17);
    }

    @Test
    void theFirstBatchesAlternateBothKernelsThenTheFasterOneStays() {
        // 16x16 convolution outputs: no row layout to tune, so both kernels are timed from the start
        GeneratedNetwork generated = GeneratedNetwork.compile(network("BatchTuned", 18, 18, 1)
                .conv(4, 3, 1, VALID, RELU).pool(MAX, 2, 2).dense(3, SOFTMAX));
        assertTrue(generated.convLayout().startsWith("padded (no choice"), generated.convLayout());
        assertEquals("tuning: the first batches alternate both kernels (0 images on lanes, 0 one by one so far)",
                generated.batchKernel());
        Object inference = generated.seededInference();
        int inputSize = 324;
        float[] images = TestData.uniform(new SplittableRandom(TestData.SEED), 100 * inputSize, -1, 1);
        float[] outputs = new float[100 * 3];
        GeneratedNetwork.predictBatch(inference, images, 15, outputs, null);
        assertTrue(generated.batchKernel().contains("(0 images on lanes, 0 one by one so far)"),
                "fewer than 16 images do not tune: " + generated.batchKernel());
        GeneratedNetwork.predictBatch(inference, images, 100, outputs, null);
        // 100 images: a chunk of 64 on lanes, then 32 one by one, then 4 untimed
        assertTrue(generated.batchKernel().contains("(64 images on lanes, 32 one by one so far)"),
                generated.batchKernel());
        float[] expected = outputs.clone();
        long deadline = System.nanoTime() + 12 * TunedSetting.SHORTEST_TUNING_NANOS;
        while (generated.batchKernel().startsWith("tuning") && System.nanoTime() < deadline) {
            GeneratedNetwork.predictBatch(inference, images, 100, outputs, null);
            assertArrayEquals(expected, outputs, "tuning never changes a result");
        }
        String choice = generated.batchKernel();
        assertTrue(choice.matches("(lanes|images) \\(tuned on the first batches: lanes [0-9.]+ us, one by one"
                + " [0-9.]+ us per image at best; Java .*\\)"), choice);
        GeneratedNetwork.predictBatch(inference, images, 100, outputs, null);
        assertArrayEquals(expected, outputs);
        assertEquals(choice, generated.batchKernel(), "chosen once per JVM");
    }

    @Test
    void oneByOneChunksAreNotTimedUntilTheRowLayoutIsChosen() {
        // 10x10 convolution outputs: the JVM also tunes the row layout, image by image
        GeneratedNetwork generated = GeneratedNetwork.compile(network("BatchAfterLayout", 12, 12, 1)
                .conv(4, 3, 1, VALID, RELU).pool(MAX, 2, 2).dense(3, SOFTMAX));
        Object inference = generated.seededInference();
        float[] images = TestData.uniform(new SplittableRandom(TestData.SEED), 100 * 144, -1, 1);
        float[] outputs = new float[100 * 3];
        GeneratedNetwork.predictBatch(inference, images, 100, outputs, null);
        // a chunk of 64 on lanes, timed; 32 one by one, untimed (they alternate the layouts); 4 untimed
        assertTrue(generated.batchKernel().contains("(64 images on lanes, 0 one by one so far)"),
                generated.batchKernel());
        float[] expected = outputs.clone();
        int calls = 0;
        long deadline = System.nanoTime() + 12 * TunedSetting.SHORTEST_TUNING_NANOS;
        for (; generated.batchKernel().startsWith("tuning") && System.nanoTime() < deadline; calls++) {
            boolean layoutTuning = generated.convLayout().startsWith("tuning");
            GeneratedNetwork.predictBatch(inference, images, 100, outputs, null);
            assertArrayEquals(expected, outputs, "tuning never changes a result");
            if (layoutTuning && generated.convLayout().startsWith("tuning")) {
                assertTrue(generated.batchKernel().contains("(64 images on lanes, 0 one by one so far)"),
                        "while the layout is tuned, one-by-one chunks run but are not timed: " + generated.batchKernel());
            }
        }
        assertTrue(generated.batchKernel().matches("(lanes|images) \\(tuned on the first batches: .*"),
                "decided after " + calls + " batches: " + generated.batchKernel());
        assertTrue(generated.convLayout().matches("(padded|exact) \\(tuned on the first images: .*"),
                generated.convLayout());
    }

    @Test
    void theSystemPropertyForcesAKernelAndRejectsUnknownValues() {
        TestData.withProperty(PROPERTY, "images", () -> {
            GeneratedNetwork forced = GeneratedNetwork.compile(lenet("BatchForced"));
            GeneratedNetwork.predictBatch(forced.seededInference(), new float[16 * 3072], 16, new float[16 * 10], null);
            assertEquals("images (set by -Dcnnc.batchKernel)", forced.batchKernel());
        });
        TestData.withProperty(PROPERTY, "fastest", () -> {
            GeneratedNetwork unknown = GeneratedNetwork.compile(lenet("BatchUnknown"));
            IllegalArgumentException error = assertThrows(IllegalArgumentException.class,
                    () -> GeneratedNetwork.predictBatch(unknown.seededInference(), new float[16 * 3072], 16,
                            new float[16 * 10], null));
            assertEquals("-Dcnnc.batchKernel must be tune, lanes or images, not \"fastest\"", error.getMessage());
        });
    }

    @Test
    void badArgumentsFailBeforeAnythingIsWritten() {
        GeneratedNetwork generated = GeneratedNetwork.compile(lenet("BatchChecked"));
        Object inference = generated.seededInference();
        float[] outputs = new float[20 * 10];
        Arrays.fill(outputs, 7f);
        IllegalArgumentException shortImages = assertThrows(IllegalArgumentException.class,
                () -> GeneratedNetwork.predictBatch(inference, new float[19 * 3072], 20, outputs, null));
        assertTrue(shortImages.getMessage().startsWith("BatchChecked: images holds 58368 floats, but count 20"),
                shortImages.getMessage());
        assertThrows(IllegalArgumentException.class,
                () -> GeneratedNetwork.predictBatch(inference, new float[20 * 3072], 20, new float[199], null));
        assertThrows(IllegalArgumentException.class,
                () -> GeneratedNetwork.predictBatch(inference, new float[3072], -1, outputs, null));
        assertThrows(NullPointerException.class,
                () -> GeneratedNetwork.predictBatch(inference, null, 1, outputs, null));
        for (float value : outputs) {
            assertEquals(7f, value);
        }
    }

    /** Both kernels and the public entry against predict, image by image, bit for bit. */
    private static void assertBatchesMatch(GeneratedNetwork generated, int count) {
        TrainableModel model = generated.model();
        SplittableRandom random = new SplittableRandom(TestData.SEED + count);
        TestData.randomize(model, random);
        Object inference = generated.inference(model.parameters());
        int inputSize = model.inputSize();
        int outputSize = model.outputSize();
        float[] images = TestData.uniform(random, count * inputSize, -3, 3);
        images[5] = Float.NaN; // image 0
        images[inputSize + 3] = Float.POSITIVE_INFINITY; // image 1
        images[(count - 1) * inputSize] = Float.NEGATIVE_INFINITY; // the last, in the per-image rest
        float[] expected = new float[count * outputSize];
        for (int n = 0; n < count; n++) {
            float[] output = GeneratedNetwork.predict(inference,
                    Arrays.copyOfRange(images, n * inputSize, (n + 1) * inputSize));
            System.arraycopy(output, 0, expected, n * outputSize, outputSize);
        }
        for (Boolean lanes : new Boolean[] {true, false, null}) {
            float[] outputs = new float[count * outputSize];
            GeneratedNetwork.predictBatch(inference, images, count, outputs, lanes);
            assertArrayEquals(TestData.bits(expected), TestData.bits(outputs), generated + " lanes=" + lanes);
        }
    }
}
