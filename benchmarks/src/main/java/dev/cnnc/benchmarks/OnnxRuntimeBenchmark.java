package dev.cnnc.benchmarks;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtException;
import java.io.IOException;
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
 * The inference peer: the same LeNets exported from PyTorch to ONNX ({@code benchmarks/peers/export_onnx.py},
 * softmax included) run by ONNX Runtime Java ({@link OrtLeNet}: {@code intraOpThreads} threads for one
 * run, so at 2 threads ONNX Runtime splits even a single image's work). The input tensor is built
 * once; each call runs the session and copies the outputs into a Java array, as a Java caller needs
 * them.
 *
 * <p>{@code latencyBatch1}: sample time per image (compare medians with
 * {@code InferenceLatencyBenchmark}); {@code batch256}: images per second on one 256-image tensor
 * (compare with {@code BatchInferenceBenchmark}). Set-up checks the session's output on a fixed image
 * against PyTorch's. Run alone (after the export):
 * {@code java -cp ... org.openjdk.jmh.Main OnnxRuntimeBenchmark -f 1 -wi 2 -i 3 -w 2s -r 2s}.
 */
@State(Scope.Benchmark)
public class OnnxRuntimeBenchmark {
    static final int BATCH = 256;

    @Param({"CifarLeNet", "FashionLeNet"})
    public BenchmarkNetwork network;

    @Param({"1", "2"})
    public int intraOpThreads;

    private OrtLeNet peer;
    private OnnxTensor single;
    private OnnxTensor batch;
    private float[] singleOutput;
    private float[] batchOutput;

    @Setup
    public void setUp() throws OrtException, IOException {
        int outputSize = network.newModel().outputSize();
        peer = new OrtLeNet(network, intraOpThreads);
        single = peer.tensor(network.randomImages(1, 1), 1);
        batch = peer.tensor(network.randomImages(BATCH, 256), BATCH);
        singleOutput = new float[outputSize];
        batchOutput = new float[BATCH * outputSize];
    }

    @TearDown
    public void tearDown() throws OrtException {
        single.close();
        batch.close();
        peer.close();
    }

    @Benchmark
    @BenchmarkMode(Mode.SampleTime)
    @OutputTimeUnit(TimeUnit.MICROSECONDS)
    public float latencyBatch1() throws OrtException {
        peer.run(single, singleOutput);
        return singleOutput[0];
    }

    @Benchmark
    @BenchmarkMode(Mode.Throughput)
    @OutputTimeUnit(TimeUnit.SECONDS)
    @OperationsPerInvocation(BATCH)
    public float batch256() throws OrtException {
        peer.run(batch, batchOutput);
        return batchOutput[0];
    }
}
