package dev.cnnc.samples.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.File;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The CIFAR-10 main job on small batch files in the official binary format, written by the test. */
class CifarPipelineTest {
    @TempDir
    File dir;

    @Test
    void trainsTheLecturesLeNetWithAugmentationAndEvaluatesIt() throws Exception {
        File data = TinyDataSets.cifar10(new File(dir, "cifar-10-batches-bin"), 12, 20);
        File out = new File(dir, "run");
        // The parent directory is accepted too: the reader finds cifar-10-batches-bin inside it.
        CliRun training = CliRun.of("--dataset", "cifar10", "--data", dir.getPath(), "--out", out.getPath(),
            "--epochs", "2", "--augment", "--validation", "6", "--show", "2");
        assertEquals(0, training.status(), training.transcript());
        assertTrue(training.out().contains("training cifar-lenet on CIFAR-10"), training.transcript());
        assertTrue(training.out().contains("54 train + 6 validation + 20 test images"), training.transcript());
        assertTrue(training.out().contains("flips and 4-pixel crops"), training.transcript());
        assertTrue(new File(out, "cifar-lenet.weights").isFile());
        assertTrue(new File(out, "cifar-lenet-report.html").isFile());
        assertEquals(2, new File(out, "cifar-lenet-test-images").list().length);

        CliRun evaluation = CliRun.of("evaluate", "--network", "cifar-lenet", "--data", data.getPath(), "--out",
            out.getPath());
        assertEquals(0, evaluation.status(), evaluation.transcript());
        assertTrue(evaluation.out().contains("/20)"), evaluation.transcript());
    }

    @Test
    void theLargerCifarNetworkTrainsOneEpoch() throws Exception {
        File data = TinyDataSets.cifar10(new File(dir, "batches"), 4, 10);
        CliRun training = CliRun.of("train", "--network", "cifar-cnn3", "--data", data.getPath(), "--out",
            new File(dir, "run").getPath(), "--epochs", "1", "--validation", "0", "--show", "0");
        assertEquals(0, training.status(), training.transcript());
        assertTrue(new File(dir, "run/cifar-cnn3-report.html").isFile());
    }
}
