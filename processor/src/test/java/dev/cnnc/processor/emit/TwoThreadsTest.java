package dev.cnnc.processor.emit;

import static dev.cnnc.Activation.RELU;
import static dev.cnnc.Activation.SOFTMAX;
import static dev.cnnc.Padding.SAME;
import static dev.cnnc.Padding.VALID;
import static dev.cnnc.PoolKind.MAX;
import static dev.cnnc.processor.emit.NetworkSource.network;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.Closeable;
import java.io.IOException;
import java.lang.reflect.Constructor;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * {@code twoThreads()}: one image over the calling thread and a helper, with {@code predict}'s bits for
 * every image whichever thread ran which share, including when the helper never comes, after it has
 * parked, and for every kind of plan ({@link SplitPlan}): rows from one shifted copy per plane or from
 * row copies with padding, an odd filter count, an odd convolution height, no second phase, no split.
 */
class TwoThreadsTest {
    private static final int IMAGES = 300;

    /** CIFAR LeNet's shape with fewer units: one copy per shifted plane, conv2 on tap windows. */
    private static final NetworkSource ONE_COPY = network("SplitOneCopy", 32, 32, 3).conv(6, 5, 1, VALID, RELU)
            .pool(MAX, 2, 2).conv(16, 5, 1, VALID, RELU).pool(MAX, 2, 2).dense(12, RELU).dense(10, SOFTMAX);

    /** Fashion LeNet's shape: padded rows copied one by one, then an odd filter count. */
    private static final NetworkSource ROW_COPIES = network("SplitRowCopies", 28, 28, 1).conv(4, 5, 1, SAME, RELU)
            .pool(MAX, 2, 2).conv(5, 3, 1, VALID, RELU).dense(3, SOFTMAX);

    /** 29 convolution rows, the last not pooled; a dense layer right after the pool (no second phase). */
    private static final NetworkSource ODD_ROWS = network("SplitOddRows", 33, 32, 2).conv(3, 5, 1, VALID, RELU)
            .pool(MAX, 2, 2).dense(4, SOFTMAX);

    /** A stride-2 first convolution: no split. */
    private static final NetworkSource NO_SPLIT = network("NoSplit", 16, 16, 1).conv(4, 3, 2, VALID, RELU)
            .pool(MAX, 2, 2).dense(3, SOFTMAX);

    @Test
    void everyPlanGivesPredictsBits() throws IOException {
        for (NetworkSource source : new NetworkSource[] {ONE_COPY, ROW_COPIES, ODD_ROWS}) {
            Object inference = GeneratedNetwork.compile(source).seededInference();
            try (Closeable two = twoThreads(inference)) {
                assertTrue(split(two).contains("rows 0-"), split(two));
                assertMatchesPredict(inference, two, source.toString());
            }
        }
    }

    @Test
    void theSplitIsWhatThePlanSays() throws IOException {
        Object oneCopy = GeneratedNetwork.compile(ONE_COPY).seededInference();
        try (Closeable two = twoThreads(oneCopy)) {
            assertEquals("conv1 rows 0-13 and pool2 rows 0-6 on the calling thread, conv1 rows 14-27 and pool2 rows"
                    + " 7-13 on the helper; conv3 filters 0-7 on the calling thread, 8-15 on the helper, pool4 on the"
                    + " same channels; fc5, fc6 on the calling thread (a share the helper has not started runs on the"
                    + " calling thread)",
                    split(two));
        }
        Object rowCopies = GeneratedNetwork.compile(ROW_COPIES).seededInference();
        try (Closeable two = twoThreads(rowCopies)) {
            assertTrue(split(two).contains("filters 0-1 on the calling thread, 2-4 on the helper"), split(two));
        }
    }

    @Test
    void withoutASplitEveryLayerRunsOnTheCaller() throws IOException {
        Object inference = GeneratedNetwork.compile(NO_SPLIT).seededInference();
        try (Closeable two = twoThreads(inference)) {
            assertTrue(split(two).startsWith("no split (conv1 is not a stride-1 convolution on padded rows)"),
                    split(two));
            assertMatchesPredict(inference, two, "no split");
        }
        assertFalse(helperAlive("NoSplit"));
    }

