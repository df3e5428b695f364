package dev.cnnc.processor.model;

/**
 * How a window of side {@code kernel} moves along one axis of length {@code input}: the single place
 * where cnnc does shape arithmetic. Everything else (validation, summary, code generation) reads
 * the fields of an {@code Axis}.
 *
 * <p>Output length: {@code floor((n + padBefore + padAfter - f) / s) + 1}, the lecture's
 * {@code floor((n + 2p - f) / s) + 1} when both sides get {@code p}. SAME padding follows
 * TensorFlow: {@code out = ceil(n / s)}, total padding {@code max((out - 1) * s + f - n, 0)}, the
 * smaller half before.
 *
 * @param input     n, the incoming length
 * @param kernel    f, the window side
 * @param stride    s
 * @param padBefore zeros added before the first element
 * @param padAfter  zeros added after the last element
 * @param output    number of window positions; {@code <= 0} if the window does not fit
 * @param unused    trailing padded elements that no window reaches ({@code (n + pads - f) mod s})
 */
public record Axis(int input, int kernel, int stride, int padBefore, int padAfter, int output, int unused) {

    /** No padding: {@code floor((n - f) / s) + 1}. */
    public static Axis valid(int input, int kernel, int stride) {
        return padded(input, kernel, stride, 0, 0);
    }

    /** Explicit padding on each side. */
    public static Axis padded(int input, int kernel, int stride, int padBefore, int padAfter) {
        long span = (long) input + padBefore + padAfter - kernel;
        int output = span < 0 ? 0 : (int) (span / stride + 1);
        int unused = span < 0 ? 0 : (int) (span % stride);
        return new Axis(input, kernel, stride, padBefore, padAfter, output, unused);
    }

    /** TensorFlow's SAME: {@code out = ceil(n / s)}, the smaller half of the padding before. */
    public static Axis same(int input, int kernel, int stride) {
        int output = input <= 0 ? 0 : (input - 1) / stride + 1; // ceil(n / s) without overflowing n + s - 1
        int total = Math.max((output - 1) * stride + kernel - input, 0);
        int before = total / 2;
        return padded(input, kernel, stride, before, total - before);
    }

    /** Padded input length, {@code n + padBefore + padAfter}. */
    public int paddedInput() {
        return input + padBefore + padAfter;
    }

    /** Where the last window ends in the padded input ({@code (out - 1) * s + f}); {@code unused} elements follow. */
    public int lastWindowEnd() {
        return (output - 1) * stride + kernel;
    }

    public boolean fits() {
        return output > 0;
    }
}
