package dev.cnnc.benchmarks;

import java.util.Arrays;
import java.util.concurrent.ExecutionException;
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
 * Inference throughput at batch 256 with the generated {@code <Name>Inference}: one batch of 256
 * images per invocation, split into {@code threads} equal parts run at once ({@link BatchSplitter}),
 * each part one {@code predictBatch} call (which runs 16 images side by side in the vector lanes when
 * that ran faster in this JVM's first batches; see {@code batchKernel()}, printed at tear-down). The score is
 * images per second ({@code @OperationsPerInvocation(256)}).
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
    /** Part p's images and outputs, flat: the split is fixed, so each part owns its arrays. */
    private float[][] partImages;
    private float[][] partOutputs;
    private int[] partStarts;
    private BatchSplitter splitter;

    @Setup
    public void setUp() {
        var model = network.initializedModel();
        predictor = network.batchInference(model.parameters());
        int inputSize = model.inputSize();
        float[] flat = network.randomImages(BATCH, 256);
        partImages = new float[threads][];
        partOutputs = new float[threads][];
        partStarts = new int[threads];
        for (int part = 0; part < threads; part++) {
            int from = BATCH * part / threads;
            int to = BATCH * (part + 1) / threads;
            partStarts[part] = from;
            partImages[part] = Arrays.copyOfRange(flat, from * inputSize, to * inputSize);
            partOutputs[part] = new float[(to - from) * model.outputSize()];
        }
        splitter = new BatchSplitter(threads);
    }

    @TearDown
    public void tearDown() {
        splitter.close();
        // the kernel predictBatch settled on during the warm-up (its first ~16,000 images tune it)
        System.out.println(network + " predictBatch kernel: " + network.batchKernel());
        System.out.println(network + " convolution rows: " + network.convLayout());
    }

    @Benchmark
    @OperationsPerInvocation(BATCH)
    public float batch256() throws InterruptedException, ExecutionException {
        splitter.run(BATCH, (from, to) -> {
            int part = Arrays.binarySearch(partStarts, from);
            predictor.predictBatch(partImages[part], to - from, partOutputs[part]);
        });
        return partOutputs[threads - 1][0];
    }
}
