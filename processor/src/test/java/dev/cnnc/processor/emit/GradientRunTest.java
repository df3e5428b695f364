package dev.cnnc.processor.emit;

import static dev.cnnc.Activation.RELU;
import static dev.cnnc.Activation.SIGMOID;
import static dev.cnnc.Activation.SOFTMAX;
import static dev.cnnc.Activation.TANH;
import static dev.cnnc.Padding.SAME;
import static dev.cnnc.Padding.VALID;
import static dev.cnnc.PoolKind.MAX;
import static dev.cnnc.processor.emit.NetworkSource.network;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import dev.cnnc.runtime.TrainableModel;
import dev.cnnc.runtime.Workspace;
import java.util.Arrays;
import java.util.SplittableRandom;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * A generated model's {@code gradients} over a run of samples (the trainer's call, which transposes
 * the dense weights once per run, or reuses the last run's with {@code weightsUnchanged}) gives the
 * bits of one {@code gradient} call per sample: the same gradient sums, outputs and loss; and after
 * the parameters change in place, the next run uses the new ones; so does the public
 * {@code gradientBatch}. {@link RandomNetworksTest} applies the same
 * check to random networks.
 */
class GradientRunTest {

    static Stream<NetworkSource> networks() {
        return Stream.of(
                network("RunLeNet", 12, 12, 2).conv(4, 3, 1, VALID, RELU).pool(MAX, 2, 2)
                        .conv(5, 3, 1, SAME, TANH).dense(10, RELU).dense(6, SOFTMAX),
                // unit counts that are not multiples of the transposed rows' padding; four dense layers
                network("RunDenseOnly", 3, 3, 2).dense(7, RELU).dense(17, SIGMOID).dense(5, TANH).dense(3, SOFTMAX),
                // no dense layer: nothing to transpose
                network("RunConvOnly", 6, 6, 1).conv(3, 3, 1, VALID, TANH).conv(2, 4, 1, VALID, SOFTMAX));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("networks")
    void aRunOfSamplesGivesTheBitsOfOneCallPerSample(NetworkSource source) {
        assertRunMatchesSamples(GeneratedNetwork.compile(source));
    }

    /** The check of {@link #aRunOfSamplesGivesTheBitsOfOneCallPerSample} on an already compiled network. */
    static void assertRunMatchesSamples(GeneratedNetwork generated) {
        TrainableModel model = generated.model();
        SplittableRandom random = new SplittableRandom(TestData.SEED + 2);
        TestData.randomize(model, random);
        int inputSize = model.inputSize();
        int outputSize = model.outputSize();
        int imageCount = 5;
        float[] images = TestData.uniform(random, imageCount * inputSize, -2, 2);
        int[] labels = new int[imageCount];
        for (int i = 0; i < imageCount; i++) {
            labels[i] = random.nextInt(outputSize);
        }
        int[] samples = {3, 4, 0, 2, 2, 1, 4}; // the run is samples[1 .. 6): a repeat, an unused image
        float[] start = TestData.uniform(random, model.parameterCount(), -1, 1); // gradients add into grad
        Workspace perSample = model.newWorkspace();
        Workspace run = model.newWorkspace();
        for (int pass = 0; pass < 2; pass++) {
            float[] expectedGrad = start.clone();
            float[] expectedOutputs = new float[5 * outputSize + 1];
            double expectedLoss = 0;
            for (int k = 1; k < 6; k++) {
                int sample = samples[k];
                expectedLoss += model.gradient(perSample, images, sample * inputSize, labels[sample], expectedGrad,
                        expectedOutputs, (k - 1) * outputSize);
            }
            float[] grad = start.clone();
            float[] outputs = new float[5 * outputSize + 1];
            double loss = model.gradients(run, images, labels, samples, 1, 6, grad, outputs);
            String context = model.name() + (pass == 0 ? "" : ", parameters changed in place");
            assertArrayEquals(TestData.bits(expectedGrad), TestData.bits(grad), context + ": gradient sums");
            assertArrayEquals(TestData.bits(expectedOutputs), TestData.bits(outputs), context + ": outputs");
            assertEquals(Double.doubleToRawLongBits(expectedLoss), Double.doubleToRawLongBits(loss), context + ": loss");
            // the trainer's later runs of a batch reuse the transposed weights that this run prepared; a
            // workspace that never prepared them prepares them anyway: the same bits both ways
            Workspace[] reusing = {run, model.newWorkspace()};
            for (int w = 0; w < reusing.length; w++) {
                float[] reusedGrad = start.clone();
                float[] reusedOutputs = new float[5 * outputSize + 1];
                double reusedLoss = model.gradients(reusing[w], images, labels, samples, 1, 6, reusedGrad, reusedOutputs, true);
                String reuse = context + (w == 0 ? ", weights reused" : ", a new workspace told to reuse");
                assertArrayEquals(TestData.bits(expectedGrad), TestData.bits(reusedGrad), reuse + ": gradient sums");
                assertArrayEquals(TestData.bits(expectedOutputs), TestData.bits(reusedOutputs), reuse + ": outputs");
                assertEquals(Double.doubleToRawLongBits(expectedLoss), Double.doubleToRawLongBits(reusedLoss), reuse + ": loss");
            }
            // the public gradientBatch (consecutive images, this thread's workspace) transposes once too
            float[] batchExpected = start.clone();
            float batchExpectedLoss = 0f;
            for (int n = 0; n < 3; n++) {
                batchExpectedLoss += model.gradient(perSample, images, n * inputSize, labels[n], batchExpected);
            }
            float[] batchGrad = start.clone();
            float batchLoss = (float) GeneratedNetwork.invoke(model, "gradientBatch",
                    new Class<?>[] {float[].class, int[].class, int.class, float[].class}, images, labels, 3, batchGrad);
            assertArrayEquals(TestData.bits(batchExpected), TestData.bits(batchGrad), context + ": gradientBatch sums");
            assertEquals(Float.floatToRawIntBits(batchExpectedLoss), Float.floatToRawIntBits(batchLoss),
                    context + ": gradientBatch loss");
            float[] parameters = model.parameters();
            for (int i = 0; i < parameters.length; i++) {
                parameters[i] = parameters[i] * 0.5f + 0.01f; // what an optimizer step does between runs
            }
            if (pass == 0 && hasDenseLayer(model)) {
                // the flag really skips the preparation: told (wrongly) that nothing changed, the run
                // still reads the old transposed weights, so its outputs are not the new parameters'
                float[] staleOutputs = new float[5 * outputSize + 1];
                model.gradients(run, images, labels, samples, 1, 6, start.clone(), staleOutputs, true);
                float[] newOutputs = new float[5 * outputSize + 1];
                model.gradients(model.newWorkspace(), images, labels, samples, 1, 6, start.clone(), newOutputs, false);
                assertFalse(Arrays.equals(TestData.bits(newOutputs), TestData.bits(staleOutputs)),
                        model.name() + ": weightsUnchanged reused nothing");
            }
        }
    }

    private static boolean hasDenseLayer(TrainableModel model) {
        return model.architecture().contains(" dense ");
    }
}
