package dev.cnnc.benchmarks;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import java.io.IOException;
import java.nio.FloatBuffer;
import java.util.Map;

/**
 * A network's PyTorch twin ({@link OnnxModelFiles}) in an ONNX Runtime session on its CPU provider:
 * {@code intraOpThreads} threads for one run (so at 2 threads ONNX Runtime splits even a single
 * image's work), inter-op 1, sequential, all graph optimizations. Opening it checks the session's
 * output on a fixed image against PyTorch's (1e-4). Each {@link #run} runs the session and copies the
 * outputs into a Java array, as a Java caller needs them.
 */
final class OrtLeNet implements AutoCloseable {
    private final BenchmarkNetwork network;
    private final OrtEnvironment environment;
    private final OrtSession session;

    OrtLeNet(BenchmarkNetwork network, int intraOpThreads) throws OrtException, IOException {
        this.network = network;
        this.environment = OrtEnvironment.getEnvironment();
        try (OrtSession.SessionOptions options = new OrtSession.SessionOptions()) {
            options.setIntraOpNumThreads(intraOpThreads);
            options.setInterOpNumThreads(1);
            options.setExecutionMode(OrtSession.SessionOptions.ExecutionMode.SEQUENTIAL);
            options.setOptimizationLevel(OrtSession.SessionOptions.OptLevel.ALL_OPT);
            session = environment.createSession(OnnxModelFiles.model(network).toString(), options);
        }
        try {
            checkAgainstPyTorch();
        } catch (OrtException | IOException | RuntimeException e) {
            session.close();
            throw e;
        }
    }

    /** {@code count} CHW images, flat, as one N x C x H x W input tensor (the caller closes it). */
    OnnxTensor tensor(float[] images, int count) throws OrtException {
        long[] image = network.imageShape;
        long[] shape = {count, image[0], image[1], image[2]};
        return OnnxTensor.createTensor(environment, FloatBuffer.wrap(images), shape);
    }

    /** Runs the session on {@code input} and copies its outputs into {@code output}. */
    void run(OnnxTensor input, float[] output) throws OrtException {
        try (OrtSession.Result result = session.run(Map.of("input", input))) {
            ((OnnxTensor) result.get(0)).getFloatBuffer().get(output);
        }
    }

    private void checkAgainstPyTorch() throws OrtException, IOException {
        var model = network.newModel();
        float[] expected = OnnxModelFiles.referenceOutput(network);
        float[] actual = new float[model.outputSize()];
        try (OnnxTensor input = tensor(OnnxModelFiles.referenceInput(model.inputSize()), 1)) {
            run(input, actual);
        }
        for (int i = 0; i < actual.length; i++) {
            if (Math.abs(actual[i] - expected[i]) > 1e-4f) {
                throw new IllegalStateException(network + ": ONNX Runtime output " + i + " is " + actual[i]
                        + ", PyTorch gave " + expected[i] + " (re-run export_onnx.py?)");
            }
        }
    }

    @Override
    public void close() throws OrtException {
        session.close();
    }
}
