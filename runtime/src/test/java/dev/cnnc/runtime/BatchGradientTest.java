package dev.cnnc.runtime;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.ArrayList;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;

/**
 * A {@link BatchGradient} reused batch after batch, even after a failed batch, gives the bits of a
 * new one: nothing of an earlier batch is left in its chunk buffers. Each worker's first chunk of a
 * batch prepares the model's weights and its later chunks of that batch reuse them.
 */
class BatchGradientTest extends RuntimeTestBase {
    private static final Dataset DATA = blobs(100, 6, 3, 31);
    private static final int[] ORDER = identityOrder(DATA.count());

    @Test
    void aReusedGradientEqualsANewOneBatchAfterBatch() {
        TrainableModel model = initialized(new SoftmaxRegressionModel(6, 3));
        try (WorkerPool pool = new WorkerPool(model, 2)) {
            BatchGradient reused = new BatchGradient(model, pool, 40);
            // a full batch, then a smaller one (fewer chunks), then a full one again
            int[][] batches = {{0, 40}, {40, 57}, {57, 97}};
            for (int[] batch : batches) {
                reused.compute(DATA, ORDER, batch[0], batch[1]);
                assertArrayEquals(DeterminismTest.bits(fresh(model, pool, batch)), DeterminismTest.bits(reused.meanGradient()),
                        "batch " + batch[0] + ".." + batch[1]);
            }
        }
    }

    @Test
    void aBatchAfterAFailedOneEqualsANewGradient() {
        AtomicBoolean fail = new AtomicBoolean(true);
        TrainableModel model = new DelegatingModel(initialized(new SoftmaxRegressionModel(6, 3))) {
            @Override
            public float gradient(Workspace workspace, float[] images, int offset, int label, float[] grad) {
                float loss = super.gradient(workspace, images, offset, label, grad);
                if (fail.get() && offset == 30 * DATA.inputSize()) {
                    throw new IllegalStateException("fails after adding sample 30's gradient");
                }
                return loss;
            }
        };
        try (WorkerPool pool = new WorkerPool(model, 2)) {
            BatchGradient reused = new BatchGradient(model, pool, 40);
            assertThrows(IllegalStateException.class, () -> reused.compute(DATA, ORDER, 0, 40));
            fail.set(false);
            int[] batch = {0, 40};
            reused.compute(DATA, ORDER, batch[0], batch[1]);
            assertArrayEquals(DeterminismTest.bits(fresh(model, pool, batch)), DeterminismTest.bits(reused.meanGradient()));
        }
    }

    @Test
    void eachWorkerPreparesTheWeightsOnItsFirstChunkOfEveryBatch() {
        // per workspace (one per worker), the weightsUnchanged flag of each of its calls, in order
        Map<Workspace, List<Boolean>> calls = Collections.synchronizedMap(new IdentityHashMap<>());
        TrainableModel model = new DelegatingModel(initialized(new SoftmaxRegressionModel(6, 3))) {
            @Override
            public double gradients(Workspace workspace, float[] images, int[] labels, int[] samples, int from, int to,
                    float[] grad, float[] outputs, boolean weightsUnchanged) {
                calls.computeIfAbsent(workspace, w -> new ArrayList<>()).add(weightsUnchanged); // one thread per workspace
                return super.gradients(workspace, images, labels, samples, from, to, grad, outputs, weightsUnchanged);
            }
        };
        try (WorkerPool pool = new WorkerPool(model, 2)) {
            BatchGradient gradient = new BatchGradient(model, pool, 40);
            for (int batch = 0; batch < 3; batch++) {
                calls.clear();
                gradient.compute(DATA, ORDER, 0, 40);
                int chunkCalls = 0;
                for (List<Boolean> flags : calls.values()) {
                    assertEquals(Boolean.FALSE, flags.get(0), "batch " + batch + ": a worker's first chunk prepares");
                    assertFalse(flags.subList(1, flags.size()).contains(Boolean.FALSE),
                            "batch " + batch + ": a worker's later chunks reuse, " + flags);
                    chunkCalls += flags.size();
                }
                assertEquals(BatchChunks.count(40), chunkCalls, "batch " + batch);
            }
        }
    }

    private static float[] fresh(TrainableModel model, WorkerPool pool, int[] batch) {
        BatchGradient gradient = new BatchGradient(model, pool, 40);
        gradient.compute(DATA, ORDER, batch[0], batch[1]);
        return gradient.meanGradient().clone();
    }

    private static TrainableModel initialized(TrainableModel model) {
        Init.HE_UNIFORM.apply(model, SEED);
        return model;
    }

    private static int[] identityOrder(int count) {
        int[] order = new int[count];
        for (int i = 0; i < count; i++) {
            order[i] = i;
        }
        return order;
    }
}
