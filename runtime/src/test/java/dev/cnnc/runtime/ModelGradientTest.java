package dev.cnnc.runtime;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

/** The hand-written test models' gradients agree with central finite differences. */
class ModelGradientTest extends RuntimeTestBase {

    @Test
    void softmaxRegressionGradientMatchesFiniteDifferences() {
        checkGradient(new SoftmaxRegressionModel(4, 3), 4);
    }

    @Test
    void tanhMlpGradientMatchesFiniteDifferences() {
        checkGradient(new TanhMlpModel(4, 5, 3), 4);
    }

    @Test
    void outputOverloadWritesTheForwardOutput() {
        TrainableModel model = new TanhMlpModel(4, 5, 3);
        Init.GLOROT_UNIFORM.apply(model, SEED);
        Dataset data = blobs(3, 4, 3, 1);
        Workspace workspace = model.newWorkspace();
        float[] expected = new float[3];
        model.forward(workspace, data.images(), 4, expected, 0);
        float[] output = new float[5];
        float[] grad = new float[model.parameterCount()];
        float loss = model.gradient(workspace, data.images(), 4, data.labels()[1], grad, output, 2);
        assertArrayEquals(expected, java.util.Arrays.copyOfRange(output, 2, 5));
        assertEquals(Losses.softmaxCrossEntropy(expected, data.labels()[1]), loss, 1e-6f);
    }

    @Test
    void gradientsOfARunGiveTheBitsOfOneCallPerSample() {
        TrainableModel model = new TanhMlpModel(4, 5, 3);
        Init.GLOROT_UNIFORM.apply(model, SEED);
        Dataset data = blobs(6, 4, 3, 1);
        int[] samples = {5, 0, 3, 3, 1};
        float[] expectedGrad = new float[model.parameterCount()];
        float[] expectedOutputs = new float[9];
        double expectedLoss = 0;
        Workspace workspace = model.newWorkspace();
        for (int k = 1; k < 4; k++) {
            int sample = samples[k];
            expectedLoss += model.gradient(workspace, data.images(), sample * 4, data.labels()[sample], expectedGrad,
                    expectedOutputs, (k - 1) * 3);
        }
        float[] grad = new float[model.parameterCount()];
        float[] outputs = new float[9];
        double loss = model.gradients(workspace, data.images(), data.labels(), samples, 1, 4, grad, outputs);
        assertArrayEquals(expectedGrad, grad);
        assertArrayEquals(expectedOutputs, outputs);
        assertEquals(expectedLoss, loss);
    }

    @Test
    void gradientsChecksEverySampleBeforeAddingAnything() {
        TrainableModel model = new TanhMlpModel(4, 5, 3);
        Init.GLOROT_UNIFORM.apply(model, SEED);
        float[] images = new float[3 * 4];
        float[] grad = new float[model.parameterCount()];
        IllegalArgumentException refused = assertThrows(IllegalArgumentException.class,
                () -> model.gradients(model.newWorkspace(), images, new int[] {0, 1, 3}, new int[] {0, 1, 2}, 0, 3,
                        grad, new float[9]));
        assertEquals("TanhMlp: labels[2] = 3 is outside [0, 3)", refused.getMessage());
        assertArrayEquals(new float[grad.length], grad, "a refused run added the first samples' gradients");
    }

    private static void checkGradient(TrainableModel model, int inputs) {
        Init.GLOROT_UNIFORM.apply(model, SEED);
        float[] parameters = model.parameters();
        for (int i = 0; i < parameters.length; i++) {
            parameters[i] += 0.1f * (i % 3); // non-zero biases too
        }
        Dataset data = blobs(2, inputs, model.outputSize(), 2);
        Workspace workspace = model.newWorkspace();
        float[] grad = new float[parameters.length];
        model.gradient(workspace, data.images(), 0, data.labels()[0], grad);
        double step = 1e-2;
        for (int i = 0; i < parameters.length; i++) {
            float saved = parameters[i];
            parameters[i] = (float) (saved + step);
            double plus = loss(model, workspace, data);
            parameters[i] = (float) (saved - step);
            double minus = loss(model, workspace, data);
            parameters[i] = saved;
            double numeric = (plus - minus) / (2 * step);
            assertEquals(numeric, grad[i], 2e-3, "d loss / d parameter " + i);
        }
    }

    private static double loss(TrainableModel model, Workspace workspace, Dataset data) {
        return model.gradient(workspace, data.images(), 0, data.labels()[0], new float[model.parameterCount()]);
    }
}
