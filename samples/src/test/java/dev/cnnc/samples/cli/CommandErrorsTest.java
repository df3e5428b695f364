package dev.cnnc.samples.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.File;
import java.io.RandomAccessFile;
import java.nio.file.Files;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Bad input gives one clear message naming the file or option, a non-zero exit status and no output files. */
class CommandErrorsTest {
    @TempDir
    File dir;

    @Test
    void aMissingDataDirectoryNamesItAndTheDownloadAddress() {
        File missing = new File(dir, "nowhere");
        File out = new File(dir, "run");
        CliRun run = CliRun.of("--data", missing.getPath(), "--out", out.getPath());
        assertEquals(1, run.status(), run.transcript());
        assertTrue(run.err().startsWith("cnnc: " + missing.getPath() + ": no such directory"), run.transcript());
        assertTrue(run.err().contains("https://github.com/zalandoresearch/fashion-mnist"), run.transcript());
        assertFalse(out.exists(), "nothing may be written when the data is missing");
    }

    @Test
    void aDirectoryWithoutTheFilesSaysSo() throws Exception {
        File empty = new File(dir, "empty");
        Files.createDirectories(empty.toPath());
        CliRun run = CliRun.of("train", "--data", empty.getPath(), "--out", new File(dir, "run").getPath());
        assertEquals(1, run.status(), run.transcript());
        assertTrue(run.err().contains(empty.getPath() + ": no Fashion-MNIST files in this directory"), run.transcript());
    }

    @Test
    void cifar10WithoutDataAsksForTheDirectoryAndTheArchive() {
        CliRun run = CliRun.of("--dataset", "cifar10", "--out", new File(dir, "run").getPath());
        assertEquals(1, run.status(), run.transcript());
        assertTrue(run.err().contains("--data DIR is required for cifar10"), run.transcript());
        assertTrue(run.err().contains("https://www.cs.toronto.edu/~kriz/cifar-10-binary.tar.gz"), run.transcript());
    }

    @Test
    void aTruncatedImagesFileIsNamedWithTheByteOffset() throws Exception {
        File data = TinyDataSets.fashionMnist(new File(dir, "data"), 20, 10);
        File images = new File(data, "train-images-idx3-ubyte");
        byte[] header = TinyDataSets.header(0x00000803, 20, 28, 28);
        Files.write(images.toPath(), header); // raw, header only: the pixels are missing
        Files.delete(new File(data, "train-images-idx3-ubyte.gz").toPath());
        File out = new File(dir, "run");
        CliRun run = CliRun.of("--data", data.getPath(), "--out", out.getPath());
        assertEquals(1, run.status(), run.transcript());
        assertTrue(run.err().contains(images.getPath()), run.transcript());
        assertTrue(run.err().contains(", byte 16"), run.transcript());
        assertFalse(new File(out, "fashion-lenet.weights").exists());
    }

    @Test
    void unknownOptionsAndValuesExitWithTwoAndTheUsage() {
        CliRun badNumber = CliRun.of("train", "--epochs", "many");
        assertEquals(2, badNumber.status(), badNumber.transcript());
        assertTrue(badNumber.err().contains("'many' is not an int"), badNumber.transcript());
        CliRun badNetwork = CliRun.of("summary", "--network", "alexnet");
        assertEquals(2, badNetwork.status(), badNetwork.transcript());
        assertTrue(badNetwork.err().contains("unknown network 'alexnet'; choose one of fashion-lenet, fashion-cnn3, "
            + "cifar-lenet, cifar-cnn3"), badNetwork.transcript());
        CliRun unknown = CliRun.of("--colour");
        assertEquals(2, unknown.status(), unknown.transcript());
        assertTrue(unknown.err().contains("Unknown option: '--colour'"), unknown.transcript());
    }

    @Test
    void outOfRangeNumbersAreRefusedBeforeReadingData() {
        CliRun run = CliRun.of("train", "--epochs", "0", "--data", new File(dir, "none").getPath());
        assertEquals(1, run.status(), run.transcript());
        assertTrue(run.err().contains("--epochs must be at least 1, was 0"), run.transcript());
        CliRun schedule = CliRun.of("train", "--schedule", "linear", "--data", new File(dir, "none").getPath());
        assertEquals(1, schedule.status(), schedule.transcript());
        assertTrue(schedule.err().contains("--schedule must be cosine or constant, was 'linear'"), schedule.transcript());
    }

    @Test
    void aNetworkOfTheOtherDataSetIsRefused() {
        CliRun run = CliRun.of("train", "--network", "cifar-lenet", "--dataset", "fashion-mnist");
        assertEquals(1, run.status(), run.transcript());
        assertTrue(run.err().contains("--network cifar-lenet takes CIFAR-10 images, not Fashion-MNIST"),
            run.transcript());
    }

    @Test
    void evaluateAndPredictWithoutWeightsSayTrainFirst() throws Exception {
        File out = new File(dir, "run");
        CliRun evaluate = CliRun.of("evaluate", "--out", out.getPath());
        assertEquals(1, evaluate.status(), evaluate.transcript());
        assertTrue(evaluate.err().contains(new File(out, "fashion-lenet.weights").getPath() + ": no such weights file; "
            + "train first"), evaluate.transcript());
        File image = new File(dir, "x.png");
        Files.write(image.toPath(), new byte[] {1, 2, 3});
        CliRun predict = CliRun.of("predict", "--network", "cifar-lenet", "--out", out.getPath(), image.getPath());
        assertEquals(1, predict.status(), predict.transcript());
        assertTrue(predict.err().contains("cifar-lenet.weights: no such weights file"), predict.transcript());
    }

    @Test
    void aCorruptWeightsFileIsNamed() throws Exception {
        File out = new File(dir, "run");
        Files.createDirectories(out.toPath());
        File weights = new File(out, "fashion-lenet.weights");
        try (RandomAccessFile file = new RandomAccessFile(weights, "rw")) {
            file.write(new byte[100]);
        }
        Files.writeString(new File(out, "fashion-lenet.normalization").toPath(), "mean=0.5 std=0.25\n");
        CliRun run = CliRun.of("evaluate", "--out", out.getPath(), "--data", new File(dir, "none").getPath());
        assertEquals(1, run.status(), run.transcript());
        assertTrue(run.err().startsWith("cnnc evaluate: "), run.transcript());
        assertTrue(run.err().contains(weights.getPath()), run.transcript());
    }

    @Test
    void predictNamesAFileThatIsNotAnImage() throws Exception {
        File data = TinyDataSets.fashionMnist(new File(dir, "data"), 30, 10);
        File out = new File(dir, "run");
        CliRun training = CliRun.of("train", "--data", data.getPath(), "--out", out.getPath(), "--epochs", "1",
            "--show", "0", "--validation", "0");
        assertEquals(0, training.status(), training.transcript());
        File notImage = new File(dir, "notes.png");
        Files.writeString(notImage.toPath(), "not a picture");
        CliRun run = CliRun.of("predict", "--out", out.getPath(), notImage.getPath());
        assertEquals(1, run.status(), run.transcript());
        assertTrue(run.err().contains(notImage.getPath() + ": not an image"), run.transcript());
    }
}
