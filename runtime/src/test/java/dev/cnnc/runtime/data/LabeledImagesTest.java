package dev.cnnc.runtime.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

class LabeledImagesTest {
    private static LabeledImages threeImages() {
        float[] images = {0, 1, 2, 3, 10, 11, 12, 13, 20, 21, 22, 23};
        return new LabeledImages(images, new int[] {2, 0, 2}, 1, 2, 2, new String[] {"a", "b", "c"});
    }

    @Test
    void subsetCopiesImagesAndLabels() {
        LabeledImages set = threeImages();

        LabeledImages tail = set.subset(1, 3);
        tail.images()[0] = -1;

        assertArrayEquals(new float[] {-1, 11, 12, 13, 20, 21, 22, 23}, tail.images());
        assertArrayEquals(new int[] {0, 2}, tail.labels());
        assertEquals(10f, set.images()[4], "the original is unchanged");
        assertArrayEquals(new int[] {1, 0, 2}, set.classCounts());
    }

    @Test
    void sizesAndLabelsAreChecked() {
        IllegalArgumentException size = assertThrows(IllegalArgumentException.class,
            () -> new LabeledImages(new float[7], new int[2], 1, 2, 2, new String[] {"a"}));
        IllegalArgumentException label = assertThrows(IllegalArgumentException.class,
            () -> new LabeledImages(new float[4], new int[] {3}, 1, 2, 2, new String[] {"a", "b"}));

        assertEquals("images has 7 floats, expected 8 (2 labels x 1x2x2)", size.getMessage());
        assertEquals("label of image 0 is 3, not in [0, 2)", label.getMessage());
    }
}
