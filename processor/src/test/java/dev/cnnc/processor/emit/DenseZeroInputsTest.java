package dev.cnnc.processor.emit;

import static dev.cnnc.Activation.LINEAR;
import static dev.cnnc.Activation.RELU;
import static dev.cnnc.Activation.SOFTMAX;
import static dev.cnnc.Padding.VALID;
import static dev.cnnc.PoolKind.MAX;
import static dev.cnnc.processor.emit.NetworkSource.network;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.cnnc.runtime.ParameterTensor;
import dev.cnnc.runtime.TrainableModel;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * The inference class's dense layers skip groups of four zero inputs (channels that ReLU and pooling
 * zeroed) when the layer is RELU and every weight is finite; the model's scalar form adds every input.
 * Both must give the same bits, signed zeros and NaN included.
 */
class DenseZeroInputsTest {
    /** A RELU dense layer straight on the input (so the test places the zeros), then a LINEAR one. */
    private static final NetworkSource FLAT = network("FlatDense", 2, 4, 3).dense(6, RELU).dense(5, LINEAR);

    @Test
    void zeroGroupsGiveTheModelsBitsWithSignedZerosInInputsAndBiases() {
        GeneratedNetwork generated = GeneratedNetwork.compile(FLAT);
        String source = generated.generatedSource("Inference");
        assertEquals(1, TestData.occurrences(source, "boolean finite = columns["), "only the RELU layer skips zero groups");
        TrainableModel model = generated.model();
        SplittableRandom random = new SplittableRandom(TestData.SEED);
        TestData.randomize(model, random);
        ParameterTensor bias = model.tensors()[1];
        for (int u = 0; u < bias.length(); u += 2) {
            model.parameters()[bias.offset() + u] = -0f; // -0 + (+0) is +0: only ReLU hides the difference
        }
        Object inference = generated.inference(model.parameters());
        int inputs = model.inputSize();
        for (int sample = 0; sample < 40; sample++) {
            float[] image = TestData.uniform(random, inputs, -2, 2);
            for (int group = 0; group < inputs / 4; group++) {
                int kind = random.nextInt(4); // keep, +0, -0, or a mix of both zeros
                for (int k = 0; k < 4 && kind > 0; k++) {
                    image[group * 4 + k] = kind == 1 || (kind == 3 && k % 2 == 0) ? 0f : -0f;
                }
            }
            assertSameBits(model, inference, image, "sample " + sample);
        }
        assertSameBits(model, inference, new float[inputs], "all zero");
    }

    @Test
    void zerosFromReluAndPoolingGiveTheModelsBits() {
        GeneratedNetwork generated = GeneratedNetwork.compile(network("PooledDense", 8, 8, 2)
                .conv(4, 3, 1, VALID, RELU).pool(MAX, 2, 2).dense(8, RELU).dense(3, SOFTMAX));
        TrainableModel model = generated.model();
        SplittableRandom random = new SplittableRandom(TestData.SEED + 1);
        TestData.randomize(model, random);
        ParameterTensor convBias = model.tensors()[1];
        for (int f = 0; f < convBias.length(); f += 2) {
            model.parameters()[convBias.offset() + f] = -3f; // whole channels zero after the ReLU
        }
        Object inference = generated.inference(model.parameters());
        for (int sample = 0; sample < 20; sample++) {
            assertSameBits(model, inference, TestData.uniform(random, model.inputSize(), -1, 1), "sample " + sample);
        }
    }

    @Test
    void aNonFiniteWeightBehindZeroInputsStillGivesNaN() {
        GeneratedNetwork generated = GeneratedNetwork.compile(FLAT);
        TrainableModel model = generated.model();
        TestData.randomize(model, new SplittableRandom(TestData.SEED));
        ParameterTensor weights = model.tensors()[0];
        model.parameters()[weights.offset()] = Float.POSITIVE_INFINITY; // W[0][0], behind input 0
        Object inference = generated.inference(model.parameters());
        float[] image = TestData.uniform(new SplittableRandom(TestData.SEED), model.inputSize(), 0.5, 1);
        for (int k = 0; k < 4; k++) {
            image[k] = 0f; // 0 * infinity is NaN: skipping this group would hide it
        }
        float[] outputs = assertSameBits(model, inference, image, "infinite weight");
        assertTrue(Float.isNaN(outputs[0]), "unit 0 of the RELU layer is NaN, and so is every LINEAR output");
    }

    @Test
    void layersWithoutReluAddEveryZero() {
        GeneratedNetwork generated = GeneratedNetwork.compile(network("LinearDense", 2, 2, 2).dense(3, LINEAR));
        assertEquals(0, TestData.occurrences(generated.generatedSource("Inference"), "boolean finite"));
        TrainableModel model = generated.model();
        float[] parameters = model.parameters();
        ParameterTensor weights = model.tensors()[0];
        ParameterTensor bias = model.tensors()[1];
        for (int i = 0; i < weights.length(); i++) {
            parameters[weights.offset() + i] = 0.5f;
        }
        for (int u = 0; u < bias.length(); u++) {
            parameters[bias.offset() + u] = -0f;
        }
        float[] outputs = assertSameBits(model, generated.inference(parameters), new float[model.inputSize()],
                "zero image");
        for (float output : outputs) {
            assertEquals(0, Float.floatToRawIntBits(output), "-0 + (0 * 0.5 + ...) is +0, as IEEE adds it");
        }
    }

    /** The inference class's predict and its batch forms against the model's forward, bit for bit. */
    private static float[] assertSameBits(TrainableModel model, Object inference, float[] image, String what) {
        float[] expected = new float[model.outputSize()];
        model.forward(model.newWorkspace(), image, 0, expected, 0);
        assertArrayEquals(TestData.bits(expected), TestData.bits(GeneratedNetwork.predict(inference, image)), what);
        for (boolean lanes : new boolean[] {true, false}) {
            float[] batch = new float[model.outputSize()];
            GeneratedNetwork.predictBatch(inference, image, 1, batch, lanes);
            assertArrayEquals(TestData.bits(expected), TestData.bits(batch), what + (lanes ? ", lanes" : ", images"));
        }
        return expected;
    }
}
