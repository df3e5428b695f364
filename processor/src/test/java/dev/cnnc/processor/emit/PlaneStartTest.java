package dev.cnnc.processor.emit;

import static dev.cnnc.Activation.LINEAR;
import static dev.cnnc.Activation.RELU;
import static dev.cnnc.Activation.SOFTMAX;
import static dev.cnnc.Activation.TANH;
import static dev.cnnc.Padding.SAME;
import static dev.cnnc.Padding.VALID;
import static dev.cnnc.PoolKind.AVG;
import static dev.cnnc.PoolKind.MAX;
import static dev.cnnc.processor.emit.NetworkSource.network;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;
import java.util.concurrent.CompletableFuture;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * The exact-rows convolutions store their output planes, and the tap-window ("sliced") ones of the
 * padded layout their planes and windows, from index 0 or 4 of their arrays, whichever the thread's
 * buffers run faster ({@link PlaneStartCode}): every start gives the same bits, trials
 * ({@link TrialCode}) time both and keep the faster, and {@code -Dcnnc.planeStart} fixes one.
 */
class PlaneStartTest {
    private static final String PROPERTY = "cnnc.planeStart";
    private static final NetworkSource LENET = network("PlaneLeNet", 32, 32, 3).conv(6, 5, 1, VALID, RELU)
            .pool(MAX, 2, 2).conv(16, 5, 1, VALID, RELU).pool(MAX, 2, 2).dense(10, SOFTMAX);
    /** What one convolution's report says after a trial: the start kept and both best times. */
    private static final Pattern TRIAL = Pattern.compile(
            "(conv\\d(?: windows)?) at ([04]) \\(last trial on this thread: ([0-9.]+) us at 0, ([0-9.]+) us at 4\\)");

    @Test
    void everyStartGivesTheSameBits() {
        assertStartsAgree(LENET);
        // SAME padding (the row copies leave zeros), an odd filter count (one plane alone), tanh applied on
        // the way out; both convolutions also slice in the padded layout
        assertStartsAgree(network("PlaneGrey", 13, 11, 1).conv(5, 3, 1, SAME, RELU).pool(AVG, 2, 2)
                .conv(3, 4, 1, SAME, TANH).dense(4, SOFTMAX));
        // a kernel wider than the unrolled ones (the loop over kernel columns; the 3x3 one slices), linear,
        // no dense layer
        assertStartsAgree(network("PlaneWide", 20, 19, 2).conv(4, 9, 1, VALID, LINEAR).conv(2, 3, 1, VALID, TANH));
    }

    @Test
    void aTrialTimesBothStartsThenKeepsTheFaster() throws Exception {
        GeneratedNetwork generated = GeneratedNetwork.compile(LENET);
        Object inference = generated.seededInference();
        float[] image = TestData.uniform(new SplittableRandom(TestData.SEED), 3072, 0, 1);
        // layers are named by position: conv1, pool2, conv3, ...; conv3 slices in the padded layout
        assertEquals("conv1 at 0 (no trial has finished on this thread), conv3 at 0 (no trial has finished on this"
                + " thread), conv3 windows at 0 (no trial has finished on this thread)", planeStarts(inference));
        for (int call = 0; call < TrialCode.WARM_CALLS + TrialCode.CALLS - 1; call++) {
            GeneratedNetwork.predict(inference, image, true);
            GeneratedNetwork.predict(inference, image, false);
        }
        assertTrue(planeStarts(inference).endsWith("conv3 at 0 (no trial has finished on this thread), conv3 windows"
                + " at 0 (no trial has finished on this thread)"),
                "the warm-up, then one call short of the first trial's end: " + planeStarts(inference));
        GeneratedNetwork.predict(inference, image, true);
        GeneratedNetwork.predict(inference, image, false);
        String report = planeStarts(inference);
        Matcher trial = TRIAL.matcher(report);
        for (String layer : new String[] {"conv1", "conv3", "conv3 windows"}) {
            assertTrue(trial.find(), report);
            assertEquals(layer, trial.group(1), report);
            double at0 = Double.parseDouble(trial.group(3));
            double at4 = Double.parseDouble(trial.group(4));
            assertTrue(at0 > 0 && at4 > 0, report);
            if (at0 != at4) { // the decision compares nanoseconds; the report rounds them to 0.1 us
                assertEquals(at4 < at0 ? "4" : "0", trial.group(2), "the faster start is kept: " + report);
            }
        }
        for (int call = 0; call < TrialCode.PERIOD; call++) {
            GeneratedNetwork.predict(inference, image, true);
        }
        assertTrue(planeStarts(inference).matches("conv1 at [04] \\(last trial.*"), "the next period's trial: "
                + planeStarts(inference));
        String otherThread = CompletableFuture.supplyAsync(() -> planeStarts(inference)).get();
        assertTrue(otherThread.startsWith("conv1 at 0 (no trial has finished on this thread)"), otherThread);
    }

