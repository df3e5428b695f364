package dev.cnnc.processor.emit;

import static dev.cnnc.Activation.RELU;
import static dev.cnnc.Activation.SOFTMAX;
import static dev.cnnc.Activation.TANH;
import static dev.cnnc.Padding.SAME;
import static dev.cnnc.Padding.VALID;
import static dev.cnnc.PoolKind.MAX;
import static dev.cnnc.processor.emit.NetworkSource.network;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.cnnc.runtime.TrainableModel;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;

/**
 * One generated {@code <Name>Inference} shared by 16 threads, 10,000 predictions each, started
 * together so they overlap: every output must be bitwise the serial one (the inference object
 * keeps its scratch per thread, so no thread sees another's activations). A small convolutional
 * network keeps the 160,000 predictions within a second or two of CI time.
 */
class SharedInferenceTest {
    private static final int THREADS = 16;
    private static final int PREDICTIONS = 10_000;
    private static final int IMAGES = 512;

    @Test
    void sixteenThreadsGetExactlyTheSerialResults() throws Throwable {
        GeneratedNetwork generated = GeneratedNetwork.compile(network("Shared", 8, 8, 2)
                .conv(3, 3, 1, SAME, RELU).pool(MAX, 2, 2).conv(2, 3, 1, VALID, TANH).dense(4, SOFTMAX));
        TrainableModel model = generated.model();
        SplittableRandom random = new SplittableRandom(TestData.SEED);
        TestData.randomize(model, random);
        Object inference = generated.inference(model.parameters());
        MethodHandle predict = MethodHandles.publicLookup().findVirtual(inference.getClass(), "predict",
                MethodType.methodType(void.class, float[].class, float[].class)).bindTo(inference);

        float[][] images = new float[IMAGES][];
        int[][] serial = new int[IMAGES][];
        for (int n = 0; n < IMAGES; n++) {
            images[n] = TestData.uniform(random, model.inputSize(), -1, 1);
            float[] output = new float[model.outputSize()];
            predict.invoke(images[n], output);
            serial[n] = TestData.bits(output);
        }

        CyclicBarrier start = new CyclicBarrier(THREADS);
        ExecutorService pool = Executors.newFixedThreadPool(THREADS);
        try {
            List<Future<String>> results = new ArrayList<>();
            for (int t = 0; t < THREADS; t++) {
                int thread = t;
                results.add(pool.submit(() -> {
                    float[] output = new float[model.outputSize()];
                    start.await();
                    int mismatches = 0;
                    String first = "";
                    for (int p = 0; p < PREDICTIONS; p++) {
                        // Each thread walks the images in its own order, so concurrent calls differ.
                        int n = (int) ((p * (2L * thread + 1) + 97L * thread) % IMAGES);
                        try {
                            predict.invoke(images[n], output);
                        } catch (Throwable e) {
                            throw new AssertionError("thread " + thread + " prediction " + p, e);
                        }
                        if (!Arrays.equals(serial[n], TestData.bits(output)) && mismatches++ == 0) {
                            first = " first at prediction " + p + " (image " + n + ")";
                        }
                    }
                    return mismatches == 0 ? "" : "thread " + thread + ": " + mismatches + " of " + PREDICTIONS
                            + " predictions differ from the serial result;" + first + "\n";
                }));
            }
            long began = System.nanoTime();
            StringBuilder problems = new StringBuilder();
            for (Future<String> result : results) {
                problems.append(result.get());
            }
            assertEquals("", problems.toString());
            System.out.printf("shared inference: %d threads x %d predictions in %.1f s, all bitwise serial%n", THREADS,
                    PREDICTIONS, (System.nanoTime() - began) / 1e9);
        } finally {
            pool.shutdownNow();
        }
    }
}
