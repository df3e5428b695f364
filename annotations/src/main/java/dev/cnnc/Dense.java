package dev.cnnc;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * A fully connected layer. After a 3-D shape it first flattens it in channel-major (C, H, W) order,
 * as PyTorch's {@code flatten} does. Parameters: {@code (inputs + 1) * units}.
 *
 * <pre>{@code
 * @Dense(units = 120, activation = Activation.RELU) Layer fc1;   // 5x5x16 = 400 -> 120, 48120 parameters
 * }</pre>
 */
@Documented
@Retention(RetentionPolicy.CLASS)
@Target(ElementType.FIELD)
public @interface Dense {
    /** Number of outputs. */
    int units();

    /** Applied to every output value; {@link Activation#SOFTMAX} only on the last layer. */
    Activation activation() default Activation.RELU;
}