    @Test
    void thePropertyFixesAStartAndRejectsUnknownValues() {
        TestData.withProperty(PROPERTY, "4", () -> {
            GeneratedNetwork fixed = GeneratedNetwork.compile(network("PlaneFixed", 12, 12, 1)
                    .conv(4, 3, 1, VALID, RELU).conv(3, 3, 1, VALID, RELU).dense(3, SOFTMAX));
            Object inference = fixed.seededInference();
            float[] image = TestData.uniform(new SplittableRandom(TestData.SEED), 144, -1, 1);
            float[] padded = GeneratedNetwork.predict(inference, image, false);
            for (int call = 0; call < 2 * TrialCode.CALLS; call++) {
                assertArrayEquals(TestData.bits(padded), TestData.bits(GeneratedNetwork.predict(inference, image, true)));
            }
            assertEquals("conv1, conv2, conv1 windows, conv2 windows at 4 (set by -Dcnnc.planeStart)",
                    planeStarts(inference));
        });
        TestData.withProperty(PROPERTY, "8", () -> {
            GeneratedNetwork unknown = GeneratedNetwork.compile(network("PlaneUnknown", 12, 12, 1)
                    .conv(4, 3, 1, VALID, RELU).dense(3, SOFTMAX));
            Object rejecting = unknown.seededInference();
            IllegalArgumentException error = assertThrows(IllegalArgumentException.class,
                    () -> GeneratedNetwork.predict(rejecting, new float[144], true));
            assertEquals("-Dcnnc.planeStart must be tune, 0 or 4, not \"8\"", error.getMessage());
            assertThrows(IllegalArgumentException.class, () -> planeStarts(rejecting));
        });
    }

    @Test
    void networksWithoutASecondStartSaySo() {
        Object aligned = GeneratedNetwork.compile(network("PlaneAligned", 18, 18, 1).conv(2, 3, 1, VALID, RELU)
                .dense(3, SOFTMAX)).seededInference();
        assertEquals("none (no convolution has an exact-rows or tap-window form: see convLayout())",
                planeStarts(aligned));
    }

    /**
     * The JVM's warm-up of each layout's calls (both starts alternating) and a first trial (alternating,
     * timed) over three images, one with NaN and one with an infinity: every call, in either layout and
     * at either start, has the first padded call's bits.
     */
    private static void assertStartsAgree(NetworkSource source) {
        GeneratedNetwork generated = GeneratedNetwork.compile(source);
        SplittableRandom random = new SplittableRandom(TestData.SEED);
        Object inference = generated.seededInference(random);
        int inputSize = generated.model().inputSize();
        float[][] images = new float[3][];
        int[][] padded = new int[3][];
        for (int n = 0; n < 3; n++) {
            images[n] = TestData.uniform(random, inputSize, -3, 3);
            if (n == 1) {
                images[n][images[n].length / 2] = Float.NaN;
            } else if (n == 2) {
                images[n][3] = Float.POSITIVE_INFINITY;
            }
            padded[n] = TestData.bits(GeneratedNetwork.predict(inference, images[n], false));
        }
        for (int call = 0; call < TrialCode.WARM_CALLS + TrialCode.CALLS; call++) {
            int n = call % 3;
            assertArrayEquals(padded[n], TestData.bits(GeneratedNetwork.predict(inference, images[n], true)),
                    source + " image " + n + " call " + call);
            assertArrayEquals(padded[n], TestData.bits(GeneratedNetwork.predict(inference, images[n], false)),
                    source + " padded, image " + n + " call " + call);
        }
        assertTrue(TRIAL.matcher(planeStarts(inference)).find(), "both starts ran: " + planeStarts(inference));
    }

    private static String planeStarts(Object inference) {
        return (String) GeneratedNetwork.invoke(inference, "planeStarts", new Class<?>[0]);
    }
}
