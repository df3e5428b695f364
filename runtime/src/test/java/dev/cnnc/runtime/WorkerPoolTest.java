package dev.cnnc.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicIntegerArray;
import org.junit.jupiter.api.Test;

/**
 * The pool's hand-over: every task of every run exactly once and finished when {@code run} returns,
 * helpers that take part whether they were polling or parked, that park when idle, and a caller that
 * keeps its interrupt.
 */
class WorkerPoolTest {
    private static final TrainableModel MODEL = new SoftmaxRegressionModel(4, 3);

    @Test
    void everyTaskOfEveryRunRunsOnceBeforeRunReturns() {
        try (WorkerPool pool = new WorkerPool(MODEL, 3)) {
            for (int round = 0; round < 3000; round++) {
                int taskCount = round % 11; // 0 and 1 (the caller alone) included
                AtomicIntegerArray runs = new AtomicIntegerArray(taskCount);
                pool.run(taskCount, (worker, index) -> runs.incrementAndGet(index));
                for (int i = 0; i < taskCount; i++) {
                    assertEquals(1, runs.get(i), "round " + round + ", task " + i);
                }
            }
        }
    }

    @Test
    void everyWorkerTakesATaskWhenTheOthersAreBusy() {
        try (WorkerPool pool = new WorkerPool(MODEL, 3)) {
            for (int round = 0; round < 20; round++) {
                // each task holds its worker until all three have one: only then can the run end, so
                // the run hangs (and the barrier times out) unless every worker takes part. Trivial
                // tasks could not show this: the caller may finish them before a helper wakes.
                CyclicBarrier allBusy = new CyclicBarrier(3);
                AtomicIntegerArray byWorker = new AtomicIntegerArray(3);
                pool.run(3, (worker, index) -> {
                    byWorker.incrementAndGet(worker.index);
                    allBusy.await(10, TimeUnit.SECONDS);
                });
                for (int w = 0; w < 3; w++) {
                    assertEquals(1, byWorker.get(w), "round " + round + ", tasks of worker " + w);
                }
            }
        }
    }

    @Test
    void parkedHelpersWakeForTheNextRunAndIdleHelpersPark() throws InterruptedException {
        try (WorkerPool pool = new WorkerPool(MODEL, 2)) {
            List<Thread> helpers = helperThreadsOf(pool);
            for (int round = 0; round < 3; round++) {
                awaitParked(helpers);
                AtomicIntegerArray byWorker = new AtomicIntegerArray(2);
                // tasks long enough that a woken helper must take some of them
                pool.run(8, (worker, index) -> {
                    byWorker.incrementAndGet(worker.index);
                    Thread.sleep(5);
                });
                assertEquals(8, byWorker.get(0) + byWorker.get(1));
                assertTrue(byWorker.get(1) > 0, "the parked helper took no task in round " + round);
            }
        }
    }

    @Test
    void anInterruptedCallerWaitsForEveryTaskAndKeepsItsInterrupt() {
        try (WorkerPool pool = new WorkerPool(MODEL, 2)) {
            AtomicIntegerArray runs = new AtomicIntegerArray(6);
            Thread.currentThread().interrupt();
            try {
                pool.run(6, (worker, index) -> {
                    if (worker.index == 1) {
                        TimeUnit.MILLISECONDS.sleep(20); // the caller waits for this one
                    }
                    runs.incrementAndGet(index);
                });
                for (int i = 0; i < 6; i++) {
                    assertEquals(1, runs.get(i), "task " + i);
                }
            } finally {
                assertTrue(Thread.interrupted(), "the caller's interrupt was lost");
            }
        }
    }

    @Test
    void aClosedPoolRefusesWorkAndLeavesNoThread() throws InterruptedException {
        WorkerPool pool = new WorkerPool(MODEL, 3);
        List<Thread> helpers = helperThreadsOf(pool);
        pool.run(4, (worker, index) -> { });
        pool.close();
        for (Thread helper : helpers) {
            assertFalse(helper.isAlive(), helper.getName() + " outlived close()");
        }
        assertEquals("the worker pool is closed",
                assertThrows(IllegalStateException.class, () -> pool.run(1, (worker, index) -> { })).getMessage());
    }

    /** The helper threads of the pool made last (pools are numbered in order). */
    private static List<Thread> helperThreadsOf(WorkerPool pool) {
        int newest = 0;
        for (Thread thread : Thread.getAllStackTraces().keySet()) {
            String[] parts = thread.getName().split("-");
            if (thread.getName().startsWith("cnnc-worker-") && thread.isAlive()) {
                newest = Math.max(newest, Integer.parseInt(parts[2]));
            }
        }
        List<Thread> helpers = new ArrayList<>();
        for (Thread thread : Thread.getAllStackTraces().keySet()) {
            if (thread.getName().startsWith("cnnc-worker-" + newest + "-")) {
                helpers.add(thread);
            }
        }
        assertEquals(pool.threads() - 1, helpers.size(), "helper threads of pool " + newest);
        return helpers;
    }

    /** Waits until every helper has stopped polling and parked (WAITING), at most 5 s. */
    private static void awaitParked(List<Thread> helpers) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        for (Thread helper : helpers) {
            while (helper.getState() != Thread.State.WAITING) {
                assertTrue(System.nanoTime() < deadline, helper.getName() + " still " + helper.getState()
                        + " after 5 s: an idle helper must park");
                Thread.sleep(1);
            }
        }
    }
}
