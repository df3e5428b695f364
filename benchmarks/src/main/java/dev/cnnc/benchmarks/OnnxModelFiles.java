package dev.cnnc.benchmarks;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;

/**
 * Where {@code benchmarks/peers/export_onnx.py} writes the PyTorch twins of the networks:
 * {@code <dir>/<peerName>.onnx} and {@code <dir>/<peerName>.reference.txt} (PyTorch's ten outputs for
 * {@link #referenceInput}). The directory is the system property {@code cnnc.onnx.dir}, by default
 * {@code target/onnx} under the working directory (compare-peers.sh runs from {@code benchmarks/}).
 */
final class OnnxModelFiles {
    private OnnxModelFiles() {
    }

    static Path directory() {
        return Paths.get(System.getProperty("cnnc.onnx.dir", "target/onnx")).toAbsolutePath();
    }

    static Path model(BenchmarkNetwork network) throws IOException {
        return existing(directory().resolve(network.peerName + ".onnx"));
    }

    static float[] referenceOutput(BenchmarkNetwork network) throws IOException {
        String[] words = Files.readString(existing(directory().resolve(network.peerName + ".reference.txt")))
                .trim().split("\\s+");
        float[] values = new float[words.length];
        for (int i = 0; i < words.length; i++) {
            values[i] = Float.parseFloat(words[i]);
        }
        return values;
    }

    /** The fixed test image of the export script: {@code x[i] = ((i * 7919) mod 1000) / 1000 - 0.5}. */
    static float[] referenceInput(int inputSize) {
        float[] input = new float[inputSize];
        for (int i = 0; i < inputSize; i++) {
            input[i] = (float) (((i * 7919L) % 1000) / 1000.0 - 0.5);
        }
        return input;
    }

    private static Path existing(Path file) throws IOException {
        if (!Files.isRegularFile(file)) {
            throw new IOException(file + " does not exist: run /usr/bin/python3 benchmarks/peers/export_onnx.py "
                    + directory() + " first (compare-peers.sh does)");
        }
        return file;
    }
}