    @Test
    void aHelperThatNeverComesCostsNoResult() throws Exception {
        Object inference = GeneratedNetwork.compile(ONE_COPY).seededInference();
        Class<?> twoThreadsType = Class.forName(inference.getClass().getName() + "$TwoThreads", true,
                inference.getClass().getClassLoader());
        Constructor<?> constructor = twoThreadsType.getDeclaredConstructor(inference.getClass(), boolean.class);
        constructor.setAccessible(true);
        try (Closeable two = (Closeable) constructor.newInstance(inference, false)) {
            assertMatchesPredict(inference, two, "no helper");
        }
    }

    @Test
    void theHelperParksWhenIdleWakesForTheNextImageAndEndsOnClose() throws Exception {
        Object inference = GeneratedNetwork.compile(ONE_COPY).seededInference();
        Closeable two = twoThreads(inference);
        float[] image = TestData.uniform(new SplittableRandom(3), 3 * 32 * 32, -2, 2);
        float[] expected = GeneratedNetwork.predict(inference, image);
        assertArrayEquals(TestData.bits(expected), TestData.bits(predict(two, image)));
        Thread helper = helperThread("SplitOneCopy");
        long deadline = System.nanoTime() + 5_000_000_000L;
        while (helper.getState() != Thread.State.WAITING && System.nanoTime() < deadline) {
            Thread.sleep(5);
        }
        assertEquals(Thread.State.WAITING, helper.getState(), "the idle helper parks");
        for (int i = 0; i < 20; i++) {
            assertArrayEquals(TestData.bits(expected), TestData.bits(predict(two, image)), "after parking, image " + i);
        }
        two.close();
        assertFalse(helper.isAlive(), "close waits for the helper to end");
        IllegalStateException closed = assertThrows(IllegalStateException.class, () -> predict(two, image));
        assertEquals("SplitOneCopy TwoThreads: closed", closed.getMessage());
        two.close();
    }

    @Test
    void badArgumentsAreRejectedByName() throws IOException {
        Object inference = GeneratedNetwork.compile(ODD_ROWS).seededInference();
        try (Closeable two = twoThreads(inference)) {
            IllegalArgumentException shortInput = assertThrows(IllegalArgumentException.class,
                    () -> predict(two, new float[5]));
            assertTrue(shortInput.getMessage().contains("chw"), shortInput.getMessage());
        }
    }

    /** predict's bits for {@link #IMAGES} images in a row, twice over (the helper's state carries over). */
    private static void assertMatchesPredict(Object inference, Closeable two, String what) {
        SplittableRandom random = new SplittableRandom(TestData.SEED + 1);
        float[][] images = new float[IMAGES][];
        float[][] expected = new float[IMAGES][];
        for (int i = 0; i < IMAGES; i++) {
            images[i] = TestData.uniform(random, inputLength(inference), -3, 3);
            expected[i] = GeneratedNetwork.predict(inference, images[i]);
        }
        images[5][0] = Float.NaN;
        expected[5] = GeneratedNetwork.predict(inference, images[5]);
        for (int pass = 0; pass < 2; pass++) {
            for (int i = 0; i < IMAGES; i++) {
                assertArrayEquals(TestData.bits(expected[i]), TestData.bits(predict(two, images[i])),
                        what + ": image " + i + ", pass " + pass);
            }
        }
    }

    private static int inputLength(Object inference) {
        try {
            return inference.getClass().getField("INPUT_SIZE").getInt(null);
        } catch (ReflectiveOperationException e) {
            throw new AssertionError(e);
        }
    }

    private static Closeable twoThreads(Object inference) {
        return (Closeable) GeneratedNetwork.invoke(inference, "twoThreads", new Class<?>[0]);
    }

    private static String split(Closeable two) {
        return (String) GeneratedNetwork.invoke(two, "split", new Class<?>[0]);
    }

    private static float[] predict(Closeable two, float[] image) {
        return (float[]) GeneratedNetwork.invoke(two, "predict", new Class<?>[] {float[].class}, (Object) image);
    }

    private static Thread helperThread(String network) {
        for (Thread thread : Thread.getAllStackTraces().keySet()) {
            if (thread.getName().equals("cnnc " + network + " helper")) {
                return thread;
            }
        }
        throw new AssertionError("no helper thread of " + network);
    }

    private static boolean helperAlive(String network) {
        for (Thread thread : Thread.getAllStackTraces().keySet()) {
            if (thread.getName().equals("cnnc " + network + " helper")) {
                return true;
            }
        }
        return false;
    }
}
