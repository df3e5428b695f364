package dev.cnnc.benchmarks;

import dev.cnnc.runtime.TrainableModel;
import dev.cnnc.runtime.Workspace;
import java.util.Arrays;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * The trainable model's per-image calls, one thread, steady state: {@code forward} and
 * {@code gradient} (forward, loss, backward, gradient added into a buffer) with a workspace made
 * once, as the runtime's workers call them. Run it with {@code -prof gc}: {@code gc.alloc.rate.norm}
 * is the bytes allocated per image, and must be ~0 (JMH's own bookkeeping shows as a few bytes).
 * Run alone: {@code java -cp ... org.openjdk.jmh.Main PerImageBenchmark -prof gc -f 1 -wi 2 -i 3}.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@State(Scope.Thread)
public class PerImageBenchmark {

    @Param({"CifarLeNet", "FashionLeNet"})
    public BenchmarkNetwork network;

    private TrainableModel model;
    private Workspace workspace;
    private float[] image;
    private float[] output;
    private float[] gradient;
    private Predictor inference;
    private int label;

    @Setup
    public void setUp() {
        model = network.initializedModel();
        workspace = model.newWorkspace();
        image = network.randomImages(1, 1);
        output = new float[model.outputSize()];
        gradient = new float[model.parameterCount()];
        inference = network.inference(model.parameters());
        label = 3;
    }

    /** The gradient accumulates across calls; start each iteration from zero. */
    @Setup(Level.Iteration)
    public void clearGradient() {
        Arrays.fill(gradient, 0f);
    }

    @Benchmark
    public float forward() {
        model.forward(workspace, image, 0, output, 0);
        return output[0];
    }

    @Benchmark
    public float gradient() {
        return model.gradient(workspace, image, 0, label, gradient, output, 0);
    }

    @Benchmark
    public float predict() {
        inference.predict(image, output);
        return output[0];
    }
}
