package dev.cnnc.runtime.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.File;
import java.util.Arrays;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Reads the real Fashion-MNIST when it is installed (Debian package {@code dataset-fashion-mnist},
 * or a directory named by the {@code cnnc.fashionMnist} system property); skipped otherwise.
 */
class FashionMnistFilesTest {
    private static File directory;

    @BeforeAll
    static void locate() {
        directory = new File(System.getProperty("cnnc.fashionMnist", "/usr/share/datasets/fashion-mnist"));
    }

    private static LabeledImages read(String split) throws Exception {
        assumeTrue(new File(directory, split + "-labels-idx1-ubyte.gz").isFile()
            || new File(directory, split + "-labels-idx1-ubyte").isFile(), "Fashion-MNIST not installed in " + directory);
        return IdxReader.readSplit(directory, split, ClassNames.fashionMnist());
    }

    @Test
    void trainingSetHas60000BalancedImagesOf28x28() throws Exception {
        LabeledImages train = read("train");

        assertEquals("60000 images of 1x28x28, 10 classes", train.toString());
        assertArrayEquals(new int[] {9, 0, 0, 3, 0, 2, 7, 2, 5, 5}, Arrays.copyOf(train.labels(), 10));
        int[] sixThousandEach = new int[10];
        Arrays.fill(sixThousandEach, 6000);
        assertArrayEquals(sixThousandEach, train.classCounts());
        assertPixelRangeIsZeroToOne(train);
        float firstImageSum = 0;
        for (float value : train.image(0)) {
            firstImageSum += value * 255f;
        }
        assertEquals(76247, Math.round(firstImageSum), "sum of the bytes of the first training image");
    }

    @Test
    void testSetHas10000Images() throws Exception {
        LabeledImages test = read("t10k");

        assertEquals("10000 images of 1x28x28, 10 classes", test.toString());
        assertArrayEquals(new int[] {9, 2, 1, 1, 6, 1, 4, 6, 5, 7}, Arrays.copyOf(test.labels(), 10));
        assertEquals("Ankle boot", test.className(test.label(0)));
        assertPixelRangeIsZeroToOne(test);
    }

    private static void assertPixelRangeIsZeroToOne(LabeledImages set) {
        float min = Float.MAX_VALUE;
        float max = -Float.MAX_VALUE;
        for (float value : set.images()) {
            min = Math.min(min, value);
            max = Math.max(max, value);
        }
        assertEquals(0f, min);
        assertEquals(1f, max);
    }
}
