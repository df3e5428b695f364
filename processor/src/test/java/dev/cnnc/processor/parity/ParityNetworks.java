package dev.cnnc.processor.parity;

import static dev.cnnc.Activation.LINEAR;
import static dev.cnnc.Activation.RELU;
import static dev.cnnc.Activation.SIGMOID;
import static dev.cnnc.Activation.SOFTMAX;
import static dev.cnnc.Activation.TANH;

import dev.cnnc.Conv;
import dev.cnnc.Dense;
import dev.cnnc.Layer;
import dev.cnnc.Network;
import dev.cnnc.Padding;
import dev.cnnc.Pool;
import dev.cnnc.PoolKind;

/**
 * The networks of the PyTorch parity fixtures ({@code src/test/resources/parity/}, made by
 * {@code samples/scripts/make_parity_fixtures.py}, which declares the same networks with this
 * source in comments). Each fixture's {@code network} line names one of the classes below; the
 * field names are the {@code state_dict} prefixes ({@code conv1.weight}, {@code fc1.bias}, ...).
 *
 * <p>The classes are package-private top-level classes of this one file so that a parity test can
 * compile the whole file with the cnnc processor in one go (e.g. with compile-testing, reading
 * {@code src/test/java/dev/cnnc/processor/parity/ParityNetworks.java}) and load the generated
 * {@code <Name>Model} classes. Change a network here and in the script together, then regenerate.
 */
final class ParityNetworks {
    /** The {@code @Network} classes of this file, in the script's order. */
    static final String[] NAMES = {
        "CifarLeNet", "FashionLeNet", "SameOddStride2", "SameEvenStride2", "AvgPoolNet",
        "Stride3MaxThenAvg", "Stride3AvgThenMax", "ActivationsNet",
    };

    private ParityNetworks() {}
}

/** The lecture's LeNet-5 for CIFAR-10. */
@Network(height = 32, width = 32, channels = 3, params = 62_006)
final class CifarLeNet {
    @Conv(filters = 6, kernel = 5, activation = RELU)  Layer conv1;  // 28x28x6
    @Pool(kind = PoolKind.MAX, size = 2)               Layer pool1;  // 14x14x6
    @Conv(filters = 16, kernel = 5, activation = RELU) Layer conv2;  // 10x10x16
    @Pool(kind = PoolKind.MAX, size = 2)               Layer pool2;  // 5x5x16
    @Dense(units = 120, activation = RELU)             Layer fc1;
    @Dense(units = 84, activation = RELU)              Layer fc2;
    @Dense(units = 10, activation = SOFTMAX)           Layer output;
}

/** LeNet for Fashion-MNIST: a SAME first convolution (padding 2 on each side) keeps 28x28. */
@Network(height = 28, width = 28, channels = 1, params = 61_706)
final class FashionLeNet {
    @Conv(filters = 6, kernel = 5, padding = Padding.SAME, activation = RELU) Layer conv1; // 28x28x6
    @Pool(kind = PoolKind.MAX, size = 2)               Layer pool1;  // 14x14x6
    @Conv(filters = 16, kernel = 5, activation = RELU) Layer conv2;  // 10x10x16
    @Pool(kind = PoolKind.MAX, size = 2)               Layer pool2;  // 5x5x16
    @Dense(units = 120, activation = RELU)             Layer fc1;
    @Dense(units = 84, activation = RELU)              Layer fc2;
    @Dense(units = 10, activation = SOFTMAX)           Layer output;
}

/** SAME padding on an odd input with stride 2: 1 before and 2 after, then 0 before and 1 after. */
@Network(height = 9, width = 9, channels = 2, params = 323)
final class SameOddStride2 {
    @Conv(filters = 4, kernel = 4, stride = 2, padding = Padding.SAME, activation = RELU) Layer conv1; // 5x5x4
    @Conv(filters = 3, kernel = 2, stride = 2, padding = Padding.SAME, activation = TANH) Layer conv2; // 3x3x3
    @Dense(units = 5, activation = SOFTMAX) Layer output;
}

/**
 * SAME padding on an even, non-square input: stride 2 (0 before, 1 after), an even kernel at
 * stride 1 (1 before, 2 after), and a stride-2 even kernel that pads only the width.
 */
@Network(height = 8, width = 10, channels = 3, params = 557)
final class SameEvenStride2 {
    @Conv(filters = 4, kernel = 3, stride = 2, padding = Padding.SAME, activation = SIGMOID) Layer conv1; // 4x5x4
    @Conv(filters = 5, kernel = 4, padding = Padding.SAME, activation = LINEAR)             Layer conv2; // 4x5x5
    @Conv(filters = 2, kernel = 2, stride = 2, padding = Padding.SAME, activation = RELU)    Layer conv3; // 2x3x2
    @Dense(units = 6, activation = LINEAR) Layer output;
}

/** Average pooling. */
@Network(height = 12, width = 12, channels = 2, params = 361)
final class AvgPoolNet {
    @Conv(filters = 3, kernel = 3, activation = TANH) Layer conv1; // 10x10x3
    @Pool(kind = PoolKind.AVG, size = 2)              Layer pool1; // 5x5x3
    @Dense(units = 4, activation = SOFTMAX)           Layer output;
}

/** Stride-3 pooling that drops the last rows and columns: 25x22 -> 8x7 (size 3), 8x7 -> 3x2 (size 2). */
@Network(height = 26, width = 23, channels = 1, params = 72)
final class Stride3MaxThenAvg {
    @Conv(filters = 3, kernel = 2, activation = TANH)  Layer conv1; // 25x22x3
    @Pool(kind = PoolKind.MAX, size = 3, stride = 3)   Layer pool1; // 8x7x3
    @Pool(kind = PoolKind.AVG, size = 2, stride = 3)   Layer pool2; // 3x2x3
    @Dense(units = 3, activation = LINEAR)             Layer output;
}

/** Stride-3 pooling the other way round: 19x18 -> 6x6 (average, size 3), 6x6 -> 2x2 (max, size 2). */
@Network(height = 20, width = 19, channels = 2, params = 79)
final class Stride3AvgThenMax {
    @Conv(filters = 3, kernel = 2, activation = RELU)  Layer conv1; // 19x18x3
    @Pool(kind = PoolKind.AVG, size = 3, stride = 3)   Layer pool1; // 6x6x3
    @Pool(kind = PoolKind.MAX, size = 2, stride = 3)   Layer pool2; // 2x2x3
    @Dense(units = 4, activation = SOFTMAX)            Layer output;
}

/** TANH, SIGMOID and LINEAR layers, and a SIGMOID last layer whose raw outputs are the logits. */
@Network(height = 6, width = 7, channels = 1, params = 412)
final class ActivationsNet {
    @Conv(filters = 2, kernel = 3, activation = TANH)    Layer conv1; // 4x5x2
    @Conv(filters = 3, kernel = 2, activation = SIGMOID) Layer conv2; // 3x4x3
    @Dense(units = 8, activation = LINEAR)               Layer fc1;
    @Dense(units = 5, activation = TANH)                 Layer fc2;
    @Dense(units = 4, activation = SIGMOID)              Layer output;
}
