package dev.cnnc;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * A 2-D convolution: {@code filters} kernels of {@code kernel x kernel x inChannels} slide over the
 * input with the given stride. Output size per side: {@code floor((n + 2p - f) / s) + 1} for
 * {@link Padding#VALID} (p = 0), {@code ceil(n / s)} for {@link Padding#SAME}. Parameters:
 * {@code (f * f * inChannels + 1) * filters}.
 *
 * <pre>{@code
 * @Conv(filters = 6, kernel = 5, stride = 1, padding = Padding.VALID, activation = Activation.RELU)
 * Layer conv1;   // 32x32x3 -> 28x28x6, (5*5*3 + 1) * 6 = 456 parameters
 * }</pre>
 */
@Documented
@Retention(RetentionPolicy.CLASS)
@Target(ElementType.FIELD)
public @interface Conv {
    /** Number of filters: the output's channel count. */
    int filters();

    /** Side of the square kernel (f). */
    int kernel();

    /** Step between two kernel positions (s). */
    int stride() default 1;

    /** Border treatment. */
    Padding padding() default Padding.VALID;

    /** Applied to every output value. */
    Activation activation() default Activation.RELU;
}
