package dev.cnnc.runtime;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.cnnc.runtime.fuzz.ByteMutator;
import dev.cnnc.runtime.fuzz.Crc32Fixup;
import dev.cnnc.runtime.fuzz.ParserFuzz;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import org.junit.jupiter.api.Test;

/**
 * Fuzzes the two cnnc file formats: mutated weights files and checkpoints (half of them with the
 * CRC32 repaired, so the mutation reaches the header's counts and lengths), cross-fed to both
 * loaders, plus random bytes. Allowed: a load, or a {@link WeightsFormatException} naming the
 * source with the model unchanged.
 */
class CnncFilesFuzzTest extends RuntimeTestBase {
    private static final String SOURCE = "fuzzed.bin";

    private static SoftmaxRegressionModel trained(int inputs, int classes, long seed) {
        SoftmaxRegressionModel model = new SoftmaxRegressionModel(inputs, classes);
        Init.HE_NORMAL.apply(model, seed);
        return model;
    }

    private static byte[] weights(TrainableModel model) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        WeightsFile.save(model, out);
        return out.toByteArray();
    }

    private static byte[] checkpoint(TrainableModel model, Optimizer optimizer, int epochs) throws IOException {
        float[] parameters = model.parameters().clone();
        optimizer.step(parameters, parameters.clone(), 0.01f);
        History history = new History();
        for (int epoch = 0; epoch < epochs; epoch++) {
            history.add(1.5 / (epoch + 1), 0.25, 1.25, 0.5, 0.01, 2.5);
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        new Checkpoint(epochs, parameters, optimizer.state(), 0x1234_5678L, history).writeTo(model, out);
        return out.toByteArray();
    }

    private static ByteMutator seeds() throws IOException {
        SoftmaxRegressionModel model = trained(5, 4, SEED);
        return new ByteMutator(weights(model), weights(trained(3, 2, SEED)),
            checkpoint(model, new Adam(0.01f), 2), checkpoint(model, new Sgd(0.1f).momentum(0.9f), 1),
            checkpoint(trained(3, 2, SEED), new Adam(0.01f), 0));
    }

    /** Mutants, half of them with a valid checksum. */
    private static ParserFuzz.Generator generator() throws IOException {
        ByteMutator mutator = seeds();
        return random -> {
            ByteMutator.Mutant mutant = mutator.next(random);
            return random.nextBoolean() ? mutant : new ByteMutator.Mutant(Crc32Fixup.fix(mutant.bytes),
                mutant.edits + "; CRC32 repaired");
        };
    }

    @Test
    void weightsLoaderLoadsOrRefusesAndNeverChangesTheModelOnFailure() throws IOException {
        ParserFuzz.Report report = new ParserFuzz("WeightsFile.load", WeightsFormatException.class, SOURCE)
            .run(3000, generator(), input -> {
                SoftmaxRegressionModel model = trained(5, 4, SEED + 7);
                float[] before = model.parameters().clone();
                try {
                    WeightsFile.load(model, new ByteArrayInputStream(input), SOURCE);
                } catch (WeightsFormatException e) {
                    assertArrayEquals(before, model.parameters(), "a failed load changed the model");
                    throw e;
                }
                // Loaded: the parameters are exactly the floats before the checksum.
                ByteBuffer data = ByteBuffer.wrap(input).order(ByteOrder.LITTLE_ENDIAN);
                float[] parameters = model.parameters();
                int start = input.length - 4 - 4 * parameters.length;
                for (int i = 0; i < parameters.length; i++) {
                    assertEquals(Float.floatToRawIntBits(data.getFloat(start + 4 * i)),
                        Float.floatToRawIntBits(parameters[i]), "parameter " + i);
                }
            });
        assertTrue(report.rejected > report.cases / 2, report.toString());
        assertTrue(report.loaded > 0, "no mutant loaded; the mutations never leave a valid file: " + report);
    }

    @Test
    void checkpointLoaderLoadsOrRefusesWithConsistentFields() throws IOException {
        ParserFuzz.Report report = new ParserFuzz("Checkpoint.load", WeightsFormatException.class, SOURCE)
            .run(3000, generator(), input -> {
                SoftmaxRegressionModel model = trained(5, 4, SEED + 7);
                float[] before = model.parameters().clone();
                Checkpoint checkpoint;
                try {
                    checkpoint = Checkpoint.load(new ByteArrayInputStream(input), SOURCE, model);
                } finally {
                    assertArrayEquals(before, model.parameters(), "loading a checkpoint changed the model");
                }
                assertEquals(checkpoint.epoch(), checkpoint.history().epochs());
                assertEquals(model.parameterCount(), checkpoint.parameters().length);
                OptimizerState state = checkpoint.optimizerState();
                for (int i = 0; i < state.bufferCount(); i++) {
                    assertEquals(model.parameterCount(), state.buffer(i).length, "optimizer buffer " + i);
                }
            });
        assertTrue(report.rejected > report.cases / 2, report.toString());
        assertTrue(report.loaded > 0, "no mutant loaded; the mutations never leave a valid file: " + report);
    }
}
