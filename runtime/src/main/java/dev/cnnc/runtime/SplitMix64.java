package dev.cnnc.runtime;

/**
 * Steele, Lea and Flood's SplitMix64 generator: 64 bits of state, fully visible, so a checkpoint can
 * store it and a resumed run continues the same sequence. Unlike {@link java.util.Random} it has no
 * hidden state (no cached Gaussian) and every seed, 0 included, gives a good sequence.
 *
 * <p>{@link #derive(long, long...)} gives each (seed, key, ...) combination its own stream, e.g. one
 * per (epoch, image index) for augmentation, so results do not depend on the order or the thread in
 * which images are processed. The trainer, initialisation and data augmentation share this class.
 *
 * <p>Not thread-safe: one instance per thread or per draw.
 */
public final class SplitMix64 {
    private static final long GOLDEN_GAMMA = 0x9E3779B97F4A7C15L;

    private long state;

    /** A generator whose stream is fixed by {@code seed}; any value, 0 included, is a valid seed. */
    public SplitMix64(long seed) {
        this.state = seed;
    }

    /** The whole state; {@code new SplitMix64(s)} with this value continues the same sequence. */
    long state() {
        return state;
    }

    void setState(long state) {
        this.state = state;
    }

    /** The next 64 random bits. */
    public long nextLong() {
        state += GOLDEN_GAMMA;
        return mix(state);
    }

    /**
     * The finalizer of SplitMix64 (a bijection that scrambles every bit). Used to derive independent
     * seeds: seeds that differ by a multiple of the gamma would otherwise give shifted copies of one
     * stream.
     */
    public static long mix(long value) {
        long z = value;
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }

    /** Uniform in {@code [0, bound)} without modulo bias (Lemire's multiply-and-reject). */
    public int nextInt(int bound) {
        if (bound <= 0) {
            throw new IllegalArgumentException("bound must be positive, was " + bound);
        }
        long product = (nextLong() >>> 32) * bound;
        long low = product & 0xFFFFFFFFL;
        if (low < bound) {
            long threshold = ((1L << 32) - bound) % bound;
            while (low < threshold) {
                product = (nextLong() >>> 32) * bound;
                low = product & 0xFFFFFFFFL;
            }
        }
        return (int) (product >>> 32);
    }

    /** A uniform boolean. */
    public boolean nextBoolean() {
        return nextLong() < 0;
    }

    /** Uniform in {@code [0, 1)} with 24 random bits. */
    public float nextFloat() {
        return (nextLong() >>> 40) * 0x1.0p-24f;
    }

    /**
     * A generator for one (seed, key, key, ...) combination, e.g. {@code derive(seed, epoch, index)}:
     * the seed and each key are folded in through {@link #mix(long)}.
     */
    public static SplitMix64 derive(long seed, long... keys) {
        long state = mix(seed);
        for (long key : keys) {
            state = mix(state + GOLDEN_GAMMA + key);
        }
        return new SplitMix64(state);
    }

    /** Uniform in {@code [0, 1)} with 53 random bits. */
    public double nextDouble() {
        return (nextLong() >>> 11) * 0x1.0p-53;
    }

    /**
     * Standard normal by the Box-Muller transform. Uses one pair of draws per value and caches
     * nothing, so the state stays a single long. StrictMath keeps the values identical on every JVM.
     */
    public double nextGaussian() {
        double u1 = 1.0 - nextDouble(); // (0, 1]: log stays finite
        double u2 = nextDouble();
        return StrictMath.sqrt(-2.0 * StrictMath.log(u1)) * StrictMath.cos(2.0 * Math.PI * u2);
    }

    /** Fisher-Yates shuffle of {@code values} in place. */
    void shuffle(int[] values) {
        for (int i = values.length - 1; i > 0; i--) {
            int j = nextInt(i + 1);
            int swap = values[i];
            values[i] = values[j];
            values[j] = swap;
        }
    }
}
