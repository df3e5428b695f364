package dev.cnnc.runtime;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.File;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** Training behaviour: learning, progress output, divergence, failures and bad input. */
class TrainerTest extends RuntimeTestBase {
    private static final Dataset TRAIN = blobs(120, 5, 4, 20);
    private static final Dataset VALIDATION = blobs(40, 5, 4, 21);

    @Test
    void lossFallsAndTheSeparableProblemIsLearned() throws IOException {
        SoftmaxRegressionModel model = new SoftmaxRegressionModel(5, 4);
        History history = Trainer.builder(model).optimizer(new Sgd(0.1f).momentum(0.9f)).batchSize(16)
                .epochs(6).seed(SEED).validation(VALIDATION).threads(2).quiet().build().fit(TRAIN);
        double[] losses = history.trainLosses();
        for (int epoch = 1; epoch < losses.length; epoch++) {
            assertTrue(losses[epoch] < losses[epoch - 1], "loss did not fall in epoch " + epoch + ": "
                    + java.util.Arrays.toString(losses));
        }
        assertTrue(losses[5] < 0.1, "final loss " + losses[5]);
        assertEquals(1.0, history.validationAccuracy(5));
        Evaluation evaluation = Evaluation.of(model, VALIDATION, 2);
        assertEquals(history.validationLoss(5), evaluation.loss());
    }

    @Test
    void mlpWithLogitsOutputLearnsToo() throws IOException {
        TanhMlpModel model = new TanhMlpModel(5, 8, 4);
        History history = Trainer.builder(model).optimizer(new Adam(0.02f)).init(Init.GLOROT_NORMAL).batchSize(16)
                .epochs(8).seed(0).validation(VALIDATION).quiet().build().fit(TRAIN);
        assertTrue(history.trainLoss(7) < history.trainLoss(0) / 4, history.toString());
        assertEquals(1.0, history.validationAccuracy(7), history.toString());
    }

    @Test
    void scheduleSetsEachEpochsLearningRate() throws IOException {
        History history = Trainer.builder(new SoftmaxRegressionModel(5, 4)).optimizer(new Sgd(0.1f))
                .schedule(Schedule.step(2, 0.5f)).epochs(5).quiet().build().fit(TRAIN);
        double[] expected = {0.1f, 0.1f, 0.05f, 0.05f, 0.025f};
        for (int epoch = 0; epoch < 5; epoch++) {
            assertEquals(expected[epoch], history.learningRate(epoch), 1e-9, "epoch " + epoch);
        }
    }

