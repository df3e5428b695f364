package dev.cnnc.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Arrays;
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

    /**
     * The pooled check reports the first bad float of the whole array, whichever worker reads which
     * block: bad floats in a later block as well, at block edges, in the partial last block.
     */
    @Test
    void theCheckOnAPoolFindsTheFirstNonFiniteValueAcrossItsBlocks() {
        int length = 3 * NonFinite.BLOCK + 5;
        int[][] placements = {
            {},
            {length - 1},
            {NonFinite.BLOCK, length - 1},
            {2 * NonFinite.BLOCK - 1, NonFinite.BLOCK + 7, 3 * NonFinite.BLOCK},
            {0, 2 * NonFinite.BLOCK},
        };
        for (int threads = 1; threads <= 3; threads++) {
            try (WorkerPool pool = new WorkerPool(new SoftmaxRegressionModel(4, 3), threads)) {
                for (int[] bad : placements) {
                    float[] values = new float[length];
                    for (int i = 0; i < length; i++) {
                        values[i] = EDGES[i % EDGES.length];
                    }
                    int first = -1;
                    for (int k = 0; k < bad.length; k++) {
                        values[bad[k]] = NON_FINITE[k % NON_FINITE.length];
                        first = first < 0 ? bad[k] : Math.min(first, bad[k]);
                    }
                    String where = threads + " thread(s), bad at " + Arrays.toString(bad);
                    assertEquals(first, NonFinite.first(values, pool), where);
                    assertEquals(first, NonFinite.first(values, 0, length), where);
                }
            }
        }
    }
}
