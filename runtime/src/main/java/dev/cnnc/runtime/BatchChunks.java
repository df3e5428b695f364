package dev.cnnc.runtime;

/**
 * How a batch is cut into chunks, the units that workers take and that fix the order of the
 * gradient's additions. The cut depends only on the batch size, never on the thread count, which is
 * what keeps training bitwise reproducible ({@link BatchGradient}).
 *
 * <p>Chunks shrink towards the end of the batch: each takes a third of the samples still left, at
 * least {@link #MIN} and at most {@link #MAX}. A batch of 64 is cut 8, 8, 8, 8, 8, 8, 6, 4, 2, 2, 2.
 * Why not equal chunks: workers take chunks as they get free, so the faster of two workers takes
 * more, but the last chunks end together only if they are small. On a 2-vCPU host one vCPU at times
 * ran a quarter slower than the other (docs/PERFORMANCE.md, "Uneven vCPUs"); eight chunks of 8 then
 * left the fast worker idle for most of a chunk at the end of every batch (two threads 1.40-1.58x
 * one, where the two vCPUs allowed about 1.77x), sixteen chunks of 4 reached 1.65-1.76x but cost two
 * threads 1-4% on an even host, as every chunk costs a pass over the parameters (zeroing its buffer,
 * adding it to the sum). Large chunks first and small ones last balance as well as the small ones
 * (1.76x in a simulation of those two speeds) with three chunks more than eight, not eight more.
 */
final class BatchChunks {
    /** The most samples in a chunk: enough that a chunk's own costs stay a few percent of it. */
    static final int MAX = 8;
    /** The fewest samples in a chunk but the batch's last one. */
    static final int MIN = 2;

    private BatchChunks() {
    }

    /** Samples in the chunk that starts when {@code remaining} samples of the batch are left. */
    static int size(int remaining) {
        int third = (remaining + 2) / 3;
        return Math.min(remaining, Math.max(MIN, Math.min(MAX, third)));
    }

    /** Chunks in a batch of {@code samples}; never fewer for a larger batch. For sizing buffers: it allocates. */
    static int count(int samples) {
        return starts(samples, new int[samples + 1]); // no chunk is empty, so there are at most samples
    }

    /**
     * Writes the first sample of each chunk of a batch of {@code samples}, relative to the batch, to
     * {@code starts[0 .. count]}, and {@code samples} after the last; returns the chunk count.
     */
    static int starts(int samples, int[] starts) {
        int chunks = 0;
        int start = 0;
        while (start < samples) {
            starts[chunks++] = start;
            start += size(samples - start);
        }
        starts[chunks] = samples;
        return chunks;
    }
}
