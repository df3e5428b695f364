package dev.cnnc.processor.emit;

import static dev.cnnc.Activation.RELU;
import static dev.cnnc.Activation.SOFTMAX;
import static dev.cnnc.Activation.TANH;
import static dev.cnnc.Padding.SAME;
import static dev.cnnc.Padding.VALID;
import static dev.cnnc.PoolKind.AVG;
import static dev.cnnc.PoolKind.MAX;
import static dev.cnnc.processor.emit.NetworkSource.network;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.cnnc.runtime.TrainableModel;
import dev.cnnc.runtime.Workspace;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.lang.management.ManagementFactory;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * After construction and a first call per thread, forward and gradient allocate nothing: counted
 * exactly with the JVM's per-thread allocation counter over a thousand calls.
 */
class ZeroAllocationTest {
    private static final NetworkSource NETWORK = network("Alloc", 16, 16, 3).conv(6, 5, 1, SAME, RELU)
            .pool(MAX, 2, 2).conv(8, 3, 2, VALID, TANH).pool(AVG, 2, 1).dense(20, RELU).dense(5, SOFTMAX);
    private static final int WARM_UP = 3_000;
    private static final int MEASURED = 1_000;

    private static final com.sun.management.ThreadMXBean THREADS =
            (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();

    @Test
    void modelForwardAndGradientAllocateNothingPerCall() {
        TrainableModel model = GeneratedNetwork.compile(NETWORK).model();
        SplittableRandom random = new SplittableRandom(TestData.SEED);
        TestData.randomize(model, random);
        float[] image = TestData.uniform(random, model.inputSize(), 0, 1);
        float[] output = new float[model.outputSize()];
        float[] gradient = new float[model.parameterCount()];
        Workspace workspace = model.newWorkspace();

        Runnable forward = () -> model.forward(workspace, image, 0, output, 0);
        Runnable backward = () -> model.gradient(workspace, image, 0, 1, gradient);
        assertEquals(0, allocatedPerCall(forward), "bytes per forward");
        assertEquals(0, allocatedPerCall(backward), "bytes per gradient");
    }

    @Test
    void inferencePredictIntoAnArrayAllocatesNothingPerCall() throws Throwable {
        GeneratedNetwork generated = GeneratedNetwork.compile(NETWORK);
        TrainableModel model = generated.model();
        SplittableRandom random = new SplittableRandom(TestData.SEED);
        TestData.randomize(model, random);
        Object inference = generated.inference(model.parameters());
        MethodHandle predict = MethodHandles.publicLookup()
                .findVirtual(inference.getClass(), "predict",
                        MethodType.methodType(void.class, float[].class, float[].class))
                .bindTo(inference);
        float[] image = TestData.uniform(random, model.inputSize(), 0, 1);
        float[] output = new float[model.outputSize()];
        Runnable call = () -> {
            try {
                predict.invokeExact(image, output);
            } catch (Throwable e) {
                throw new AssertionError(e);
            }
        };
        assertEquals(0, allocatedPerCall(call), "bytes per predict");
    }

    /**
     * A network whose convolution has two row layouts: nothing allocated per call while the first
     * images alternate them, nor after the decision (which builds its report string once).
     */
    @Test
    void tunedLayoutAllocatesNothingPerCallWhileTuningNorAfter() {
        GeneratedNetwork generated = GeneratedNetwork.compile(network("AllocTuned", 12, 12, 1)
                .conv(4, 3, 1, VALID, RELU).pool(MAX, 2, 2).dense(3, SOFTMAX));
        TrainableModel model = generated.model();
        SplittableRandom random = new SplittableRandom(TestData.SEED);
        TestData.randomize(model, random);
        float[] image = TestData.uniform(random, model.inputSize(), 0, 1);
        float[] output = new float[model.outputSize()];
        Workspace workspace = model.newWorkspace();
        Runnable forward = () -> model.forward(workspace, image, 0, output, 0);
        assertEquals(0, allocatedPerCall(forward), "bytes per forward while tuning");
        assertTrue(generated.convLayout().startsWith("tuning"), "still tuning after " + (WARM_UP + MEASURED)
                + " calls: " + generated.convLayout());
        // the tuning decides after its images and at least TunedSetting.SHORTEST_TUNING_SECONDS
        long deadline = System.nanoTime() + 12 * TunedSetting.SHORTEST_TUNING_NANOS;
        while (generated.convLayout().startsWith("tuning") && System.nanoTime() < deadline) {
            forward.run();
        }
        assertTrue(generated.convLayout().startsWith("padded (tuned") || generated.convLayout().startsWith("exact (tuned"),
                generated.convLayout());
        assertEquals(0, allocatedPerCall(forward), "bytes per forward after the decision");
    }

    /**
     * Exact-rows and tap-window forward passes allocate nothing, trial calls included: the measured
     * calls hold the end of the warm-up and the first trial of where the planes start
     * ({@link PlaneStartCode}).
     */
    @Test
    void planeStartTrialsAllocateNothingPerCall() throws Throwable {
        GeneratedNetwork generated = GeneratedNetwork.compile(network("AllocPlanes", 12, 12, 1)
                .conv(4, 3, 1, VALID, RELU).pool(MAX, 2, 2).dense(3, SOFTMAX));
        Object inference = generated.seededInference();
        MethodHandle predict = MethodHandles.privateLookupIn(inference.getClass(), MethodHandles.lookup())
                .findVirtual(inference.getClass(), "predict",
                        MethodType.methodType(void.class, float[].class, float[].class, boolean.class))
                .bindTo(inference);
        float[] image = TestData.uniform(new SplittableRandom(TestData.SEED), 144, 0, 1);
        float[] output = new float[3];
        // exact rows, and the padded layout, whose 10x10 planes run on tap windows (also with two starts)
        for (boolean exact : new boolean[] {true, false}) {
            Runnable call = () -> {
                try {
                    predict.invokeExact(image, output, exact);
                } catch (Throwable e) {
                    throw new AssertionError(e);
                }
            };
            int before = TrialCode.WARM_CALLS - WARM_UP - 100;
            for (int i = 0; i < before; i++) {
                call.run();
            }
            assertEquals(0, allocatedPerCall(call), "bytes per " + (exact ? "exact-rows" : "tap-window")
                    + " predict, calls " + (before + WARM_UP) + " to " + (before + WARM_UP + MEASURED)
                    + " (the first trial from " + TrialCode.WARM_CALLS + ")");
        }
    }

    /** Bytes this thread allocates per call, after a warm-up that lets the JIT compile the calls. */
    private static long allocatedPerCall(Runnable call) {
        for (int i = 0; i < WARM_UP; i++) {
            call.run();
        }
        long before = THREADS.getCurrentThreadAllocatedBytes();
        for (int i = 0; i < MEASURED; i++) {
            call.run();
        }
        long after = THREADS.getCurrentThreadAllocatedBytes();
        return (after - before) / MEASURED;
    }
}
