package dev.cnnc.runtime;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import org.junit.jupiter.api.Test;

/** Checkpoint files keep every field, refuse damage, and survive a crash while being rewritten. */
class CheckpointTest extends RuntimeTestBase {

    private Checkpoint sample(TrainableModel model) {
        Init.HE_UNIFORM.apply(model, SEED);
        Adam adam = new Adam(0.01f);
        float[] parameters = model.parameters().clone();
        adam.step(parameters, parameters.clone(), 0.01f);
        History history = new History();
        history.add(1.5, 0.25, 1.25, 0.5, 0.01, 2.5);
        return new Checkpoint(1, parameters, adam.state(), 0x1234_5678_9ABC_DEF0L, history);
    }

    @Test
    void everyFieldSurvivesTheRoundTrip() throws IOException {
        TrainableModel model = new TanhMlpModel(3, 4, 2);
        Checkpoint written = sample(model);
        File file = file("run.ckpt");
        Checkpoint.save(model, written, file);
        Checkpoint read = Checkpoint.load(file, model);
        assertEquals(1, read.epoch());
        assertEquals(0x1234_5678_9ABC_DEF0L, read.randomState());
        assertArrayEquals(written.parameters(), read.parameters());
        assertEquals("adam", read.optimizerState().kind());
        assertEquals(1, read.optimizerState().steps());
        assertArrayEquals(written.optimizerState().buffer(1), read.optimizerState().buffer(1));
        History history = read.history();
        assertEquals(1, history.epochs());
        assertEquals(1.5, history.trainLoss(0));
        assertEquals(0.25, history.trainAccuracy(0));
        assertEquals(1.25, history.validationLoss(0));
        assertEquals(0.5, history.validationAccuracy(0));
        assertEquals(0.01, history.learningRate(0));
        assertEquals(2.5, history.seconds(0));
    }

    @Test
    void corruptedCheckpointIsRefused() throws IOException {
        TrainableModel model = new TanhMlpModel(3, 4, 2);
        File file = file("run.ckpt");
        Checkpoint.save(model, sample(model), file);
        byte[] bytes = Files.readAllBytes(file.toPath());
        bytes[bytes.length - 20] ^= 1;
        Files.write(file.toPath(), bytes);
        WeightsFormatException e = assertThrows(WeightsFormatException.class, () -> Checkpoint.load(file, model));
        assertTrue(e.getMessage().startsWith(file.getPath() + ": bad checksum: stored "), e.getMessage());
    }

    @Test
    void checkpointOfAnotherNetworkIsRefused() throws IOException {
        TrainableModel model = new TanhMlpModel(3, 4, 2);
        File file = file("run.ckpt");
        Checkpoint.save(model, sample(model), file);
        WeightsFormatException e = assertThrows(WeightsFormatException.class,
                () -> Checkpoint.load(file, new TanhMlpModel(3, 5, 2)));
        assertTrue(e.getMessage().startsWith(file.getPath() + ": holds the parameters of another network:\n"
                + "  file:  TanhMlp"), e.getMessage());
    }

    @Test
    void weightsFileIsNotLoadedAsCheckpoint() throws IOException {
        TrainableModel model = new TanhMlpModel(3, 4, 2);
        File file = file("model.weights");
        WeightsFile.save(model, file);
        WeightsFormatException e = assertThrows(WeightsFormatException.class, () -> Checkpoint.load(file, model));
        assertEquals(file.getPath() + ": is a cnnc weights file, not a checkpoint (load it with WeightsFile.load)",
                e.getMessage());
    }

    @Test
    void crashWhileRewritingKeepsTheOldCheckpoint() throws IOException {
        TrainableModel model = new TanhMlpModel(3, 4, 2);
        File file = file("run.ckpt");
        Checkpoint.save(model, sample(model), file);
        byte[] previous = Files.readAllBytes(file.toPath());
        Checkpoint newer = new Checkpoint(2, new float[model.parameterCount()], new Sgd(0.1f).state(), 7,
                new History());
        AtomicFile.testWrapper = out -> new WeightsFileTest.FailingStream(out, 100);
        try {
            assertThrows(IOException.class, () -> Checkpoint.save(model, newer, file));
        } finally {
            AtomicFile.testWrapper = null;
        }
        assertArrayEquals(previous, Files.readAllBytes(file.toPath()));
        assertArrayEquals(new String[] {"run.ckpt"}, temporaryDirectory.toFile().list());
    }

    @Test
    void resumingWithAnotherOptimizerNamesTheFile() throws IOException {
        TrainableModel model = new TanhMlpModel(3, 4, 2);
        File file = file("run.ckpt");
        Checkpoint.save(model, sample(model), file);
        Dataset data = blobs(8, 3, 2, 5);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Trainer.builder(model)
                .optimizer(new Sgd(0.1f)).epochs(2).resumeFrom(file).quiet().build().fit(data));
        assertEquals("cannot resume from " + file + ": the optimizer state is from adam, this optimizer is sgd",
                e.getMessage());
    }
}
