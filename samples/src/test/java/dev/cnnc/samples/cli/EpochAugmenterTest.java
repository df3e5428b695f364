package dev.cnnc.samples.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import dev.cnnc.runtime.data.Augmentation;
import dev.cnnc.runtime.data.LabeledImages;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

/** Each epoch trains on its own reproducible draw of flips and crops of the untouched images. */
class EpochAugmenterTest {
    private static final int COUNT = 16;
    private static final int SIZE = 3 * 8 * 8;

    private static LabeledImages images() {
        float[] pixels = new float[COUNT * SIZE];
        for (int i = 0; i < pixels.length; i++) {
            pixels[i] = (i * 37 % 101) / 100f;
        }
        int[] labels = new int[COUNT];
        return new LabeledImages(pixels, labels, 3, 8, 8, new String[] {"only"});
    }

    @Test
    void everyEpochIsAFreshDrawFromTheOriginalImages() {
        LabeledImages train = images();
        float[] original = train.images().clone();
        EpochAugmenter augmenter = new EpochAugmenter(train, 7);
        float[] epoch0 = train.images().clone();
        assertFalse(Arrays.equals(original, epoch0), "epoch 0 must be augmented");

        augmenter.epochEnded(1, null);
        float[] epoch1 = train.images().clone();
        assertFalse(Arrays.equals(epoch0, epoch1), "epoch 1 must be a new draw");

        // Each image of epoch 1 is the original transformed, not a transform of epoch 0's copy.
        float[] expected = new float[SIZE];
        for (int i = 0; i < COUNT; i++) {
            boolean found = false;
            for (int flip = 0; flip < 2 && !found; flip++) {
                for (int y = 0; y <= 2 * EpochAugmenter.PADDING && !found; y++) {
                    for (int x = 0; x <= 2 * EpochAugmenter.PADDING && !found; x++) {
                        Augmentation.transform(original, i * SIZE, 3, 8, 8, EpochAugmenter.PADDING,
                            new Augmentation.Choice(flip == 1, y, x), expected, 0);
                        found = Arrays.equals(expected, Arrays.copyOfRange(epoch1, i * SIZE, (i + 1) * SIZE));
                    }
                }
            }
            assertEquals(true, found, "image " + i + " of epoch 1 is no flip/crop of the original");
        }
    }

    @Test
    void theSameSeedGivesTheSameDraws() {
        LabeledImages first = images();
        LabeledImages second = images();
        new EpochAugmenter(first, 11).epochEnded(3, null);
        new EpochAugmenter(second, 11).epochEnded(3, null);
        assertArrayEquals(first.images(), second.images());
    }
}
