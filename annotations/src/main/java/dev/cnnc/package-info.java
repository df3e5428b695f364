/**
 * The cnnc network DSL: declare a convolutional network as an annotated class and let {@code javac}
 * check every shape and generate its code.
 *
 * <pre>{@code
 * import dev.cnnc.*;
 * import static dev.cnnc.Activation.*;
 *
 * @Network(height = 32, width = 32, channels = 3, params = 62_006)
 * final class CifarLeNet {
 *     @Conv(filters = 6, kernel = 5, activation = RELU)  Layer conv1;  // 28x28x6     456
 *     @Pool(kind = PoolKind.MAX, size = 2)               Layer pool1;  // 14x14x6       0
 *     @Conv(filters = 16, kernel = 5, activation = RELU) Layer conv2;  // 10x10x16   2416
 *     @Pool(kind = PoolKind.MAX, size = 2)               Layer pool2;  // 5x5x16        0
 *     @Dense(units = 120, activation = RELU)             Layer fc1;    // 120       48120
 *     @Dense(units = 84, activation = RELU)              Layer fc2;    // 84        10164
 *     @Dense(units = 10, activation = SOFTMAX)           Layer output; // 10          850
 * }
 * }</pre>
 *
 * <p>The processor ({@code cnnc-processor}, on {@code annotationProcessorPaths}) then generates
 * {@code CifarLeNetModel} (trainable, uses {@code cnnc-runtime}) and {@code CifarLeNetInference}
 * (standalone, needs nothing but {@code java.base}) in the same package.
 */
package dev.cnnc;
