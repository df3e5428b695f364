package dev.cnnc.runtime;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** The cut of a batch into chunks: shrinking towards the end, covering every sample once, in order. */
class BatchChunksTest {

    @Test
    void aBatchOf64IsCutIntoLargeChunksFirstAndSmallOnesLast() {
        assertArrayEquals(new int[] {8, 8, 8, 8, 8, 8, 6, 4, 2, 2, 2}, sizes(64));
        assertArrayEquals(new int[] {8, 8, 8, 8, 8, 8, 8, 8, 8, 8, 8, 8, 8, 8, 6, 4, 2, 2, 2}, sizes(128));
        assertArrayEquals(new int[] {2, 1}, sizes(3));
        assertArrayEquals(new int[] {1}, sizes(1));
    }

    @Test
    void everyBatchSizeIsCoveredInOrderAndNoLargerBatchHasFewerChunks() {
        int[] starts = new int[BatchChunks.count(5000) + 1];
        int previousCount = 0;
        for (int samples = 1; samples <= 5000; samples++) {
            int chunks = BatchChunks.starts(samples, starts);
            assertEquals(BatchChunks.count(samples), chunks, "samples " + samples);
            assertTrue(chunks >= previousCount, "samples " + samples + ": " + chunks + " chunks, " + previousCount + " before");
            previousCount = chunks;
            assertEquals(0, starts[0]);
            assertEquals(samples, starts[chunks]);
            for (int c = 0; c < chunks; c++) {
                int size = starts[c + 1] - starts[c];
                assertTrue(size >= 1 && size <= BatchChunks.MAX, "samples " + samples + ", chunk " + c + ": " + size);
                if (c < chunks - 1) {
                    assertTrue(size >= BatchChunks.MIN, "samples " + samples + ", chunk " + c + ": " + size);
                }
                if (c > 0) {
                    assertTrue(size <= starts[c] - starts[c - 1], "samples " + samples + ": chunk " + c + " grew");
                }
            }
        }
    }

    private static int[] sizes(int samples) {
        int[] starts = new int[BatchChunks.count(samples) + 1];
        int chunks = BatchChunks.starts(samples, starts);
        int[] sizes = new int[chunks];
        for (int c = 0; c < chunks; c++) {
            sizes[c] = starts[c + 1] - starts[c];
        }
        return sizes;
    }
}
