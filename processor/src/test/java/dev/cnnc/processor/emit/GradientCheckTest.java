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
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.cnnc.runtime.ParameterTensor;
import dev.cnnc.runtime.TrainableModel;
import dev.cnnc.runtime.Workspace;
import java.util.SplittableRandom;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Finite-difference gradient checks: the generated float gradient of the softmax cross-entropy
 * loss against central differences of a double-precision reference ({@link ReferenceNetwork}),
 * for every layer kind, padding, stride and activation, alone and mixed.
 */
class GradientCheckTest {
    private static final double TOLERANCE = 1e-3;

    static Stream<NetworkSource> networks() {
        return Stream.of(
                network("ConvValidRgb", 7, 7, 3).conv(4, 3, 1, VALID, RELU).dense(5, SOFTMAX),
                network("ConvStrideTwo", 7, 7, 2).conv(3, 3, 2, VALID, TANH).dense(4, SOFTMAX),
                network("ConvSameOdd", 7, 7, 2).conv(3, 3, 1, SAME, SIGMOID).dense(4, SOFTMAX),
                network("ConvSameEven", 8, 8, 1).conv(2, 4, 1, SAME, LINEAR).dense(3, SOFTMAX),
                network("ConvSameStrideTwoEven", 8, 8, 2).conv(3, 3, 2, SAME, TANH).dense(3, SOFTMAX),
                network("ConvSameStrideTwoOdd", 7, 9, 2).conv(2, 5, 2, SAME, RELU).dense(3, SOFTMAX),
                network("ConvSameKernelLargerThanInput", 3, 3, 1).conv(2, 5, 1, SAME, TANH).dense(2, SOFTMAX),
                network("MaxPoolThenConv", 8, 8, 2).pool(MAX, 2, 2).conv(3, 3, 1, VALID, TANH).dense(3, SOFTMAX),
                network("AvgPoolOverlapping", 9, 9, 2).conv(3, 2, 1, VALID, SIGMOID).pool(AVG, 3, 2).dense(3, SOFTMAX),
                network("MaxPoolOverlapping", 9, 9, 2).conv(3, 2, 1, VALID, TANH).pool(MAX, 3, 2).dense(3, SOFTMAX),
                network("PoolStrideThree", 10, 10, 1).conv(2, 3, 1, VALID, TANH).pool(MAX, 2, 3)
                        .conv(2, 1, 1, VALID, LINEAR).pool(AVG, 2, 3).dense(3, SOFTMAX),
                network("DenseEveryActivation", 3, 3, 2).dense(7, RELU).dense(6, SIGMOID).dense(5, TANH)
                        .dense(4, LINEAR).dense(3, SOFTMAX),
                network("LinearLogits", 5, 5, 1).conv(2, 3, 1, VALID, RELU).dense(4, LINEAR),
                network("TanhLast", 5, 5, 1).conv(2, 3, 1, VALID, SIGMOID).dense(3, TANH),
                network("ConvSoftmaxLast", 5, 5, 2).conv(2, 3, 1, VALID, TANH).conv(2, 2, 1, VALID, SOFTMAX),
                network("WideKernelOddFilters", 10, 10, 1).conv(3, 9, 1, SAME, TANH).dense(3, SOFTMAX),
                network("WideKernelStrideTwo", 12, 11, 2).conv(3, 8, 2, SAME, SIGMOID).dense(3, SOFTMAX),
                network("InputGradientOddChannelsWideKernel", 11, 11, 2).conv(3, 3, 1, VALID, TANH)
                        .conv(2, 9, 1, SAME, SIGMOID).dense(3, SOFTMAX),
                // the input gradient of strided convolutions, padded and not
                network("InputGradientStrideTwoSame", 9, 8, 2).conv(3, 3, 1, VALID, TANH)
                        .conv(2, 3, 2, SAME, RELU).dense(3, SOFTMAX),
                network("InputGradientStrideTwoEvenKernel", 10, 9, 2).conv(3, 2, 1, SAME, SIGMOID)
                        .conv(2, 4, 2, VALID, TANH).dense(3, SOFTMAX),
                // output rows of 60 windows of 80 floats: 3 rows per weight-gradient pass, the last pass 2
                network("WeightWindowsInPasses", 7, 62, 8).conv(2, 3, 1, VALID, RELU).dense(3, SOFTMAX),
                network("WeightWindowsInPassesPooled", 7, 62, 8).conv(2, 3, 1, SAME, RELU).pool(MAX, 2, 2)
                        .dense(3, SOFTMAX),
                network("SmallLeNet", 12, 12, 2).conv(4, 3, 1, VALID, RELU).pool(MAX, 2, 2)
                        .conv(5, 3, 1, SAME, TANH).pool(AVG, 2, 2).dense(10, RELU).dense(6, SOFTMAX));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("networks")
    void gradientMatchesFiniteDifferences(NetworkSource source) {
        assertGradientMatchesFiniteDifferences(source, GeneratedNetwork.compile(source));
    }

    /** The check of {@link #gradientMatchesFiniteDifferences} on an already compiled network. */
    static void assertGradientMatchesFiniteDifferences(NetworkSource source, GeneratedNetwork generated) {
        TrainableModel model = generated.model();
        ReferenceNetwork reference = new ReferenceNetwork(source.model());
        SplittableRandom random = new SplittableRandom(TestData.SEED);
        TestData.randomize(model, random);
        Workspace workspace = model.newWorkspace();

        for (int sample = 0; sample < 2; sample++) {
            int sampleIndex = sample;
            float[] input = TestData.uniform(random, model.inputSize(), -1, 1);
            int label = random.nextInt(model.outputSize());
            float[] gradient = new float[model.parameterCount()];
            float loss = model.gradient(workspace, input, 0, label, gradient);

            double[] parameters = TestData.toDouble(model.parameters());
            double[] doubleInput = TestData.toDouble(input);
            double expectedLoss = reference.loss(parameters, doubleInput, label);
            assertTrue(Math.abs(loss - expectedLoss) <= 1e-5 * Math.max(1, Math.abs(expectedLoss)),
                    () -> source + ": loss " + loss + ", reference " + expectedLoss);

            double[] numeric = reference.numericGradient(parameters, doubleInput, label, 1e-5);
            for (ParameterTensor tensor : model.tensors()) {
                double error = relativeError(gradient, numeric, tensor.offset(), tensor.length());
                assertTrue(error < TOLERANCE, () -> String.format("%s sample %d: %s relative error %.3g >= %.0e",
                        source, sampleIndex, tensor, error, TOLERANCE));
            }
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("networks")
    void forwardMatchesReference(NetworkSource source) {
        assertForwardMatchesReference(source, GeneratedNetwork.compile(source));
    }

    /** The check of {@link #forwardMatchesReference} on an already compiled network. */
    static void assertForwardMatchesReference(NetworkSource source, GeneratedNetwork generated) {
        TrainableModel model = generated.model();
        ReferenceNetwork reference = new ReferenceNetwork(source.model());
        SplittableRandom random = new SplittableRandom(TestData.SEED + 1);
        TestData.randomize(model, random);
        float[] input = TestData.uniform(random, model.inputSize(), -1, 1);
        float[] output = new float[model.outputSize()];
        model.forward(model.newWorkspace(), input, 0, output, 0);
        double[] expected = reference.forward(TestData.toDouble(model.parameters()), TestData.toDouble(input));
        for (int i = 0; i < output.length; i++) {
            int index = i;
            assertTrue(Math.abs(output[i] - expected[i]) <= 1e-5 * Math.max(1, Math.abs(expected[i])),
                    () -> source + ": output[" + index + "] = " + output[index] + ", reference " + expected[index]);
        }
    }

    /** {@code ||a - b|| / max(||b||, tiny)} over one tensor. */
    private static double relativeError(float[] actual, double[] expected, int offset, int length) {
        double difference = 0;
        double norm = 0;
        for (int i = offset; i < offset + length; i++) {
            difference += (actual[i] - expected[i]) * (actual[i] - expected[i]);
            norm += expected[i] * expected[i];
        }
        return Math.sqrt(difference) / Math.max(Math.sqrt(norm), 1e-7);
    }
}
