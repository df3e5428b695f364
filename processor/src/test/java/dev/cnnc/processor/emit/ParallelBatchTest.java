package dev.cnnc.processor.emit;

import static dev.cnnc.Activation.RELU;
import static dev.cnnc.Activation.SOFTMAX;
import static dev.cnnc.Padding.VALID;
import static dev.cnnc.PoolKind.MAX;
import static dev.cnnc.processor.emit.NetworkSource.network;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.cnnc.runtime.TrainableModel;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.TreeMap;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * {@code predictBatch(images, count, outputs, executor, threads)}: {@code predict}'s bits for every
 * image whatever the thread count, the executor, or whether its tasks run at all; no return before
 * every output is written, no deadlock when called from the executor's own task; bad arguments
 * rejected before anything is handed out or written.
 */
class ParallelBatchTest {
    private static final int MAX_COUNT = 100;

    private static GeneratedNetwork generated;
    private static Object inference;
    private static int inputSize;
    private static int outputSize;
    private static float[] images;
    /** predict's outputs of every image. */
    private static float[] expected;
    private static ExecutorService pool;

    @BeforeAll
    static void compileAndPredictOneByOne() {
        generated = GeneratedNetwork.compile(network("ParallelLeNet", 14, 14, 2).conv(4, 3, 1, VALID, RELU)
                .pool(MAX, 2, 2).conv(6, 3, 1, VALID, RELU).dense(10, RELU).dense(3, SOFTMAX));
        TrainableModel model = generated.model();
        SplittableRandom random = new SplittableRandom(TestData.SEED);
        TestData.randomize(model, random);
        inference = generated.inference(model.parameters());
        inputSize = model.inputSize();
        outputSize = model.outputSize();
        images = TestData.uniform(random, MAX_COUNT * inputSize, -3, 3);
        images[7] = Float.NaN;
        images[40 * inputSize + 1] = Float.NEGATIVE_INFINITY;
        expected = predictEach(inference, MAX_COUNT, outputSize);
        pool = Executors.newFixedThreadPool(4);
    }

    @AfterAll
    static void stopThePool() {
        pool.shutdownNow();
    }

    @Test
    void everyThreadCountGivesPredictsBits() {
        for (int threads : new int[] {1, 2, 3, 5}) {
            for (int count : new int[] {0, 1, 15, 16, 17, 47, MAX_COUNT}) {
                assertMatches(count, pool, threads, threads + " threads, " + count + " images");
            }
        }
    }

    @Test
    void anExecutorThatRunsTasksInPlaceOrRejectsThemStillGetsEveryImage() {
        assertMatches(MAX_COUNT, Runnable::run, 3, "tasks run inside execute");
        AtomicInteger offered = new AtomicInteger();
        assertMatches(MAX_COUNT, task -> {
            offered.incrementAndGet();
            throw new RejectedExecutionException("shut down");
        }, 4, "every task rejected");
        assertEquals(1, offered.get(), "the first rejection ends the hand-out");
    }

    @Test
    void tasksThatStartAfterTheCallFindNothingLeftToWrite() {
        List<Runnable> parked = new ArrayList<>();
        float[] outputs = assertMatches(MAX_COUNT, parked::add, 3, "tasks not run during the call");
        assertEquals(2, parked.size(), "threads - 1 tasks handed out");
        float[] returned = outputs.clone();
        Arrays.fill(outputs, 0, 5, 9f); // a caller reusing its outputs after the call
        for (Runnable task : parked) {
            task.run();
        }
        assertEquals(9f, outputs[0], "a late task writes nothing");
        assertArrayEquals(TestData.bits(Arrays.copyOfRange(returned, 5, returned.length)),
                TestData.bits(Arrays.copyOfRange(outputs, 5, outputs.length)));
    }

    @Test
    void noMoreTasksThanGroups() {
        List<Runnable> parked = new ArrayList<>();
        assertMatches(17, parked::add, 8, "17 images are two groups of 16 while the kernel is tuned");
        assertEquals(1, parked.size());
        assertMatches(16, parked::add, 8, "one group");
        assertEquals(1, parked.size(), "one group: the calling thread alone");
    }

    @Test
    void imagesRunOneByOneAreHandedOutInGroupsOfFourAndLanesInGroupsOfSixteen() {
        // the kernel is read from the property on a class's first batch, so each setting gets its own
        // class; on 5 threads a call hands out min(5, groups) - 1 tasks
        assertEquals(Map.of(16, 3, 17, 4, 40, 4), tasksHandedOut(lenet("ParallelImages"), "images"),
                "groups of 4: 16 images are four groups, 17 five, 40 ten");
        assertEquals(Map.of(16, 0, 17, 1, 40, 2), tasksHandedOut(lenet("ParallelLanes"), "lanes"),
                "groups of 16: 16 images are one group (no task), 17 two, 40 three");
        NetworkSource strided = network("ParallelStrided", 14, 14, 2).conv(4, 3, 2, VALID, RELU).dense(3, SOFTMAX);
        assertEquals(Map.of(16, 3, 17, 4, 40, 4), tasksHandedOut(strided, "tune"),
                "no lane form (a stride-2 convolution): always groups of 4");
    }

    private static NetworkSource lenet(String name) {
        return network(name, 14, 14, 2).conv(4, 3, 1, VALID, RELU).pool(MAX, 2, 2).conv(6, 3, 1, VALID, RELU)
                .dense(10, RELU).dense(3, SOFTMAX);
    }

