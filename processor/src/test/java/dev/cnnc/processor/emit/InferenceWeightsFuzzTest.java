package dev.cnnc.processor.emit;

import static dev.cnnc.Activation.SOFTMAX;
import static dev.cnnc.Activation.TANH;
import static dev.cnnc.Padding.SAME;
import static dev.cnnc.processor.emit.NetworkSource.network;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.cnnc.runtime.TrainableModel;
import dev.cnnc.runtime.WeightsFile;
import dev.cnnc.runtime.fuzz.ByteMutator;
import dev.cnnc.runtime.fuzz.Crc32Fixup;
import dev.cnnc.runtime.fuzz.ParserFuzz;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.lang.reflect.Constructor;
import java.lang.reflect.InvocationTargetException;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * Fuzzes the weights reader that every generated {@code <Name>Inference} carries (it cannot use the
 * runtime's): mutated weights files of its own network and of another one, half with the CRC32
 * repaired, plus random bytes. Allowed: the exact parameters of the file, or an {@link IOException}
 * with a message.
 */
class InferenceWeightsFuzzTest {

    private static byte[] weights(TrainableModel model) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        WeightsFile.save(model, out);
        return out.toByteArray();
    }

    @Test
    void generatedReaderLoadsExactlyOrRefusesWithAMessage() throws Exception {
        GeneratedNetwork generated = GeneratedNetwork.compile(network("Fuzzed", 5, 5, 1).conv(2, 3, 1, SAME, TANH)
                .dense(3, SOFTMAX));
        GeneratedNetwork other = GeneratedNetwork.compile(network("Other", 4, 4, 1).dense(3, SOFTMAX));
        TrainableModel model = generated.model();
        TestData.randomize(model, new SplittableRandom(TestData.SEED));
        ByteMutator mutator = new ByteMutator(weights(model), weights(other.model()));
        Constructor<?> fromStream = generated.load("Inference").getConstructor(java.io.InputStream.class);
        ParserFuzz.Generator generator = random -> {
            ByteMutator.Mutant mutant = mutator.next(random);
            return random.nextBoolean() ? mutant
                    : new ByteMutator.Mutant(Crc32Fixup.fix(mutant.bytes), mutant.edits + "; CRC32 repaired");
        };
        ParserFuzz.Report report = new ParserFuzz("<Name>Inference(InputStream)", IOException.class, "")
                .run(2000, generator, input -> {
                    Object inference;
                    try {
                        inference = fromStream.newInstance(new ByteArrayInputStream(input));
                    } catch (InvocationTargetException e) {
                        throw (Exception) e.getCause();
                    }
                    // Loaded: the file names this network and its CRC32 holds, so its floats are ours.
                    float[] loaded = (float[]) GeneratedNetwork.invoke(inference, "parameters", new Class<?>[0]);
                    float[] stored = new float[loaded.length];
                    java.nio.ByteBuffer data = java.nio.ByteBuffer.wrap(input).order(java.nio.ByteOrder.LITTLE_ENDIAN);
                    int start = input.length - 4 - 4 * loaded.length;
                    for (int i = 0; i < stored.length; i++) {
                        stored[i] = data.getFloat(start + 4 * i);
                    }
                    assertArrayEquals(stored, loaded);
                });
        assertTrue(report.loaded > 0 && report.rejected > report.cases / 2, report.toString());
    }
}
