package dev.cnnc.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class NonFiniteTest {
    /** Every kind of non-finite float, including NaNs with the sign bit and odd payloads. */
    private static final float[] NON_FINITE = {Float.NaN, Float.POSITIVE_INFINITY, Float.NEGATIVE_INFINITY,
        Float.intBitsToFloat(0xffc00000), Float.intBitsToFloat(0x7f800001), Float.intBitsToFloat(0xffffffff)};
    /** The finite floats nearest to them, and the zeros and subnormals. */
    private static final float[] EDGES = {Float.MAX_VALUE, -Float.MAX_VALUE, Float.MIN_VALUE, -Float.MIN_VALUE,
        0f, -0f, Float.MIN_NORMAL, 1f};

    @Test
    void finiteValuesHaveNone() {
        float[] values = new float[1000];
        for (int i = 0; i < values.length; i++) {
            values[i] = EDGES[i % EDGES.length] * (i % 3 == 0 ? 1f : 0.5f);
        }
        assertEquals(-1, NonFinite.first(values, 0, values.length));
        assertEquals(-1, NonFinite.first(values, 7, 7));
    }

    @Test
    void findsTheFirstNonFiniteValueInTheRangeAtEveryPosition() {
        for (float bad : NON_FINITE) {
            for (int at = 0; at < 67; at++) {
                float[] values = new float[67];
                for (int i = 0; i < values.length; i++) {
                    values[i] = EDGES[i % EDGES.length];
                }
                values[at] = bad;
                values[66 - at / 2] = Float.isNaN(bad) ? Float.POSITIVE_INFINITY : Float.NaN;
                int later = Math.max(at, 66 - at / 2);
                int earlier = Math.min(at, 66 - at / 2);
                assertEquals(earlier, NonFinite.first(values, 0, values.length), "bad at " + at);
                assertEquals(later == earlier ? -1 : later, NonFinite.first(values, earlier + 1, values.length));
                assertEquals(-1, NonFinite.first(values, 0, earlier), "bad at " + at);
            }
        }
    }
}
