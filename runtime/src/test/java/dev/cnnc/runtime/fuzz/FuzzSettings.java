package dev.cnnc.runtime.fuzz;

/**
 * How many cases a fuzz property runs and from which seed. CI runs each property's small default
 * number of cases from a fixed seed (so a CI failure reproduces); {@code scripts/fuzz-long.sh} runs
 * the same properties with {@code -Dcnnc.fuzz.scale=N} (N times the cases) and a fresh
 * {@code -Dcnnc.fuzz.seed}.
 */
public final class FuzzSettings {
    /** The CI seed; any other value explores other cases. */
    public static final long DEFAULT_SEED = 0x5EED_F022_0001L;

    private FuzzSettings() {
    }

    /** {@code ciCases} times the scale factor {@code cnnc.fuzz.scale} (default 1). */
    public static int cases(int ciCases) {
        long scale = Math.max(1, Long.getLong("cnnc.fuzz.scale", 1));
        return (int) Math.min(Integer.MAX_VALUE, ciCases * scale);
    }

    /** The run's seed: {@code cnnc.fuzz.seed} (decimal or 0x hex), else {@link #DEFAULT_SEED}. */
    public static long seed() {
        String text = System.getProperty("cnnc.fuzz.seed");
        if (text == null || text.isEmpty()) {
            return DEFAULT_SEED;
        }
        return text.startsWith("0x") ? Long.parseUnsignedLong(text.substring(2), 16) : Long.parseLong(text);
    }
}
