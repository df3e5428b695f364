package dev.cnnc.runtime;

import java.io.Closeable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A fixed set of workers, each with its own {@link Workspace} and output buffer, that run numbered
 * tasks. Worker 0 is the calling thread; the others are daemon threads, stopped by {@link #close()}.
 *
 * <p>Which worker runs which task is left to chance, so a task's result must depend only on its
 * index, never on the worker: that is what makes training bitwise reproducible for any thread count.
 */
final class WorkerPool implements Closeable {

    /** One numbered piece of work. */
    interface Task {
        void run(Worker worker, int index) throws Exception;
    }

    /** A worker's private scratch memory. */
    static final class Worker {
        final int index;
        final Workspace workspace;
        final float[] output;

        Worker(int index, TrainableModel model) {
            this.index = index;
            this.workspace = model.newWorkspace();
            this.output = new float[model.outputSize()];
        }
    }

    private static final AtomicInteger POOL_NUMBER = new AtomicInteger();

    private final Worker[] workers;
    private final ExecutorService helpers;

    WorkerPool(TrainableModel model, int threads) {
        if (threads < 1) {
            throw new IllegalArgumentException("threads must be at least 1, was " + threads);
        }
        workers = new Worker[threads];
        for (int i = 0; i < threads; i++) {
            workers[i] = new Worker(i, model);
        }
        helpers = threads == 1 ? null : Executors.newFixedThreadPool(threads - 1, daemonThreads());
    }

    private static ThreadFactory daemonThreads() {
        final int pool = POOL_NUMBER.incrementAndGet();
        final AtomicInteger thread = new AtomicInteger();
        return runnable -> {
            Thread worker = new Thread(runnable, "cnnc-worker-" + pool + "-" + thread.incrementAndGet());
            worker.setDaemon(true);
            return worker;
        };
    }

    int threads() {
        return workers.length;
    }

    /**
     * Runs tasks {@code 0 .. taskCount-1} on all workers and returns when every one has finished. If
     * a task throws, no new tasks start, the call still waits for the running ones (so no thread
     * touches shared buffers afterwards) and then throws an {@link IllegalStateException} that names
     * the task and carries the first failure as its cause.
     */
    void run(final int taskCount, final Task task) {
        final AtomicInteger next = new AtomicInteger();
        final AtomicBoolean failed = new AtomicBoolean();
        int helperCount = helpers == null ? 0 : Math.min(workers.length, taskCount) - 1;
        Future<?>[] futures = new Future<?>[Math.max(helperCount, 0)];
        for (int h = 0; h < futures.length; h++) {
            final Worker worker = workers[h + 1];
            futures[h] = helpers.submit(() -> {
                drain(worker, task, taskCount, next, failed);
                return null;
            });
        }
        Throwable failure = null;
        try {
            drain(workers[0], task, taskCount, next, failed);
        } catch (Throwable t) {
            failure = t;
        }
        boolean interrupted = false;
        for (Future<?> future : futures) {
            while (true) {
                try {
                    future.get();
                    break;
                } catch (InterruptedException e) {
                    interrupted = true; // keep waiting: the helper still uses shared buffers
                } catch (ExecutionException e) {
                    if (failure == null) {
                        failure = e.getCause();
                    }
                    break;
                }
            }
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
        if (failure != null) {
            throw failure instanceof TaskFailure
                    ? new IllegalStateException(failure.getMessage(), failure.getCause())
                    : new IllegalStateException("worker failed: " + failure, failure);
        }
    }

    private static void drain(Worker worker, Task task, int taskCount, AtomicInteger next, AtomicBoolean failed)
            throws TaskFailure {
        int index;
        while (!failed.get() && (index = next.getAndIncrement()) < taskCount) {
            try {
                task.run(worker, index);
            } catch (Throwable t) {
                failed.set(true);
                throw new TaskFailure("worker " + worker.index + " (" + Thread.currentThread().getName()
                        + ") failed on task " + index + " of " + taskCount + ": " + t, t);
            }
        }
    }

    /** Carries the task's number to the caller; never leaves this class. */
    private static final class TaskFailure extends Exception {
        private static final long serialVersionUID = 1L;

        TaskFailure(String message, Throwable cause) {
            super(message, cause);
        }
    }

    /**
     * Stops the helper threads and waits for them to end, so no worker outlives the training call
     * (they are daemons as well, so a missed close cannot hang the JVM). An interrupt of the calling
     * thread does not cut the wait short; it is kept for the caller.
     */
    @Override
    public void close() {
        if (helpers == null) {
            return;
        }
        helpers.shutdownNow();
        boolean interrupted = false;
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (true) {
            try {
                if (helpers.awaitTermination(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS)
                        || System.nanoTime() >= deadline) {
                    break;
                }
            } catch (InterruptedException e) {
                interrupted = true;
            }
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
    }
}
