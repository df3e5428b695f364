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
 * A somewhat larger CNN for 32x32 RGB CIFAR-10: three blocks of a 3x3 SAME convolution and a 2x2
 * max pool (32, 64, 128 filters), then one hidden dense layer: more filters and depth than the
 * lecture's LeNet-5, aimed at better test accuracy (train it with {@code --augment}), at much more
 * arithmetic per image.
 */
@Network(height = 32, width = 32, channels = 3, params = 356_810)
final class CifarCnn3 {
    @Conv(filters = 32, kernel = 3, padding = Padding.SAME, activation = RELU)  Layer conv1; // 32x32x32     896
    @Pool(kind = PoolKind.MAX, size = 2)                                        Layer pool1; // 16x16x32       0
    @Conv(filters = 64, kernel = 3, padding = Padding.SAME, activation = RELU)  Layer conv2; // 16x16x64   18496
    @Pool(kind = PoolKind.MAX, size = 2)                                        Layer pool2; // 8x8x64         0
    @Conv(filters = 128, kernel = 3, padding = Padding.SAME, activation = RELU) Layer conv3; // 8x8x128    73856
    @Pool(kind = PoolKind.MAX, size = 2)                                        Layer pool3; // 4x4x128        0
    @Dense(units = 128, activation = RELU)                                      Layer fc1;   // 128       262272
    @Dense(units = 10, activation = SOFTMAX)                                    Layer output; // 10         1290
}
