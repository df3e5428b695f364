package dev.cnnc.samples.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.File;
import org.junit.jupiter.api.Test;

/**
 * The main job's data on the real Fashion-MNIST, when Debian's {@code dataset-fashion-mnist} is
 * installed (skipped otherwise): the splits, and the normalization measured on the train part.
 */
class RealFashionMnistTest {
    private static final File DEFAULT = new File("/usr/share/datasets/fashion-mnist");

    @Test
    void theMainJobsSplitsOfTheRealData() throws Exception {
        assumeTrue(DataSetChoice.FASHION_MNIST.looksPresent(DEFAULT), "Fashion-MNIST is not installed in " + DEFAULT);
        File directory = DataSetChoice.FASHION_MNIST.resolveDirectory(null);
        DataSplits splits = DataSplits.read(DataSetChoice.FASHION_MNIST, directory, null, 5000);
        assertEquals(55_000, splits.train.count());
        assertEquals(5_000, splits.validation.count());
        assertEquals(10_000, splits.test.count());
        // Zalando's published pixel mean of the training images is 0.2860 (std 0.3530); 55,000 of them are close.
        float mean = splits.normalization.mean()[0];
        float std = splits.normalization.std()[0];
        assertTrue(Math.abs(mean - 0.286f) < 0.003f, "mean " + mean);
        assertTrue(Math.abs(std - 0.353f) < 0.003f, "std " + std);
        // The raw copy keeps the pixels as read; the model's copy is standardized.
        assertEquals(splits.rawTest.images()[500] - mean, splits.test.images()[500] * std, 1e-5f);
    }
}
