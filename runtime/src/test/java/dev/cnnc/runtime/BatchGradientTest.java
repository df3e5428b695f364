package dev.cnnc.runtime;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;

/**
 * A {@link BatchGradient} reused batch after batch, even after a failed batch, gives the bits of a
 * new one: nothing of an earlier batch is left in its chunk buffers.
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
