package dev.cnnc;

/** How a {@link Conv} treats the border of its input. */
public enum Padding {
    /**
     * No padding: the kernel only visits positions where it fits entirely. Output size
     * {@code floor((n - f) / s) + 1}.
     */
    VALID,
    /**
     * Pad with zeros so that the output has {@code ceil(n / s)} rows and columns (the input size at
     * stride 1). Total padding {@code max((out - 1) * s + f - n, 0)}, the smaller half before
     * (TensorFlow's rule).
     */
    SAME
}
