package dev.cnnc.runtime;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.File;
import java.io.IOException;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** Interrupting training stops it within a batch, joins its workers and leaves a checkpoint that resumes exactly. */
class TrainerInterruptTest extends RuntimeTestBase {
    private static final Dataset DATA = blobs(400, 6, 3, 40);
    /** 400 samples in batches of 16: 25 batches per epoch. */
    private static final int BATCH = 16;

    private static Trainer.Builder run(TrainableModel model) {
        return Trainer.builder(model).optimizer(new Sgd(0.05f).momentum(0.9f)).batchSize(BATCH).epochs(3).seed(SEED)
                .threads(3).quiet();
    }

    @Test
    void interruptStopsBeforeTheNextBatchAndTheCheckpointResumesBitwise() throws IOException, InterruptedException {
        TrainableModel uninterrupted = new TanhMlpModel(6, 5, 3);
        run(uninterrupted).build().fit(DATA);

        // Interrupt the training thread from a worker in the middle of epoch 2 (sample 150 of it).
        final Thread trainerThread = Thread.currentThread();
        final AtomicInteger calls = new AtomicInteger();
        final int interruptAt = DATA.count() + 150;
        TrainableModel interrupted = new DelegatingModel(new TanhMlpModel(6, 5, 3)) {
            @Override
            public float gradient(Workspace workspace, float[] images, int offset, int label, float[] grad,
                                  float[] output, int outputOffset) {
                if (calls.incrementAndGet() == interruptAt) {
                    trainerThread.interrupt();
                }
                return super.gradient(workspace, images, offset, label, grad, output, outputOffset);
            }
        };
        File checkpoint = file("run.ckpt");
        TrainingInterruptedException e;
        try {
            e = assertThrows(TrainingInterruptedException.class,
                    () -> run(interrupted).checkpointTo(checkpoint).build().fit(DATA));
        } finally {
            assertTrue(Thread.interrupted(), "the interrupt flag is kept for the thread's owner");
        }
        // Sample 150 of epoch 2 is in batch 10 (samples 144..159); training stops before batch 11.
        assertEquals(2, e.epoch());
        assertEquals(11, e.batch());
        assertEquals("training interrupted before epoch 2/3, batch 11/25; the parameters are those after the batch"
                + " before; " + checkpoint + " holds epoch 1, resume from it with the same settings", e.getMessage());
        assertEquals(DATA.count() + 10 * BATCH, calls.get(), "no batch started after the interrupt");
        TrainerTest.assertNoWorkerThreadSurvives();

        assertEquals(1, Checkpoint.load(checkpoint, interrupted).epoch());
        TrainableModel resumed = new TanhMlpModel(6, 5, 3);
        History history = run(resumed).resumeFrom(checkpoint).build().fit(DATA);
        assertEquals(3, history.epochs());
        assertArrayEquals(DeterminismTest.bits(uninterrupted.parameters()), DeterminismTest.bits(resumed.parameters()),
                "the resumed run differs from the uninterrupted one");
    }

    @Test
    void interruptBeforeTheFirstBatchSaysNoCheckpointWasWritten() {
        TrainableModel model = new TanhMlpModel(6, 5, 3);
        float[] before = model.parameters().clone();
        Thread.currentThread().interrupt();
        TrainingInterruptedException e;
        try {
            e = assertThrows(TrainingInterruptedException.class,
                    () -> run(model).checkpointTo(file("never.ckpt")).build().fit(DATA));
        } finally {
            assertTrue(Thread.interrupted());
        }
        assertTrue(e.getMessage().endsWith("; no checkpoint was written yet"), e.getMessage());
        assertFalse(file("never.ckpt").exists());
        assertFalse(java.util.Arrays.equals(before, model.parameters()), "initialized, then stopped");
    }
}
