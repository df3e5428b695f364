package dev.cnnc;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Max or average pooling over {@code size x size} windows of each channel, without padding.
 * Output size per side: {@code floor((n - size) / stride) + 1}; no parameters.
 *
 * <pre>{@code
 * @Pool(kind = PoolKind.MAX, size = 2) Layer pool1;   // 28x28x6 -> 14x14x6
 * }</pre>
 */
@Documented
@Retention(RetentionPolicy.CLASS)
@Target(ElementType.FIELD)
public @interface Pool {
    /** Maximum or average. */
    PoolKind kind() default PoolKind.MAX;

    /** Side of the square window (f). */
    int size();

    /** Step between windows; {@code 0} (the default) means {@code size}: windows that do not overlap. */
    int stride() default 0;
}
