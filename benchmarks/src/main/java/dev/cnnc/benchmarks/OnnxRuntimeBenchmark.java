package dev.cnnc.benchmarks;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import java.io.IOException;
import java.nio.FloatBuffer;
import java.util.Map;
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
 * softmax included) run by ONNX Runtime Java on its CPU provider, {@code intraOpThreads} threads for
 * one run (so at 2 threads ONNX Runtime splits even a single image's work), inter-op 1, sequential,
 * all graph optimizations. The input tensor is built once; each call runs the session and copies the
 * outputs into a Java array, as a Java caller needs them.
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

    private OrtEnvironment environment;
    private OrtSession session;
    private OnnxTensor single;
    private OnnxTensor batch;
    private float[] singleOutput;
    private float[] batchOutput;

    @Setup
    public void setUp() throws OrtException, IOException {
        var model = network.newModel();
        int inputSize = model.inputSize();
        int outputSize = model.outputSize();
        long[] imageShape = network.imageShape;
        environment = OrtEnvironment.getEnvironment();
        try (OrtSession.SessionOptions options = new OrtSession.SessionOptions()) {
            options.setIntraOpNumThreads(intraOpThreads);
            options.setInterOpNumThreads(1);
            options.setExecutionMode(OrtSession.SessionOptions.ExecutionMode.SEQUENTIAL);
            options.setOptimizationLevel(OrtSession.SessionOptions.OptLevel.ALL_OPT);
            session = environment.createSession(OnnxModelFiles.model(network).toString(), options);
        }
        checkAgainstPyTorch(inputSize, outputSize, imageShape);
        single = tensor(network.randomImages(1, 1), 1, imageShape);
        batch = tensor(network.randomImages(BATCH, 256), BATCH, imageShape);
        singleOutput = new float[outputSize];
        batchOutput = new float[BATCH * outputSize];
    }

    @TearDown
    public void tearDown() throws OrtException {
        single.close();
        batch.close();
        session.close();
    }

    @Benchmark
    @BenchmarkMode(Mode.SampleTime)
    @OutputTimeUnit(TimeUnit.MICROSECONDS)
    public float latencyBatch1() throws OrtException {
        run(single, singleOutput);
        return singleOutput[0];
    }

    @Benchmark
    @BenchmarkMode(Mode.Throughput)
    @OutputTimeUnit(TimeUnit.SECONDS)
    @OperationsPerInvocation(BATCH)
    public float batch256() throws OrtException {
        run(batch, batchOutput);
        return batchOutput[0];
    }

    private void run(OnnxTensor input, float[] output) throws OrtException {
        try (OrtSession.Result result = session.run(Map.of("input", input))) {
            ((OnnxTensor) result.get(0)).getFloatBuffer().get(output);
        }
    }

    private OnnxTensor tensor(float[] images, int count, long[] imageShape) throws OrtException {
        long[] shape = {count, imageShape[0], imageShape[1], imageShape[2]};
        return OnnxTensor.createTensor(environment, FloatBuffer.wrap(images), shape);
    }

    private void checkAgainstPyTorch(int inputSize, int outputSize, long[] imageShape)
            throws OrtException, IOException {
        float[] expected = OnnxModelFiles.referenceOutput(network);
        float[] actual = new float[outputSize];
        try (OnnxTensor input = tensor(OnnxModelFiles.referenceInput(inputSize), 1, imageShape)) {
            run(input, actual);
        }
        for (int i = 0; i < outputSize; i++) {
            if (Math.abs(actual[i] - expected[i]) > 1e-4f) {
                throw new IllegalStateException(network + ": ONNX Runtime output " + i + " is " + actual[i]
                        + ", PyTorch gave " + expected[i] + " (re-run export_onnx.py?)");
            }
        }
    }
}
