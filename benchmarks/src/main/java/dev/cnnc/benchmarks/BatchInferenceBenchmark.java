package dev.cnnc.benchmarks;

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
 * images per invocation, split into {@code threads} equal parts run at once ({@link BatchSplitter}).
 * The score is images per second ({@code @OperationsPerInvocation(256)}).
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

    private Predictor predictor;
    private float[][] images;
    private float[][] outputs;
    private BatchSplitter splitter;

    @Setup
    public void setUp() {
        var model = network.initializedModel();
        predictor = network.inference(model.parameters());
        int inputSize = model.inputSize();
        float[] flat = network.randomImages(BATCH, 256);
        images = new float[BATCH][inputSize];
        outputs = new float[BATCH][model.outputSize()];
        for (int n = 0; n < BATCH; n++) {
            System.arraycopy(flat, n * inputSize, images[n], 0, inputSize);
        }
        splitter = new BatchSplitter(threads);
    }

    @TearDown
    public void tearDown() {
        splitter.close();
    }

    @Benchmark
    @OperationsPerInvocation(BATCH)
    public float batch256() throws InterruptedException, ExecutionException {
        splitter.run(BATCH, (from, to) -> {
            for (int n = from; n < to; n++) {
                predictor.predict(images[n], outputs[n]);
            }
        });
        return outputs[BATCH - 1][0];
    }
}
