package dev.cnnc.runtime;

import java.io.Closeable;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;

/**
 * A fixed set of workers, each with its own {@link Workspace} and output buffer, that run numbered
 * tasks. Worker 0 is the calling thread; the others are daemon threads, stopped by {@link #close()}.
 *
 * <p>Which worker runs which task is left to chance, so a task's result must depend only on its
 * index, never on the worker: that is what makes training bitwise reproducible for any thread count.
 *
 * <p>Why the threads spin before they sleep: a training step is three short runs (gradient chunks,
 * the mean and its check, optimizer step) of a few milliseconds in all, and a parked thread took
 * 50-185 us to wake on a 2-vCPU KVM host, per run. So a helper that has found no work keeps
 * polling for the next run for {@link #SPIN_NANOS} before it parks, and the caller polls for the
 * helpers' last tasks as long before it parks. Between the runs of one training step nothing sleeps.
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

    /**
     * How long a thread polls before it parks: longer than the pause between two runs of a training
     * step or between two batches, short enough that an idle pool stops using its cores at once.
     */
    static final long SPIN_NANOS = TimeUnit.MILLISECONDS.toNanos(2);

    private static final AtomicInteger POOL_NUMBER = new AtomicInteger();

    private final Worker[] workers;
    private final Helper[] helpers;
    /** The run being handed out, or the last one; a helper reads it when it sees a new one. */
    private volatile Run current;
    private volatile boolean closed;

    WorkerPool(TrainableModel model, int threads) {
        if (threads < 1) {
            throw new IllegalArgumentException("threads must be at least 1, was " + threads);
        }
        workers = new Worker[threads];
        for (int i = 0; i < threads; i++) {
            workers[i] = new Worker(i, model);
        }
        helpers = new Helper[threads - 1];
        int pool = POOL_NUMBER.incrementAndGet();
        for (int h = 0; h < helpers.length; h++) {
            helpers[h] = new Helper(workers[h + 1], "cnnc-worker-" + pool + "-" + (h + 1));
        }
        for (Helper helper : helpers) {
            helper.thread.start();
        }
    }

    int threads() {
        return workers.length;
    }

    /**
     * Runs tasks {@code 0 .. taskCount-1} on all workers and returns when every one has finished. If
     * a task throws, no new tasks start, the call still waits for the running ones (so no thread
     * touches shared buffers afterwards) and then throws an {@link IllegalStateException} that names
     * the task and carries the first failure as its cause. One run at a time: not for tasks that call
     * {@code run} themselves.
     */
    void run(int taskCount, Task task) {
        if (closed) {
            throw new IllegalStateException("the worker pool is closed");
        }
        Run run = new Run(task, taskCount, Thread.currentThread());
        if (taskCount > 1 && helpers.length > 0) {
            current = run;
            for (Helper helper : helpers) {
                if (helper.sleeping) {
                    LockSupport.unpark(helper.thread);
                }
            }
        }
        run.drain(workers[0]);
        run.awaitTasks();
        if (run.failure != null) {
            throw new IllegalStateException(run.failure.getMessage(), run.failure.getCause());
        }
    }

    /**
     * One call of {@link #run}: its tasks, the next one to take and how many have ended. The caller
     * waits for the tasks, not for the helpers, so a helper that wakes late finds nothing left and
     * costs the caller nothing; and as every run is a new object, a late helper cannot take a task
     * of the next one.
     */
    private static final class Run {
        private final Task task;
        private final int taskCount;
        private final Thread caller;
        private final AtomicInteger next = new AtomicInteger();
        private final AtomicInteger ended = new AtomicInteger();
        private volatile boolean failed;
        private volatile boolean callerSleeping;
        /**
         * The first failure, named. Written before its task counts as ended, so the caller, who reads
         * it after the last count, sees it.
         */
        private TaskFailure failure;

        Run(Task task, int taskCount, Thread caller) {
            this.task = task;
            this.taskCount = taskCount;
            this.caller = caller;
        }

        /** Takes tasks until none is left; after a failure the rest are taken and skipped. */
        void drain(Worker worker) {
            int index;
            while ((index = next.getAndIncrement()) < taskCount) {
                if (!failed) {
                    try {
                        task.run(worker, index);
                    } catch (Throwable t) {
                        fail(new TaskFailure("worker " + worker.index + " (" + Thread.currentThread().getName()
                                + ") failed on task " + index + " of " + taskCount + ": " + t, t));
                    }
                }
                if (ended.incrementAndGet() == taskCount && callerSleeping) {
                    LockSupport.unpark(caller);
                }
            }
        }

        private synchronized void fail(TaskFailure taskFailure) {
            if (failure == null) {
                failure = taskFailure;
            }
            failed = true;
        }

        /**
         * Waits until every task has ended: polls, then parks. An interrupt does not cut the wait
         * short (a helper may still write shared buffers); it is kept for the caller.
         */
        void awaitTasks() {
            long start = System.nanoTime();
            while (ended.get() < taskCount) {
                if (System.nanoTime() - start > SPIN_NANOS) {
                    sleepUntilEnded();
                    return;
                }
            }
        }

        private void sleepUntilEnded() {
            boolean interrupted = false;
            callerSleeping = true;
            while (ended.get() < taskCount) {
                LockSupport.park(this);
                interrupted |= Thread.interrupted();
            }
            callerSleeping = false;
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }
    }

    /** A helper thread's loop: wait for a run it has not seen, take its tasks, wait again. */
    private final class Helper implements Runnable {
        private final Worker worker;
        final Thread thread;
        volatile boolean sleeping;

        Helper(Worker worker, String name) {
            this.worker = worker;
            this.thread = new Thread(this, name);
            thread.setDaemon(true);
        }

        @Override
        public void run() {
            Run seen = null;
            while (true) {
                Run run = awaitNewRun(seen);
                if (run == null) {
                    return;
                }
                run.drain(worker);
                seen = run;
            }
        }

        /** The next run after {@code seen}, or null once the pool is closed: polls, then parks. */
        private Run awaitNewRun(Run seen) {
            long start = System.nanoTime();
            while (true) {
                Run run = current;
                if (closed) {
                    return null;
                }
                if (run != seen) {
                    return run;
                }
                if (System.nanoTime() - start > SPIN_NANOS) {
                    // the caller sets current, then reads sleeping; this thread sets sleeping, then
                    // reads current: one of the two sees the other's write (both are volatile)
                    sleeping = true;
                    if (current == seen && !closed) {
                        LockSupport.park(this);
                    }
                    sleeping = false;
                    Thread.interrupted(); // nothing here interrupts a helper: a stray interrupt must not make park return at once forever
                }
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
        closed = true;
        boolean interrupted = false;
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        for (Helper helper : helpers) {
            LockSupport.unpark(helper.thread);
            while (helper.thread.isAlive()) {
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    break;
                }
                try {
                    helper.thread.join(Math.max(1, TimeUnit.NANOSECONDS.toMillis(left)));
                } catch (InterruptedException e) {
                    interrupted = true;
                }
            }
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
    }
}
