package dev.cnnc.runtime.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class AugmentationTest {
    /** One channel, 2 rows, 3 columns: 1 2 3 / 4 5 6. */
    private static final float[] IMAGE = {1, 2, 3, 4, 5, 6};

    private static float[] transform(float[] image, int channels, int padding, Augmentation.Choice choice) {
        float[] out = new float[image.length];
        Augmentation.transform(image, 0, channels, 2, 3, padding, choice, out, 0);
        return out;
    }

    @Test
    void flipMirrorsEachRow() {
        assertArrayEquals(new float[] {3, 2, 1, 6, 5, 4}, transform(IMAGE, 1, 0, new Augmentation.Choice(true, 0, 0)));
    }

    @Test
    void centreCropIsTheImageItself() {
        assertArrayEquals(IMAGE, transform(IMAGE, 1, 1, new Augmentation.Choice(false, 1, 1)));
    }

    @Test
    void cropAtTopLeftShiftsTheImageDownRight() {
        assertArrayEquals(new float[] {0, 0, 0, 0, 1, 2}, transform(IMAGE, 1, 1, new Augmentation.Choice(false, 0, 0)));
    }

    @Test
    void cropAtBottomRightShiftsTheImageUpLeft() {
        assertArrayEquals(new float[] {5, 6, 0, 0, 0, 0}, transform(IMAGE, 1, 1, new Augmentation.Choice(false, 2, 2)));
    }

    @Test
    void cropIsTakenBeforeTheFlip() {
        // crop at (1, 0): rows unchanged, columns shifted right: 0 1 2 / 0 4 5; then mirrored.
        assertArrayEquals(new float[] {2, 1, 0, 5, 4, 0}, transform(IMAGE, 1, 1, new Augmentation.Choice(true, 1, 0)));
    }

    @Test
    void everyChannelGetsTheSameTransformation() {
        float[] twoChannels = {1, 2, 3, 4, 5, 6, 10, 20, 30, 40, 50, 60};

        // crop at (1, 2): columns shifted left: 2 3 0 / 5 6 0; then mirrored.
        assertArrayEquals(new float[] {0, 3, 2, 0, 6, 5, 0, 30, 20, 0, 60, 50},
            transform(twoChannels, 2, 1, new Augmentation.Choice(true, 1, 2)));
    }

    @Test
    void applyWritesAtTheGivenOffsetsAndMatchesItsChoice() {
        Augmentation augmentation = new Augmentation(42, 1, 2, 3, true, 1);
        float[] source = new float[12];
        System.arraycopy(IMAGE, 0, source, 6, 6);
        float[] destination = new float[8];

        augmentation.apply(source, 6, 3, 17, destination, 1);

        float[] expected = transform(IMAGE, 1, 1, augmentation.choose(3, 17));
        float[] written = new float[6];
        System.arraycopy(destination, 1, written, 0, 6);
        assertArrayEquals(expected, written);
        assertEquals(0f, destination[0]);
        assertEquals(0f, destination[7]);
    }

    @Test
    void drawsAreDeterministicPerSeedEpochAndIndex() {
        Augmentation first = new Augmentation(0, 3, 32, 32, true, 4);
        Augmentation second = new Augmentation(0, 3, 32, 32, true, 4);
        Augmentation otherSeed = new Augmentation(1, 3, 32, 32, true, 4);

        StringBuilder a = new StringBuilder();
        StringBuilder b = new StringBuilder();
        StringBuilder c = new StringBuilder();
        StringBuilder nextEpoch = new StringBuilder();
        for (int index = 99; index >= 0; index--) {
            a.append(first.choose(0, index)).append('\n');
        }
        for (int index = 99; index >= 0; index--) {
            b.append(second.choose(0, index)).append('\n');
            c.append(otherSeed.choose(0, index)).append('\n');
            nextEpoch.append(first.choose(1, index)).append('\n');
        }
        assertEquals(a.toString(), b.toString());
        assertNotEquals(a.toString(), c.toString());
        assertNotEquals(a.toString(), nextEpoch.toString());
    }

    @Test
    void seedZeroFlipsAboutHalfAndUsesEveryOffset() {
        Augmentation augmentation = new Augmentation(0, 1, 28, 28, true, 2);
        int flips = 0;
        int[] offsetCounts = new int[5];
        for (int index = 0; index < 2000; index++) {
            Augmentation.Choice choice = augmentation.choose(0, index);
            flips += choice.flip() ? 1 : 0;
            offsetCounts[choice.offsetY()]++;
            offsetCounts[choice.offsetX()]++;
        }
        assertTrue(flips > 900 && flips < 1100, "flips of 2000: " + flips);
        for (int offset = 0; offset < 5; offset++) {
            assertTrue(offsetCounts[offset] > 700 && offsetCounts[offset] < 900,
                "offset " + offset + " drawn " + offsetCounts[offset] + " times of 4000");
        }
    }

    @Test
    void disabledAugmentationIsACopy() {
        Augmentation none = new Augmentation(5, 1, 2, 3, false, 0);
        float[] out = new float[6];

        none.apply(IMAGE, 0, 0, 7, out, 0);

        assertArrayEquals(IMAGE, out);
        assertEquals("crop at (0, 0)", none.choose(0, 7).toString());
    }

    @Test
    void transformRefusesArraysTooShortForTheImage() {
        Augmentation.Choice identity = new Augmentation.Choice(false, 0, 0);
        assertEquals("source holds 11 floats, too few for an image of 12 at offset 0",
            assertThrows(IllegalArgumentException.class,
                () -> Augmentation.transform(new float[11], 0, 3, 2, 2, 0, identity, new float[12], 0)).getMessage());
        assertEquals("destination holds 12 floats, too few for an image of 12 at offset 1",
            assertThrows(IllegalArgumentException.class,
                () -> Augmentation.transform(new float[12], 0, 3, 2, 2, 0, identity, new float[12], 1)).getMessage());
        assertEquals("need positive channels, height, width and padding >= 0, got 3x2x2, padding -1",
            assertThrows(IllegalArgumentException.class,
                () -> Augmentation.transform(new float[12], 0, 3, 2, 2, -1, identity, new float[12], 0)).getMessage());
    }
}
