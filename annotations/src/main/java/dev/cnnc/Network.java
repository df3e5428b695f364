package dev.cnnc;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Declares a convolutional network. Put it on a class whose fields of type {@link Layer}, in source
 * order, are the network's layers, each annotated with {@link Conv}, {@link Pool} or {@link Dense}.
 *
 * <pre>{@code
 * @Network(height = 32, width = 32, channels = 3, params = 62_006)
 * final class CifarLeNet {
 *     @Conv(filters = 6, kernel = 5, activation = Activation.RELU)  Layer conv1;  // 28x28x6
 *     @Pool(kind = PoolKind.MAX, size = 2)                          Layer pool1;  // 14x14x6
 *     @Conv(filters = 16, kernel = 5, activation = Activation.RELU) Layer conv2;  // 10x10x16
 *     @Pool(kind = PoolKind.MAX, size = 2)                          Layer pool2;  // 5x5x16
 *     @Dense(units = 120, activation = Activation.RELU)             Layer fc1;
 *     @Dense(units = 84, activation = Activation.RELU)              Layer fc2;
 *     @Dense(units = 10, activation = Activation.SOFTMAX)           Layer output;
 * }
 * }</pre>
 *
 * <p>The processor checks every layer's shape while the class compiles, prints the model summary
 * as a compiler note, and generates {@code <Name>Model} and {@code <Name>Inference} next to it. An
 * input image is a {@code float[]} of {@code channels * height * width} values in CHW order.
 */
@Documented
@Retention(RetentionPolicy.CLASS)
@Target(ElementType.TYPE)
public @interface Network {
    /** Input height in pixels (rows). */
    int height();

    /** Input width in pixels (columns). */
    int width();

    /** Input channels: 1 for grey-scale, 3 for RGB. */
    int channels() default 1;

    /**
     * The parameter count you expect (weights and biases of all layers). When set, a different
     * computed count is a compile error that shows the per-layer breakdown. {@code -1}: not checked.
     */
    long params() default -1;
}
