package dev.cnnc.runtime;

/**
 * Finds NaN and infinite floats in an array range, fast when there are none (the usual case): a
 * first pass keeps the largest magnitude's bits as an int, a max that C2 vectorizes (NaN and the
 * infinities lie above every finite float's bits); only if that shows one does a second pass look for
 * the first. Over a 39 MB data set (3,200 CIFAR images) the first pass took about 9 ms on JDK 17 and
 * 25, a loop comparing each float 20-23 ms; the training set is checked on every {@code fit}.
 */
final class NonFinite {
    /** Bits of {@code Float.POSITIVE_INFINITY}: a magnitude's bits at or above it are not finite. */
    private static final int INFINITY_BITS = 0x7f800000;

    private NonFinite() {}

    /** Whether {@code magnitudeBits} ({@link #magnitudeBits} of a float, or a max of them) is finite. */
    static boolean isFinite(int magnitudeBits) {
        return magnitudeBits < INFINITY_BITS;
    }

    /** A float's bits without the sign, as an int: ordered as the magnitudes, NaN above infinity. */
    static int magnitudeBits(float value) {
        return Float.floatToRawIntBits(value) & 0x7fffffff;
    }

    /** The index of the first NaN or infinite float in {@code values[start, end)}, or -1 if all are finite. */
    static int first(float[] values, int start, int end) {
        int largest = 0;
        for (int i = start; i < end; i++) {
            largest = Math.max(largest, magnitudeBits(values[i]));
        }
        return isFinite(largest) ? -1 : locate(values, start, end);
    }

    /**
     * The index of the first NaN or infinite float in {@code values[start, end)}, one by one: for a range
     * a max of {@link #magnitudeBits} has already shown to hold one (else -1).
     */
    static int locate(float[] values, int start, int end) {
        for (int i = start; i < end; i++) {
            if (!isFinite(magnitudeBits(values[i]))) {
                return i;
            }
        }
        return -1;
    }
}
