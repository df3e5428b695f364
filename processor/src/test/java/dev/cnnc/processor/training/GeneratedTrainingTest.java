package dev.cnnc.processor.training;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.cnnc.processor.emit.GeneratedNetwork;
import dev.cnnc.runtime.Adam;
import dev.cnnc.runtime.Checkpoint;
import dev.cnnc.runtime.Dataset;
import dev.cnnc.runtime.History;
import dev.cnnc.runtime.Init;
import dev.cnnc.runtime.Schedule;
import dev.cnnc.runtime.Sgd;
import dev.cnnc.runtime.TrainableModel;
import dev.cnnc.runtime.Trainer;
import java.io.File;
import java.io.IOException;
import java.nio.file.Path;
import java.util.SplittableRandom;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The runtime training generated networks (not hand-written stand-ins): bitwise identical weights
 * for 1, 2 and 4 threads, a resumed run equal to an uninterrupted one, and a falling loss for the
 * lecture's LeNet-5.
 */
class GeneratedTrainingTest {
    private static final long SEED = 42;
    private static final String SMALL_CNN = """
            package train;
            import dev.cnnc.*;
            @Network(height = 8, width = 8, channels = 1)
            final class SmallCnn {
                @Conv(filters = 4, kernel = 3, padding = Padding.SAME, activation = Activation.RELU) Layer conv1;
                @Pool(kind = PoolKind.MAX, size = 2) Layer pool1;
                @Conv(filters = 6, kernel = 3, activation = Activation.TANH) Layer conv2;
                @Dense(units = 3, activation = Activation.SOFTMAX) Layer output;
            }
            """;
    private static final String LENET = """
            package train;
            import dev.cnnc.*;
            import static dev.cnnc.Activation.*;
            @Network(height = 32, width = 32, channels = 3, params = 62_006)
            final class CifarLeNet {
                @Conv(filters = 6, kernel = 5, activation = RELU)  Layer conv1;
                @Pool(kind = PoolKind.MAX, size = 2)               Layer pool1;
                @Conv(filters = 16, kernel = 5, activation = RELU) Layer conv2;
                @Pool(kind = PoolKind.MAX, size = 2)               Layer pool2;
                @Dense(units = 120, activation = RELU)             Layer fc1;
                @Dense(units = 84, activation = RELU)              Layer fc2;
                @Dense(units = 10, activation = SOFTMAX)           Layer output;
            }
            """;

    private static GeneratedNetwork smallCnn;
    private static Dataset stripes;

    @BeforeAll
    static void compile() {
        smallCnn = GeneratedNetwork.compileSource("train.SmallCnn", SMALL_CNN);
        stripes = stripes(120, new SplittableRandom(SEED));
    }

    /** Three classes of 8x8 images: horizontal stripes, vertical stripes, noise; deterministic. */
    private static Dataset stripes(int count, SplittableRandom random) {
        float[] images = new float[count * 64];
        int[] labels = new int[count];
        for (int n = 0; n < count; n++) {
            labels[n] = n % 3;
            for (int y = 0; y < 8; y++) {
                for (int x = 0; x < 8; x++) {
                    float value = switch (labels[n]) {
                        case 0 -> y % 2;
                        case 1 -> x % 2;
                        default -> (float) random.nextDouble();
                    };
                    images[n * 64 + y * 8 + x] = value + (float) (0.1 * random.nextDouble());
                }
            }
        }
        return new Dataset(images, labels, 64, new String[] {"horizontal", "vertical", "noise"});
    }

    private static Trainer.Builder run(TrainableModel model, int threads) {
        return Trainer.builder(model)
                .optimizer(new Sgd(0.05f).momentum(0.9f).nesterov(true).weightDecay(1e-4f))
                .schedule(Schedule.cosine(0.001f))
                .batchSize(20)
                .epochs(4)
                .seed(SEED)
                .init(Init.HE_UNIFORM)
                .threads(threads)
                .quiet();
    }

    @Test
    void generatedNetworkTrainsToIdenticalBitsOnOneTwoAndFourThreads() throws IOException {
        int[] reference = null;
        for (int threads : new int[] {1, 2, 4}) {
            TrainableModel model = smallCnn.model();
            History history = run(model, threads).build().fit(stripes);
            assertTrue(history.trainLoss(history.epochs() - 1) < history.trainLoss(0), "loss falls");
            if (reference == null) {
                reference = bits(model.parameters());
            } else {
                assertArrayEquals(reference, bits(model.parameters()), "parameters with " + threads + " threads");
            }
        }
    }

    @Test
    void resumingAGeneratedNetworkFromACheckpointEqualsTheUninterruptedRun(@TempDir Path folder)
            throws IOException {
        TrainableModel uninterrupted = smallCnn.model();
        run(uninterrupted, 2).optimizer(new Adam(0.01f)).build().fit(stripes);

        File checkpoint = folder.resolve("small.ckpt").toFile();
        TrainableModel crashed = smallCnn.model();
        assertThrows(IllegalStateException.class, () -> run(crashed, 1).optimizer(new Adam(0.01f))
                .checkpointTo(checkpoint)
                .listener((epoch, history) -> {
                    if (epoch == 1) {
                        throw new IllegalStateException("stopped after epoch " + epoch);
                    }
                    return true;
                })
                .build().fit(stripes));
        assertEquals(1, Checkpoint.load(checkpoint, crashed).epoch());

        TrainableModel resumed = smallCnn.model();
        run(resumed, 4).optimizer(new Adam(0.01f)).resumeFrom(checkpoint).build().fit(stripes);
        assertArrayEquals(bits(uninterrupted.parameters()), bits(resumed.parameters()));
    }

    @Test
    void lectureLeNetLossFallsOnSyntheticCifarShapedData() throws IOException {
        TrainableModel model = GeneratedNetwork.compileSource("train.CifarLeNet", LENET).model();
        SplittableRandom random = new SplittableRandom(SEED);
        int count = 200;
        float[] images = new float[count * 3072];
        int[] labels = new int[count];
        for (int n = 0; n < count; n++) {
            labels[n] = n % 10;
            for (int i = 0; i < 3072; i++) {
                // each class brightens its own band of rows in one channel, plus noise
                int channel = i / 1024;
                int row = (i % 1024) / 32;
                boolean band = channel == labels[n] % 3 && row / 4 == labels[n] % 8;
                images[n * 3072 + i] = (band ? 1f : 0f) + (float) (0.3 * random.nextGaussian());
            }
        }
        History history = Trainer.builder(model).optimizer(new Sgd(0.02f).momentum(0.9f)).batchSize(20).epochs(4)
                .seed(SEED).threads(2).quiet().build().fit(new Dataset(images, labels, 3072));
        assertTrue(history.trainLoss(3) < 0.7 * history.trainLoss(0),
                () -> "losses " + java.util.Arrays.toString(history.trainLosses()));
    }

    private static int[] bits(float[] values) {
        int[] bits = new int[values.length];
        for (int i = 0; i < values.length; i++) {
            bits[i] = Float.floatToRawIntBits(values[i]);
        }
        return bits;
    }
}
