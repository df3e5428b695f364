package dev.cnnc.benchmarks;

import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

/**
 * Inference throughput at batch 256 with the generated {@code <Name>Inference}: one
 * {@code predictBatch(images, 256, outputs, executor, threads)} call per invocation, as a user spreads
 * a batch over cores. The calling thread and {@code threads - 1} helper threads of a fixed pool take
 * groups of 16 images in turn; each group runs on the kernel the class chose (16 images side by side
 * in the vector lanes when that ran faster in this JVM's first batches; see {@code batchKernel()},
 * printed at tear-down). The score is images per second ({@code @OperationsPerInvocation(256)}).
 *
 * <p>Peers: ONNX Runtime {@code OnnxRuntimeBenchmark.batch256} (one 256x C x H x W tensor per run,
 * intra-op threads 1 and 2), PyTorch {@code benchmarks/peers/torch_lenet.py} ({@code infer_b256_ips}).
 * Run alone: {@code java -cp ... org.openjdk.jmh.Main BatchInferenceBenchmark -f 1 -wi 2 -i 3 -w 2s -r 2s}.
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@State(Scope.Benchmark)
public class BatchInferenceBenchmark {
    static final int BATCH = 256;

    @Param({"CifarLeNet", "FashionLeNet"})
    public BenchmarkNetwork network;

    @Param({"1", "2"})
    public int threads;

    private BatchPredictor predictor;
    private float[] images;
    private float[] outputs;
    /** The helper threads, started once (null on one thread). */
    private ExecutorService helpers;

    @Setup
    public void setUp() {
        var model = network.initializedModel();
        predictor = network.batchInference(model.parameters());
        images = network.randomImages(BATCH, 256);
        outputs = new float[BATCH * model.outputSize()];
        helpers = threads == 1 ? null : Executors.newFixedThreadPool(threads - 1, runnable -> {
            Thread helper = new Thread(runnable, "batch-helper");
            helper.setDaemon(true);
            return helper;
        });
    }

    @TearDown
    public void tearDown() {
        if (helpers != null) {
            helpers.shutdownNow();
        }
        // the kernel predictBatch settled on during the warm-up (its first ~16,000 images tune it)
        System.out.println(network + " predictBatch kernel: " + network.batchKernel());
        System.out.println(network + " convolution rows: " + network.convLayout());
    }

    @Benchmark
    @OperationsPerInvocation(BATCH)
    public float batch256() {
        predictor.predictBatch(images, BATCH, outputs, helpers, threads);
        return outputs[outputs.length - 1];
    }
}
