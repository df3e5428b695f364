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

/** LeNet-5 for 28x28 grey Fashion-MNIST: the first convolution pads (SAME) so 28x28 plays the role of 32x32. */
@Network(height = 28, width = 28, channels = 1, params = 61_706)
final class FashionLeNet {
    @Conv(filters = 6, kernel = 5, padding = Padding.SAME, activation = RELU) Layer conv1;  // 28x28x6      156
    @Pool(kind = PoolKind.MAX, size = 2)                                      Layer pool1;  // 14x14x6        0
    @Conv(filters = 16, kernel = 5, activation = RELU)                        Layer conv2;  // 10x10x16    2416
    @Pool(kind = PoolKind.MAX, size = 2)                                      Layer pool2;  // 5x5x16         0
    @Dense(units = 120, activation = RELU)                                    Layer fc1;    // 120        48120
    @Dense(units = 84, activation = RELU)                                     Layer fc2;    // 84         10164
    @Dense(units = 10, activation = SOFTMAX)                                  Layer output; // 10           850
}
