package dev.cnnc.runtime;

import java.util.Arrays;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicIntegerArray;

/**
 * The mean gradient of one mini-batch, computed on all workers and bitwise identical for any
 * number of threads, its check for NaN and infinities, and the optimizer step that applies it (also
 * on all workers, block by block).
 *
 * <p>Why it is reproducible: float addition is not associative, so the sum must not depend on which
 * thread did what. The batch is cut into chunks ({@link BatchChunks}: sizes that depend on the batch
 * size, not on the thread count); each chunk sums its samples' gradients in sample order into its own
 * buffer (a generated model transposes its dense weights once per worker and batch); then every
 * parameter is summed over the chunk buffers in chunk order. Threads only change who computes a
 * chunk or a parameter range, never the order of any addition.
 *
 * <p>The sum over the chunks is added up while the chunks are still being computed: whichever worker
 * finishes a chunk adds every finished chunk that is next in chunk order (one worker at a time), so
 * a chunk is mostly added while it is still in its worker's cache, and when the last chunk ends only
 * it is left to add, instead of all of them in a separate pass.
 */
final class BatchGradient {
    /** Parameters per task of the pass that divides the sum by the count and checks it, and of the optimizer step. */
    private static final int BLOCK = 8192;

    private final TrainableModel model;
    private final WorkerPool pool;
    private final int maxBatchSize;
    /** The first sample of each chunk of the current batch, relative to the batch, then its size. */
    private final int[] chunkStarts;
    private final float[][] chunkGradients;
    private final float[][] chunkOutputs;
    private final double[] chunkLoss;
    private final int[] chunkCorrect;
    private final float[] meanGradient;
    /** Per block of {@link #BLOCK} parameters: its first NaN or infinite mean gradient, or -1. */
    private final int[] blockNonFinite;
    /** Per worker: the number of the last batch it prepared the model's weights for. */
    private final int[] preparedBatch;
    /** Per chunk: the number of the batch whose gradient its buffer holds, set when it is complete. */
    private final AtomicIntegerArray chunkBatch;
    /** Held by the worker that adds finished chunks into the sum. */
    private final AtomicBoolean adding = new AtomicBoolean();
    /** The chunks of this batch added into {@link #meanGradient}, always a prefix in chunk order. */
    private volatile int added;
    private int batchNumber;
    private int lastChunks;

    BatchGradient(TrainableModel model, WorkerPool pool, int maxBatchSize) {
        this.model = model;
        this.pool = pool;
        this.maxBatchSize = maxBatchSize;
        int chunks = BatchChunks.count(maxBatchSize); // no smaller batch has more
        int parameterCount = model.parameterCount();
        chunkStarts = new int[chunks + 1];
        chunkGradients = new float[chunks][parameterCount];
        chunkOutputs = new float[chunks][BatchChunks.MAX * model.outputSize()];
        chunkLoss = new double[chunks];
        chunkCorrect = new int[chunks];
        meanGradient = new float[parameterCount];
        blockNonFinite = new int[(parameterCount + BLOCK - 1) / BLOCK];
        preparedBatch = new int[pool.threads()];
        chunkBatch = new AtomicIntegerArray(chunks);
    }

    /**
     * Computes the mean gradient, loss sum and correct count of the samples {@code order[from .. to)}
     * of {@code data}. The model's parameters must not change meanwhile.
     */
    void compute(final Dataset data, final int[] order, final int from, final int to) {
        final int count = to - from;
        if (count > maxBatchSize) {
            throw new IllegalArgumentException("batch of " + count + " exceeds the prepared size of " + maxBatchSize);
        }
        final int chunks = BatchChunks.starts(count, chunkStarts);
        final float[] images = data.images();
        final int[] labels = data.labels();
        final int outputSize = model.outputSize();
        final int batch = ++batchNumber; // a worker's first chunk of a batch prepares the weights, the others reuse them
        added = 0;
        pool.run(chunks, (worker, chunk) -> {
            float[] gradient = chunkGradients[chunk];
            float[] outputs = chunkOutputs[chunk];
            Arrays.fill(gradient, 0f);
            int start = from + chunkStarts[chunk];
            int end = from + chunkStarts[chunk + 1];
            boolean weightsUnchanged = preparedBatch[worker.index] == batch;
            preparedBatch[worker.index] = batch;
            chunkLoss[chunk] = model.gradients(worker.workspace, images, labels, order, start, end, gradient, outputs,
                    weightsUnchanged);
            int correct = 0;
            for (int k = 0; k < end - start; k++) {
                if (Losses.argmax(outputs, k * outputSize, outputSize) == labels[order[start + k]]) {
                    correct++;
                }
            }
            chunkCorrect[chunk] = correct;
            chunkBatch.set(chunk, batch);
            addFinishedChunks(batch, chunks);
        });
        if (added != chunks) {
            throw new AssertionError(added + " of " + chunks + " chunks added"); // addFinishedChunks is broken
        }
        final int parameterCount = meanGradient.length;
        pool.run(blockNonFinite.length, (worker, block) -> {
            int start = block * BLOCK;
            int end = Math.min(start + BLOCK, parameterCount);
            // the largest magnitude's bits, as an int (see NonFinite): one pass that C2 vectorizes
            int largest = 0;
            for (int i = start; i < end; i++) {
                float mean = meanGradient[i] / count;
                meanGradient[i] = mean;
                largest = Math.max(largest, NonFinite.magnitudeBits(mean));
            }
            blockNonFinite[block] = NonFinite.isFinite(largest) ? -1 : NonFinite.locate(meanGradient, start, end);
        });
        lastChunks = chunks;
    }

    /**
     * Adds every finished chunk that is next in chunk order into the sum, if no other worker is
     * adding. A chunk that finishes while another worker adds is not lost: that worker looks again
     * after it lets go.
     */
    private void addFinishedChunks(int batch, int chunks) {
        while (added < chunks && chunkBatch.get(added) == batch && adding.compareAndSet(false, true)) {
            try {
                int chunk = added;
                for (; chunk < chunks && chunkBatch.get(chunk) == batch; chunk++) {
                    float[] gradient = chunkGradients[chunk];
                    if (chunk == 0) {
                        System.arraycopy(gradient, 0, meanGradient, 0, meanGradient.length);
                    } else {
                        for (int i = 0; i < meanGradient.length; i++) {
                            meanGradient[i] += gradient[i];
                        }
                    }
                }
                added = chunk;
            } finally {
                adding.set(false);
            }
        }
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
            int start = block * BLOCK;
            optimizer.update(parameters, meanGradient, start, Math.min(start + BLOCK, parameterCount));
        });
    }

    /** Sum of the per-sample losses of the last batch, added in chunk order. */
    double lossSum() {
        double sum = 0;
        for (int chunk = 0; chunk < lastChunks; chunk++) {
            sum += chunkLoss[chunk];
        }
        return sum;
    }

    /** Samples of the last batch whose largest output was the label. */
    int correct() {
        int sum = 0;
        for (int chunk = 0; chunk < lastChunks; chunk++) {
            sum += chunkCorrect[chunk];
        }
        return sum;
    }

    /** The mean gradient of the last batch (a live buffer, overwritten by the next batch). */
    float[] meanGradient() {
        return meanGradient;
    }
}
