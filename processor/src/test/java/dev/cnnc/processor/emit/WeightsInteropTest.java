package dev.cnnc.processor.emit;

import static dev.cnnc.Activation.LINEAR;
import static dev.cnnc.Activation.RELU;
import static dev.cnnc.Activation.SOFTMAX;
import static dev.cnnc.Padding.VALID;
import static dev.cnnc.PoolKind.MAX;
import static dev.cnnc.processor.emit.NetworkSource.network;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.cnnc.runtime.TrainableModel;
import dev.cnnc.runtime.WeightsFile;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.lang.reflect.Constructor;
import java.lang.reflect.InvocationTargetException;
import java.util.Arrays;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** The runtime writes weights files; a generated inference class, which cannot use the runtime, reads them. */
class WeightsInteropTest {
    private static final NetworkSource SMALL = network("Small", 8, 8, 2).conv(3, 3, 1, VALID, RELU).pool(MAX, 2, 2)
            .dense(4, SOFTMAX);

    @Test
    void inferenceReadsWhatTheRuntimeWrites() throws Throwable {
        GeneratedNetwork generated = GeneratedNetwork.compile(SMALL);
        TrainableModel model = generated.model();
        TestData.randomize(model, new SplittableRandom(TestData.SEED));
        Object inference = fromStream(generated, save(model));
        float[] loaded = (float[]) GeneratedNetwork.invoke(inference, "parameters", new Class<?>[0]);
        assertArrayEquals(model.parameters(), loaded);
    }

    @Test
    void corruptedDataFailsTheChecksum() throws Exception {
        GeneratedNetwork generated = GeneratedNetwork.compile(SMALL);
        TrainableModel model = generated.model();
        TestData.randomize(model, new SplittableRandom(TestData.SEED));
        byte[] file = save(model);
        file[file.length - 10] ^= 0x40;
        assertFailure(generated, file, "CRC32 does not match");
    }

    @Test
    void truncatedFileAndTrailingBytesAreRefused() throws Exception {
        GeneratedNetwork generated = GeneratedNetwork.compile(SMALL);
        byte[] file = save(generated.model());
        assertFailure(generated, Arrays.copyOf(file, file.length - 3), "truncated");
        assertFailure(generated, Arrays.copyOf(file, file.length + 1), "bytes after its CRC32");
        assertFailure(generated, new byte[] {'P', 'K', 3, 4, 0}, "not a cnnc weights file");
    }

    @Test
    void weightsOfAnotherNetworkAreRefused() throws Exception {
        GeneratedNetwork generated = GeneratedNetwork.compile(SMALL);
        GeneratedNetwork other = GeneratedNetwork.compile(network("Other", 8, 8, 2).conv(3, 3, 1, VALID, RELU)
                .pool(MAX, 2, 2).dense(4, LINEAR));
        assertFailure(generated, save(other.model()), "another network: Other");
    }

    @Test
    void gradientWithOutputEqualsForwardThenGradient() {
        GeneratedNetwork generated = GeneratedNetwork.compile(SMALL);
        TrainableModel model = generated.model();
        SplittableRandom random = new SplittableRandom(TestData.SEED);
        TestData.randomize(model, random);
        float[] image = TestData.uniform(random, model.inputSize(), 0, 1);
        float[] gradientAlone = new float[model.parameterCount()];
        float lossAlone = model.gradient(model.newWorkspace(), image, 0, 2, gradientAlone);
        float[] output = new float[model.outputSize()];
        model.forward(model.newWorkspace(), image, 0, output, 0);

        float[] gradient = new float[model.parameterCount()];
        float[] outputs = new float[model.outputSize() + 3];
        float loss = model.gradient(model.newWorkspace(), image, 0, 2, gradient, outputs, 3);
        assertEquals(lossAlone, loss);
        assertArrayEquals(gradientAlone, gradient);
        assertArrayEquals(output, Arrays.copyOfRange(outputs, 3, outputs.length));
        assertTrue(model.outputsProbabilities());
        assertFalse(GeneratedNetwork.compile(network("Logits", 4, 4, 1).dense(3, LINEAR)).model()
                .outputsProbabilities());
    }

    private static byte[] save(TrainableModel model) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        WeightsFile.save(model, out);
        return out.toByteArray();
    }

    private static Object fromStream(GeneratedNetwork generated, byte[] file) throws Throwable {
        Constructor<?> constructor = generated.load("Inference").getConstructor(java.io.InputStream.class);
        try {
            return constructor.newInstance(new ByteArrayInputStream(file));
        } catch (InvocationTargetException e) {
            throw e.getCause();
        }
    }

    private static void assertFailure(GeneratedNetwork generated, byte[] file, String message) {
        Throwable error = assertThrows(Throwable.class, () -> fromStream(generated, file));
        assertInstanceOf(IOException.class, error);
        assertTrue(error.getMessage().contains(message), () -> "expected '" + message + "' in: " + error.getMessage());
    }
}
