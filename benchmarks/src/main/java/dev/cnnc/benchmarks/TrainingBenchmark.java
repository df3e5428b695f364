package dev.cnnc.benchmarks;

import dev.cnnc.runtime.Dataset;
import dev.cnnc.runtime.Init;
import dev.cnnc.runtime.SplitMix64;
import dev.cnnc.runtime.Sgd;
import dev.cnnc.runtime.TrainableModel;
import dev.cnnc.runtime.Trainer;
import java.io.IOException;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * Training throughput at batch 64, as a user trains: {@code Trainer.fit} for one epoch of
 * {@value #STEPS} batches of 64 random images with random labels; every step is forward, softmax
 * cross-entropy backward (the runtime's {@code BatchGradient} on a {@code WorkerPool} of
 * {@code threads} workers) and an SGD step with momentum 0.9, lr 0.01. The score is images per
 * second ({@code @OperationsPerInvocation}). Each fit also pays what a fit pays once per call:
 * starting the worker threads, shuffling, allocating the per-chunk gradient buffers.
 *
 * <p>Peer: PyTorch {@code benchmarks/peers/torch_lenet.py} ({@code train_b64_ips}: zero_grad,
 * forward, CrossEntropyLoss, backward, SGD(momentum 0.9) step, 50 steps per repetition).
 * Run alone: {@code java -cp ... org.openjdk.jmh.Main TrainingBenchmark -f 1 -wi 2 -i 3 -w 2s -r 2s}.
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@State(Scope.Benchmark)
public class TrainingBenchmark {
    static final int BATCH = 64;
    static final int STEPS = 50;
    static final int IMAGES = BATCH * STEPS;

    @Param({"CifarLeNet", "FashionLeNet"})
    public BenchmarkNetwork network;

    @Param({"1", "2"})
    public int threads;

    private TrainableModel model;
    private float[] initialParameters;
    private Dataset data;
    private Trainer trainer;

    @Setup
    public void setUp() {
        model = network.initializedModel();
        initialParameters = model.parameters().clone();
        data = randomData(network, model);
    }

    /** {@value #IMAGES} random images of {@code network} with random labels, the same every time. */
    static Dataset randomData(BenchmarkNetwork network, TrainableModel model) {
        int classes = model.outputSize();
        int[] labels = new int[IMAGES];
        SplitMix64 random = SplitMix64.derive(BenchmarkNetwork.SEED, 64);
        for (int i = 0; i < IMAGES; i++) {
            labels[i] = random.nextInt(classes);
        }
        return new Dataset(network.randomImages(IMAGES, 64), labels, model.inputSize());
    }

    /** Every iteration starts from the same parameters and a fresh momentum buffer. */
    @Setup(Level.Iteration)
    public void newTrainer() {
        System.arraycopy(initialParameters, 0, model.parameters(), 0, initialParameters.length);
        trainer = oneEpoch(model, threads);
    }

    /**
     * The trainer of every cnnc training measurement (this benchmark, {@link TrainingSideBySide}): one
     * epoch in batches of {@value #BATCH}, SGD with momentum 0.9 and learning rate 0.01, from the
     * model's parameters as they are, silent.
     */
    static Trainer oneEpoch(TrainableModel model, int threads) {
        return Trainer.builder(model)
                .optimizer(new Sgd(0.01f).momentum(0.9f))
                .batchSize(BATCH)
                .epochs(1)
                .init(Init.KEEP)
                .threads(threads)
                .quiet()
                .build();
    }

    @Benchmark
    @OperationsPerInvocation(IMAGES)
    public double trainOneEpoch() throws IOException {
        return trainer.fit(data).trainLoss(0);
    }
}
