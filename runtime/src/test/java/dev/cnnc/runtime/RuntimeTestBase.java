package dev.cnnc.runtime;

import java.io.File;
import java.nio.file.Path;
import org.junit.jupiter.api.io.TempDir;

/** Shared fixtures: one fixed seed for all random test data, a temporary directory, synthetic data. */
abstract class RuntimeTestBase {
    /** The one seed of every test's random data. */
    static final long SEED = 20_240_611L;

    @TempDir
    Path temporaryDirectory;

    File file(String name) {
        return temporaryDirectory.resolve(name).toFile();
    }

    /** A generator on the shared seed, offset by {@code stream} so tests can draw independent data. */
    static SplitMix64 random(int stream) {
        return new SplitMix64(SEED + 1_000_003L * stream);
    }

    /**
     * Linearly separable blobs: class c has its center at +3 on input c (mod inputs) and -3 on the
     * next one; samples add uniform noise in [-1, 1]. Labels cycle 0, 1, ..., classes-1.
     */
    static Dataset blobs(int count, int inputs, int classes, int stream) {
        SplitMix64 random = random(stream);
        float[] images = new float[count * inputs];
        int[] labels = new int[count];
        for (int n = 0; n < count; n++) {
            int label = n % classes;
            labels[n] = label;
            for (int i = 0; i < inputs; i++) {
                float center = i == label % inputs ? 3f : i == (label + 1) % inputs ? -3f : 0f;
                images[n * inputs + i] = center + (float) (2 * random.nextDouble() - 1);
            }
        }
        return new Dataset(images, labels, inputs);
    }
}
