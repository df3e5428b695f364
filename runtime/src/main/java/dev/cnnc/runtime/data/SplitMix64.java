package dev.cnnc.runtime.data;

/**
 * The SplitMix64 generator (Steele, Lea and Flood, "Fast splittable pseudorandom number
 * generators", OOPSLA 2014): a 64-bit counter advanced by the golden-ratio constant and passed
 * through a bijective mixing function. Small, fast, the same on every JVM and Android, and every
 * seed, 0 included, gives a good stream.
 *
 * <p>{@link #mix(long)} is also a good hash: deriving a generator from {@code mix(seed)} and keys
 * such as the epoch and the image index gives each image its own stream, so results do not depend
 * on the order or the thread in which images are processed.
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

    /** The mixing function (a bijection on 64-bit values, variant 13 of Stafford's finalizers). */
    public static long mix(long value) {
        long z = value;
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }

    /** The next 64 random bits. */
    public long nextLong() {
        state += GOLDEN_GAMMA;
        return mix(state);
    }

    /** A uniform integer in {@code [0, bound)}, without modulo bias. */
    public int nextInt(int bound) {
        if (bound <= 0) {
            throw new IllegalArgumentException("bound must be positive, got " + bound);
        }
        // Rejection sampling on 31-bit values as java.util.Random does: reject the top, partial range.
        while (true) {
            int bits = (int) (nextLong() >>> 33);
            int value = bits % bound;
            if (bits - value + (bound - 1) >= 0) {
                return value;
            }
        }
    }

    /** A uniform boolean. */
    public boolean nextBoolean() {
        return nextLong() < 0;
    }

    /** A uniform float in {@code [0, 1)} with 24 random bits. */
    public float nextFloat() {
        return (nextLong() >>> 40) * 0x1.0p-24f;
    }

    /** A uniform double in {@code [0, 1)} with 53 random bits. */
    public double nextDouble() {
        return (nextLong() >>> 11) * 0x1.0p-53;
    }
}
