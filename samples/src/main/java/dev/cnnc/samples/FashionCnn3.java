package dev.cnnc.samples;

import static dev.cnnc.Activation.RELU;
import static dev.cnnc.Activation.SOFTMAX;

import dev.cnnc.Conv;
import dev.cnnc.Dense;
import dev.cnnc.Layer;
import dev.cnnc.Network;
import dev.cnnc.Padding;
import dev.cnnc.Pool;
import dev.cnnc.PoolKind;

/**
 * A somewhat larger CNN for 28x28 grey Fashion-MNIST: three blocks of a 3x3 SAME convolution and a
 * 2x2 max pool (16, 32, 64 filters), then one hidden dense layer: more filters and depth than
 * LeNet-5, aimed at better test accuracy, at several times its arithmetic per image.
 */
@Network(height = 28, width = 28, channels = 1, params = 98_442)
final class FashionCnn3 {
    @Conv(filters = 16, kernel = 3, padding = Padding.SAME, activation = RELU) Layer conv1; // 28x28x16    160
    @Pool(kind = PoolKind.MAX, size = 2)                                       Layer pool1; // 14x14x16      0
    @Conv(filters = 32, kernel = 3, padding = Padding.SAME, activation = RELU) Layer conv2; // 14x14x32   4640
    @Pool(kind = PoolKind.MAX, size = 2)                                       Layer pool2; // 7x7x32        0
    @Conv(filters = 64, kernel = 3, padding = Padding.SAME, activation = RELU) Layer conv3; // 7x7x64    18496
    @Pool(kind = PoolKind.MAX, size = 2)                                       Layer pool3; // 3x3x64        0
    @Dense(units = 128, activation = RELU)                                     Layer fc1;   // 128       73856
    @Dense(units = 10, activation = SOFTMAX)                                   Layer output; // 10        1290
}
