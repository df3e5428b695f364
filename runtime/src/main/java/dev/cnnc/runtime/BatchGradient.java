package dev.cnnc.runtime;

import java.util.Arrays;

/**
 * The mean gradient of one mini-batch, computed on all workers and bitwise identical for any
 * number of threads, its check for NaN and infinities, and the optimizer step that applies it (also
 * on all workers, block by block).
 *
 * <p>Why it is reproducible: float addition is not associative, so the sum must not depend on which
 * thread did what. The batch is cut into chunks of {@link #CHUNK} samples (a constant, not derived
 * from the thread count); each chunk sums its samples' gradients in sample order into its own
 * buffer (a generated model prepares its transposed dense weights once per chunk); then every
 * parameter is summed over the chunk buffers in chunk order. Threads only change who computes a
 * chunk or a parameter range, never the order of any addition.
 */
final class BatchGradient {
    /** Samples per chunk. Small enough to balance 8+ threads at batch 64, large enough to amortize. */
    static final int CHUNK = 8;
    /**
     * Parameters per reduction and optimizer task: 32 KB of the mean gradient, which stays in L1 while
     * each chunk is added.
     */
    private static final int REDUCE_BLOCK = 8192;

    private final TrainableModel model;
    private final WorkerPool pool;
    private final float[][] chunkGradients;
    private final float[][] chunkOutputs;
    private final double[] chunkLoss;
    private final int[] chunkCorrect;
    private final float[] meanGradient;
    /** Per block of REDUCE_BLOCK parameters: its first NaN or infinite mean gradient, or -1. */
    private final int[] blockNonFinite;
    private int lastCount;

    BatchGradient(TrainableModel model, WorkerPool pool, int maxBatchSize) {
        this.model = model;
        this.pool = pool;
        int chunks = (maxBatchSize + CHUNK - 1) / CHUNK;
        int parameterCount = model.parameterCount();
        chunkGradients = new float[chunks][parameterCount];
        chunkOutputs = new float[chunks][CHUNK * model.outputSize()];
        chunkLoss = new double[chunks];
        chunkCorrect = new int[chunks];
        meanGradient = new float[parameterCount];
        blockNonFinite = new int[(parameterCount + REDUCE_BLOCK - 1) / REDUCE_BLOCK];
    }

    /**
     * Computes the mean gradient, loss sum and correct count of the samples {@code order[from .. to)}
     * of {@code data}. The model's parameters must not change meanwhile.
     */
    void compute(final Dataset data, final int[] order, final int from, final int to) {
        final int count = to - from;
        final int chunks = (count + CHUNK - 1) / CHUNK;
        if (chunks > chunkGradients.length) {
            throw new IllegalArgumentException("batch of " + count + " exceeds the prepared size");
        }
        final float[] images = data.images();
        final int[] labels = data.labels();
        final int outputSize = model.outputSize();
        pool.run(chunks, (worker, chunk) -> {
            float[] gradient = chunkGradients[chunk];
            float[] outputs = chunkOutputs[chunk];
            Arrays.fill(gradient, 0f);
            int start = from + chunk * CHUNK;
            int end = Math.min(start + CHUNK, to);
            chunkLoss[chunk] = model.gradients(worker.workspace, images, labels, order, start, end, gradient, outputs);
            int correct = 0;
            for (int k = 0; k < end - start; k++) {
                if (Losses.argmax(outputs, k * outputSize, outputSize) == labels[order[start + k]]) {
                    correct++;
                }
            }
            chunkCorrect[chunk] = correct;
        });
        final int parameterCount = meanGradient.length;
        pool.run(blockNonFinite.length, (worker, block) -> {
            int start = block * REDUCE_BLOCK;
            int end = Math.min(start + REDUCE_BLOCK, parameterCount);
            // Chunk by chunk over the block (it stays in L1), not chunk sums per parameter: the same
            // additions in the same order, but loops over one array that C2 vectorizes.
            System.arraycopy(chunkGradients[0], start, meanGradient, start, end - start);
            for (int chunk = 1; chunk < chunks; chunk++) {
                float[] gradient = chunkGradients[chunk];
                for (int i = start; i < end; i++) {
                    meanGradient[i] += gradient[i];
                }
            }
            // the largest magnitude's bits, as an int (see NonFinite): one pass that C2 vectorizes
            int largest = 0;
            for (int i = start; i < end; i++) {
                float mean = meanGradient[i] / count;
                meanGradient[i] = mean;
                largest = Math.max(largest, NonFinite.magnitudeBits(mean));
            }
            blockNonFinite[block] = NonFinite.isFinite(largest) ? -1 : NonFinite.locate(meanGradient, start, end);
        });
        lastCount = count;
    }

    /** The first parameter whose mean gradient in the last batch is NaN or infinite, or -1. */
    int firstNonFinite() {
        for (int index : blockNonFinite) {
            if (index >= 0) {
                return index; // blocks are in parameter order
            }
        }
        return -1;
    }

    /**
     * Applies {@code optimizer}'s step for the last batch's mean gradient to {@code parameters}, block
     * by block on all workers (each parameter's update is its own, so the bits are one thread's).
     */
    void step(final Optimizer optimizer, final float[] parameters, float learningRate) {
        optimizer.begin(parameters, meanGradient, learningRate);
        final int parameterCount = parameters.length;
        pool.run(blockNonFinite.length, (worker, block) -> {
            int start = block * REDUCE_BLOCK;
            optimizer.update(parameters, meanGradient, start, Math.min(start + REDUCE_BLOCK, parameterCount));
        });
    }

    /** Sum of the per-sample losses of the last batch, added in chunk order. */
    double lossSum() {
        double sum = 0;
        for (int chunk = 0; chunk * CHUNK < lastCount; chunk++) {
            sum += chunkLoss[chunk];
        }
        return sum;
    }

    /** Samples of the last batch whose largest output was the label. */
    int correct() {
        int sum = 0;
        for (int chunk = 0; chunk * CHUNK < lastCount; chunk++) {
            sum += chunkCorrect[chunk];
        }
        return sum;
    }

    /** The mean gradient of the last batch (a live buffer, overwritten by the next batch). */
    float[] meanGradient() {
        return meanGradient;
    }
}
