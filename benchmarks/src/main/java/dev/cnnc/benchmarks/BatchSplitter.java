package dev.cnnc.benchmarks;

import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * Runs one batch as {@code threads} contiguous parts at once: part 0 on the calling thread, the
 * others on fixed helper threads started once. This is how a user spreads a batch of independent
 * images over cores with the generated inference class, which runs each image on one thread.
 */
final class BatchSplitter implements AutoCloseable {

    /** The images {@code [from, to)} of the batch. */
    @FunctionalInterface
    interface Part {
        void run(int from, int to);
    }

    private final int threads;
    private final ExecutorService helpers;

    BatchSplitter(int threads) {
        if (threads < 1) {
            throw new IllegalArgumentException("threads must be at least 1, was " + threads);
        }
        this.threads = threads;
        this.helpers = threads == 1 ? null : Executors.newFixedThreadPool(threads - 1, runnable -> {
            Thread helper = new Thread(runnable, "batch-splitter");
            helper.setDaemon(true);
            return helper;
        });
    }

    /** Runs {@code part} over {@code [0, count)} split evenly, and returns when all parts are done. */
    void run(int count, Part part) throws InterruptedException, ExecutionException {
        Future<?>[] others = new Future<?>[threads - 1];
        for (int t = 1; t < threads; t++) {
            int from = count * t / threads;
            int to = count * (t + 1) / threads;
            others[t - 1] = helpers.submit(() -> part.run(from, to));
        }
        part.run(0, count / threads);
        for (Future<?> other : others) {
            other.get();
        }
    }

    @Override
    public void close() {
        if (helpers != null) {
            helpers.shutdownNow();
        }
    }
}
