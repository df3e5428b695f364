package dev.cnnc.runtime;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.File;
import java.io.IOException;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

/** Training gives the same bits for any thread count, and a resumed run equals an uninterrupted one. */
class DeterminismTest extends RuntimeTestBase {
    /** 100 samples in batches of 24: chunks of 8, 8, 8 and a last batch of 4. */
    private static final Dataset DATA = blobs(100, 6, 3, 10);

    private static Trainer.Builder sgdRun(TrainableModel model, int threads) {
        return Trainer.builder(model)
                .optimizer(new Sgd(0.05f).momentum(0.9f).nesterov(true).weightDecay(1e-3f))
                .batchSize(24)
                .epochs(4)
                .seed(SEED)
                .init(Init.GLOROT_UNIFORM)
                .threads(threads)
                .quiet();
    }

    @Test
    void mlpTrainsToIdenticalBitsOnOneTwoAndFourThreads() throws IOException {
        float[] reference = null;
        double[] referenceLosses = null;
        for (int threads : new int[] {1, 2, 4}) {
            TrainableModel model = new TanhMlpModel(6, 5, 3);
            History history = sgdRun(model, threads).build().fit(DATA);
            if (reference == null) {
                reference = model.parameters().clone();
                referenceLosses = history.trainLosses();
                continue;
            }
            assertArrayEquals(bits(reference), bits(model.parameters()), "parameters with " + threads + " threads");
            assertArrayEquals(referenceLosses, history.trainLosses(), "losses with " + threads + " threads");
        }
    }

    @Test
    void softmaxRegressionWithAdamIsIdenticalOnOneAndThreeThreads() throws IOException {
        float[][] results = new float[2][];
        int[] threadCounts = {1, 3};
        for (int run = 0; run < 2; run++) {
            TrainableModel model = new SoftmaxRegressionModel(6, 3);
            Trainer.builder(model).optimizer(new Adam(0.01f)).batchSize(64).epochs(3).seed(SEED)
                    .threads(threadCounts[run]).quiet().build().fit(DATA);
            results[run] = model.parameters().clone();
        }
        assertArrayEquals(bits(results[0]), bits(results[1]));
    }

    @Test
    void differentSeedsGiveDifferentRuns() throws IOException {
        TrainableModel first = new TanhMlpModel(6, 5, 3);
        TrainableModel second = new TanhMlpModel(6, 5, 3);
        sgdRun(first, 2).seed(0).build().fit(DATA);
        sgdRun(second, 2).seed(1).build().fit(DATA);
        assertFalse(Arrays.equals(first.parameters(), second.parameters()));
    }

    @Test
    void resumedRunEqualsUninterruptedRun() throws IOException {
        TrainableModel uninterrupted = new TanhMlpModel(6, 5, 3);
        History full = adamRun(uninterrupted, 2).build().fit(DATA);

        // Crash after epoch 2 of 5 (the checkpoint of epoch 2 is already written), on one thread ...
        File checkpointFile = file("run.ckpt");
        TrainableModel crashed = new TanhMlpModel(6, 5, 3);
        RuntimeException crash = assertThrows(RuntimeException.class, () -> adamRun(crashed, 1)
                .checkpointTo(checkpointFile)
                .listener((epoch, history) -> {
                    if (epoch == 2) {
                        throw new RuntimeException("simulated crash");
                    }
                    return true;
                })
                .build().fit(DATA));
        assertEquals("simulated crash", crash.getMessage());
        assertEquals(2, Checkpoint.load(checkpointFile, crashed).epoch());

        // ... and resume in a fresh process-like state (new model, new optimizer) on three threads.
        TrainableModel resumed = new TanhMlpModel(6, 5, 3);
        History continued = adamRun(resumed, 3).resumeFrom(checkpointFile).checkpointTo(checkpointFile)
                .build().fit(DATA);

        assertArrayEquals(bits(uninterrupted.parameters()), bits(resumed.parameters()));
        assertEquals(5, continued.epochs());
        assertArrayEquals(full.trainLosses(), continued.trainLosses());
        for (int epoch = 0; epoch < 5; epoch++) {
            assertEquals(full.learningRate(epoch), continued.learningRate(epoch), "learning rate of epoch " + epoch);
            assertEquals(full.validationLoss(epoch), continued.validationLoss(epoch), "val loss of epoch " + epoch);
        }
        assertEquals(5, Checkpoint.load(checkpointFile, resumed).epoch());
    }

    @Test
    void listenerCanStopTrainingEarly() throws IOException {
        History history = adamRun(new TanhMlpModel(6, 5, 3), 1).listener((epoch, h) -> epoch < 2).build().fit(DATA);
        assertEquals(2, history.epochs());
    }

    private static Trainer.Builder adamRun(TrainableModel model, int threads) {
        return Trainer.builder(model)
                .optimizer(new Adam(0.01f))
                .schedule(Schedule.cosine(0.001f))
                .batchSize(16)
                .epochs(5)
                .seed(SEED)
                .threads(threads)
                .validation(blobs(30, 6, 3, 11))
                .quiet();
    }

    static int[] bits(float[] values) {
        int[] bits = new int[values.length];
        for (int i = 0; i < values.length; i++) {
            bits[i] = Float.floatToRawIntBits(values[i]);
        }
        return bits;
    }
}