    @Test
    void progressPrintsOneLinePerEpochWhenNotOnATerminal() throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        History history = Trainer.builder(new SoftmaxRegressionModel(5, 4)).optimizer(new Sgd(0.1f))
                .batchSize(32).epochs(2).validation(VALIDATION)
                .progress(new PrintStream(bytes, true, "UTF-8"), false).build().fit(TRAIN);
        String[] lines = new String(bytes.toByteArray(), StandardCharsets.UTF_8).split("\n", -1);
        assertEquals(3, lines.length, "two lines and the final newline: " + java.util.Arrays.toString(lines));
        assertEquals("", lines[2]);
        Pattern format = Pattern.compile("Epoch (\\d)/2 - 4/4 - \\d+\\.\\ds - \\d+ img/s - loss: (\\d\\.\\d{4})"
                + " - accuracy: (\\d\\.\\d{4}) - val_loss: (\\d\\.\\d{4}) - val_accuracy: (\\d\\.\\d{4}) - lr: 0\\.1000");
        for (int epoch = 0; epoch < 2; epoch++) {
            Matcher line = format.matcher(lines[epoch]);
            assertTrue(line.matches(), "unexpected progress line: " + lines[epoch]);
            assertEquals(String.valueOf(epoch + 1), line.group(1));
            assertEquals(String.format(Locale.ROOT, "%.4f", history.trainLoss(epoch)), line.group(2));
            assertEquals(String.format(Locale.ROOT, "%.4f", history.trainAccuracy(epoch)), line.group(3));
            assertEquals(String.format(Locale.ROOT, "%.4f", history.validationLoss(epoch)), line.group(4));
            assertEquals(String.format(Locale.ROOT, "%.4f", history.validationAccuracy(epoch)), line.group(5));
        }
    }

    @Test
    void terminalProgressRedrawsTheLineInPlace() throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        Trainer.builder(new SoftmaxRegressionModel(5, 4)).batchSize(32).epochs(1)
                .progress(new PrintStream(bytes, true, "UTF-8"), true).build().fit(TRAIN);
        String text = new String(bytes.toByteArray(), StandardCharsets.UTF_8);
        assertTrue(text.contains("\rEpoch 1/1 - 4/4 [========================] - ETA 0.0s - "), text);
        assertTrue(text.matches("(?s).*\rEpoch 1/1 - 4/4 - \\d+\\.\\ds - \\d+ img/s - loss: \\d\\.\\d{4} - accuracy:"
                + " \\d\\.\\d{4} - lr: 0\\.01000 *\n"), text);
    }

    @Test
    void quietTrainingPrintsNothing() throws IOException {
        PrintStream original = System.out;
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        System.setOut(new PrintStream(bytes));
        try {
            Trainer.builder(new SoftmaxRegressionModel(5, 4)).quiet().build().fit(TRAIN);
        } finally {
            System.setOut(original);
        }
        assertEquals(0, bytes.size());
    }

    @Test
    void nanLossStopsWithEpochAndBatchAndKeepsTheLastGoodCheckpoint() throws IOException {
        // 40 samples in batches of 10: the 96th gradient call is sample 6 of batch 2 of epoch 3.
        AtomicInteger calls = new AtomicInteger();
        TrainableModel model = new DelegatingModel(new SoftmaxRegressionModel(5, 4)) {
            @Override
            public float gradient(Workspace workspace, float[] images, int offset, int label, float[] grad) {
                float loss = super.gradient(workspace, images, offset, label, grad);
                return calls.incrementAndGet() == 96 ? Float.NaN : loss;
            }
        };
        File checkpointFile = file("run.ckpt");
        float[][] afterEpoch2 = new float[1][];
        TrainingDivergedException e = assertThrows(TrainingDivergedException.class, () -> Trainer.builder(model)
                .batchSize(10).epochs(5).threads(1).checkpointTo(checkpointFile).quiet()
                .listener((epoch, history) -> {
                    afterEpoch2[0] = model.parameters().clone();
                    return true;
                })
                .build().fit(TRAIN.slice(0, 40)));
        assertEquals("training diverged at epoch 3/5, batch 2/4: the batch loss is NaN; the parameters are from"
                + " before this batch; " + checkpointFile + " keeps the last good epoch (lower the learning rate"
                + " or check the data for NaN)", e.getMessage());
        assertEquals(3, e.epoch());
        assertEquals(2, e.batch());
        Checkpoint kept = Checkpoint.load(checkpointFile, model);
        assertEquals(2, kept.epoch());
        assertArrayEquals(afterEpoch2[0], kept.parameters());
        for (float parameter : model.parameters()) {
            assertTrue(Float.isFinite(parameter), "a NaN reached the parameters");
        }
    }

    @Test
    void infiniteGradientStopsBeforeTheUpdate() throws IOException {
        TrainableModel model = new DelegatingModel(new SoftmaxRegressionModel(5, 4)) {
            @Override
            public float gradient(Workspace workspace, float[] images, int offset, int label, float[] grad) {
                grad[7] = Float.POSITIVE_INFINITY;
                return 1f;
            }
        };
        TrainingDivergedException e = assertThrows(TrainingDivergedException.class,
                () -> Trainer.builder(model).quiet().build().fit(TRAIN));
        assertTrue(e.getMessage().startsWith("training diverged at epoch 1/1, batch 1/4: gradient 7 is Infinity;"),
                e.getMessage());
    }

    @Test
    void theFirstNonFiniteGradientIsNamedInAnyBlockAndNothingIsUpdated() throws IOException {
        // 10,010 parameters: the mean gradient is summed and checked in blocks of 8,192, on two threads
        TrainableModel inner = new SoftmaxRegressionModel(1000, 10);
        TrainableModel model = new DelegatingModel(inner) {
            @Override
            public float gradient(Workspace workspace, float[] images, int offset, int label, float[] grad) {
                float loss = inner.gradient(workspace, images, offset, label, grad);
                grad[9001] = Float.NaN;
                grad[8500] = Float.NEGATIVE_INFINITY;
                return loss;
            }
        };
        Init.GLOROT_UNIFORM.apply(model, SEED);
        float[] before = model.parameters().clone();
        TrainingDivergedException e = assertThrows(TrainingDivergedException.class,
                () -> Trainer.builder(model).init(Init.KEEP).threads(2).quiet().build().fit(blobs(40, 1000, 10, 21)));
        assertTrue(e.getMessage().startsWith("training diverged at epoch 1/1, batch 1/2: gradient 8500 is -Infinity;"),
                e.getMessage());
        assertArrayEquals(before, model.parameters(), "the diverged batch changed the parameters");
    }

    @Test
    void workerFailureIsReportedWithItsCauseAndNoThreadIsLeft() throws InterruptedException {
        IllegalStateException boom = new IllegalStateException("boom in the model");
        AtomicInteger calls = new AtomicInteger();
        TrainableModel model = new DelegatingModel(new SoftmaxRegressionModel(5, 4)) {
            @Override
            public float gradient(Workspace workspace, float[] images, int offset, int label, float[] grad) {
                if (calls.incrementAndGet() == 50) {
                    throw boom;
                }
                return super.gradient(workspace, images, offset, label, grad);
            }
        };
        IllegalStateException e = assertThrows(IllegalStateException.class,
                () -> Trainer.builder(model).threads(4).epochs(3).quiet().build().fit(TRAIN));
        assertSame(boom, e.getCause());
        assertTrue(e.getMessage().matches("worker \\d \\(.+\\) failed on task \\d+ of \\d+: "
                + "java.lang.IllegalStateException: boom in the model"), e.getMessage());
        assertNoWorkerThreadSurvives();
    }

    static void assertNoWorkerThreadSurvives() throws InterruptedException {
        for (Thread thread : Thread.getAllStackTraces().keySet()) {
            if (thread.getName().startsWith("cnnc-worker-")) {
                thread.join(5000);
                assertFalse(thread.isAlive(), thread.getName() + " is still running");
            }
        }
    }

    @Test
    void dataThatDoesNotFitTheModelIsRefused() {
        Trainer trainer = Trainer.builder(new SoftmaxRegressionModel(5, 3)).quiet().build();
        assertEquals("the training set has label 3 at index 3 but SoftmaxRegression has only 3 outputs",
                assertThrows(IllegalArgumentException.class, () -> trainer.fit(TRAIN)).getMessage());
        assertEquals("the training set has images of 4 floats but SoftmaxRegression takes 5",
                assertThrows(IllegalArgumentException.class,
                        () -> trainer.fit(new Dataset(new float[8], new int[2], 4))).getMessage());
        assertEquals("the training set is empty", assertThrows(IllegalArgumentException.class,
                () -> trainer.fit(new Dataset(new float[0], new int[0], 5))).getMessage());
    }

    @Test
    void nonFiniteInputsAreRefusedBeforeAnyWork() {
        TrainableModel model = new SoftmaxRegressionModel(5, 4);
        for (float bad : new float[] {Float.NaN, Float.POSITIVE_INFINITY, Float.NEGATIVE_INFINITY}) {
            float[] images = TRAIN.images().clone();
            images[5 * 17 + 3] = bad;
            Dataset data = new Dataset(images, TRAIN.labels(), 5);
            assertEquals("the training set has " + bad + " at float 3 of image 17 (index 88); inputs must be finite",
                    assertThrows(IllegalArgumentException.class,
                            () -> Trainer.builder(model).quiet().build().fit(data)).getMessage());
            assertEquals("the validation set has " + bad + " at float 3 of image 17 (index 88); inputs must be finite",
                    assertThrows(IllegalArgumentException.class,
                            () -> Trainer.builder(model).validation(data).quiet().build().fit(TRAIN)).getMessage());
            assertEquals("the evaluation set has " + bad + " at float 3 of image 17 (index 88); inputs must be finite",
                    assertThrows(IllegalArgumentException.class, () -> Evaluation.of(model, data)).getMessage());
        }
        assertArrayEquals(new float[model.parameterCount()], model.parameters(), "refused before initialization");
    }

    @Test
    void missingCheckpointDirectoryFailsBeforeTraining() {
        File checkpoint = new File(file("missing"), "run.ckpt");
        AtomicInteger calls = new AtomicInteger();
        TrainableModel model = new DelegatingModel(new SoftmaxRegressionModel(5, 4)) {
            @Override
            public float gradient(Workspace workspace, float[] images, int offset, int label, float[] grad) {
                calls.incrementAndGet();
                return super.gradient(workspace, images, offset, label, grad);
            }
        };
        IOException e = assertThrows(IOException.class,
                () -> Trainer.builder(model).checkpointTo(checkpoint).quiet().build().fit(TRAIN));
        assertEquals("cannot write checkpoint " + checkpoint + ": directory "
                + checkpoint.getAbsoluteFile().getParentFile() + " does not exist", e.getMessage());
        assertEquals(0, calls.get());
    }

    @Test
    void badSettingsAreRefusedByName() {
        Trainer.Builder builder = Trainer.builder(new SoftmaxRegressionModel(5, 3));
        assertEquals("batchSize must be at least 1, was 0",
                assertThrows(IllegalArgumentException.class, () -> builder.batchSize(0)).getMessage());
        assertEquals("threads must be at least 1, was -2",
                assertThrows(IllegalArgumentException.class, () -> builder.threads(-2)).getMessage());
    }
}