    /**
     * {@code source} compiled and first used with {@code -Dcnnc.batchKernel} set to {@code kernel}: how
     * many tasks a call on 5 threads hands out for 16, 17 and 40 images (none of them run during the
     * call), each call's outputs checked against the same network's {@code predict}.
     */
    private static Map<Integer, Integer> tasksHandedOut(NetworkSource source, String kernel) {
        Map<Integer, Integer> tasks = new TreeMap<>();
        TestData.withProperty("cnnc.batchKernel", kernel, () -> {
            GeneratedNetwork forced = GeneratedNetwork.compile(source);
            TrainableModel model = forced.model();
            TestData.randomize(model, new SplittableRandom(TestData.SEED));
            Object net = forced.inference(model.parameters());
            for (int count : new int[] {16, 17, 40}) {
                float[] oneByOne = predictEach(net, count, model.outputSize());
                List<Runnable> parked = new ArrayList<>();
                float[] outputs = new float[count * model.outputSize()];
                GeneratedNetwork.predictBatch(net, images, count, outputs, parked::add, 5);
                assertArrayEquals(TestData.bits(oneByOne), TestData.bits(outputs), kernel + ", " + count + " images");
                tasks.put(count, parked.size());
            }
            if (!kernel.equals("tune")) {
                assertTrue(forced.batchKernel().startsWith(kernel + " (set by -Dcnnc.batchKernel)"), forced.batchKernel());
            }
        });
        return tasks;
    }

    @Test
    void aCallFromTheExecutorsOwnOnlyThreadCompletes() throws Exception {
        ExecutorService single = Executors.newSingleThreadExecutor();
        try {
            Future<float[]> outputs = single.submit(() -> {
                float[] out = new float[MAX_COUNT * outputSize];
                GeneratedNetwork.predictBatch(inference, images, MAX_COUNT, out, single, 2);
                return out;
            });
            assertArrayEquals(TestData.bits(expected), TestData.bits(outputs.get(60, TimeUnit.SECONDS)));
        } finally {
            single.shutdownNow();
        }
    }

    @Test
    void anInterruptedCallerStillGetsEveryOutputAndKeepsItsInterrupt() {
        Thread.currentThread().interrupt();
        try {
            assertMatches(MAX_COUNT, pool, 2, "interrupted caller");
            assertTrue(Thread.currentThread().isInterrupted(), "the interrupt is kept for the caller");
        } finally {
            Thread.interrupted();
        }
    }

    @Test
    void badArgumentsFailBeforeAnythingIsHandedOutOrWritten() {
        AtomicInteger offered = new AtomicInteger();
        List<Runnable> parked = new ArrayList<>();
        Executor counting = task -> {
            offered.incrementAndGet();
            parked.add(task);
        };
        float[] outputs = new float[20 * outputSize];
        Arrays.fill(outputs, 7f);
        IllegalArgumentException noThreads = assertThrows(IllegalArgumentException.class,
                () -> GeneratedNetwork.predictBatch(inference, images, 20, outputs, counting, 0));
        assertEquals("ParallelLeNet: threads must be at least 1, was 0", noThreads.getMessage());
        NullPointerException noExecutor = assertThrows(NullPointerException.class,
                () -> GeneratedNetwork.predictBatch(inference, images, 20, outputs, null, 2));
        assertEquals("executor is null (threads 2)", noExecutor.getMessage());
        IllegalArgumentException shortOutputs = assertThrows(IllegalArgumentException.class,
                () -> GeneratedNetwork.predictBatch(inference, images, 20, new float[19 * outputSize], counting, 2));
        assertTrue(shortOutputs.getMessage().startsWith("ParallelLeNet: outputs holds 57 floats, but count 20"),
                shortOutputs.getMessage());
        assertThrows(IllegalArgumentException.class,
                () -> GeneratedNetwork.predictBatch(inference, images, MAX_COUNT + 1, outputs, counting, 2));
        assertThrows(NullPointerException.class,
                () -> GeneratedNetwork.predictBatch(inference, null, 1, outputs, counting, 2));
        assertEquals(0, offered.get(), "nothing handed out");
        for (float value : outputs) {
            assertEquals(7f, value);
        }
        // one thread needs no executor
        assertMatches(20, null, 1, "threads 1 without an executor");
    }

    /** {@code predict}'s outputs of the first {@code count} images, one call per image, back to back. */
    private static float[] predictEach(Object net, int count, int outputSize) {
        float[] outputs = new float[count * outputSize];
        for (int n = 0; n < count; n++) {
            float[] output = GeneratedNetwork.predict(net, Arrays.copyOfRange(images, n * inputSize, (n + 1) * inputSize));
            System.arraycopy(output, 0, outputs, n * outputSize, outputSize);
        }
        return outputs;
    }

    /** The first {@code count} images through the parallel call, against predict's bits; returns the outputs. */
    private static float[] assertMatches(int count, Executor executor, int threads, String what) {
        float[] outputs = new float[count * outputSize];
        Arrays.fill(outputs, -1f); // no probability: an image left out shows
        GeneratedNetwork.predictBatch(inference, images, count, outputs, executor, threads);
        assertArrayEquals(TestData.bits(Arrays.copyOf(expected, count * outputSize)), TestData.bits(outputs), what);
        return outputs;
    }
}
