package dev.cnnc.runtime.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class NormalizationTest {
    @TempDir
    File dir;

    /** Two images of two channels of two pixels: channel 0 holds 0, 1, 0, 1; channel 1 holds 1, 2, 3, 4 / 4. */
    private static float[] twoImages() {
        return new float[] {
            0f, 1f, 0.25f, 0.5f,
            0f, 1f, 0.75f, 1f};
    }

    @Test
    void fitMeasuresPerChannelMeanAndPopulationStd() {
        Normalization normalization = Normalization.fit(twoImages(), 2, 2);

        assertArrayEquals(new float[] {0.5f, 0.625f}, normalization.mean());
        // channel 1: deviations -0.375, -0.125, 0.125, 0.375 → variance 0.078125
        assertArrayEquals(new float[] {0.5f, (float) Math.sqrt(0.078125)}, normalization.std());
    }

    @Test
    void applyStandardizesInPlace() {
        float[] images = twoImages();
        Normalization normalization = new Normalization(new float[] {0.5f, 0.5f}, new float[] {0.5f, 0.25f});

        normalization.apply(images, 2);

        assertArrayEquals(new float[] {-1f, 1f, -1f, 0f, -1f, 1f, 1f, 2f}, images);
    }

    @Test
    void trainingStatisticsApplyToOtherSets() {
        LabeledImages train = new LabeledImages(twoImages(), new int[] {0, 1}, 2, 1, 2, ClassNames.numbered(2));
        LabeledImages test = new LabeledImages(new float[] {0.5f, 0.5f, 0.625f, 0.625f}, new int[] {1}, 2, 1, 2,
            ClassNames.numbered(2));
        Normalization normalization = Normalization.fit(train);

        normalization.apply(test);

        assertArrayEquals(new float[] {0f, 0f, 0f, 0f}, test.images());
    }

    @Test
    void constantChannelGetsStdOne() {
        Normalization normalization = Normalization.fit(new float[] {0.25f, 0.25f, 0.25f}, 1, 3);

        assertArrayEquals(new float[] {0.25f}, normalization.mean());
        assertArrayEquals(new float[] {1f}, normalization.std());
    }

    @Test
    void textFormRoundTripsExactly() {
        Normalization normalization = new Normalization(new float[] {0.1f, 1 / 3f, 0.4914f},
            new float[] {0.2470f, 2 / 7f, 1e-3f});

        String text = normalization.toString();
        Normalization parsed = Normalization.parse(text);

        assertEquals("mean=0.1,0.33333334,0.4914 std=0.247,0.2857143,0.001", text);
        assertArrayEquals(normalization.mean(), parsed.mean());
        assertArrayEquals(normalization.std(), parsed.std());
    }

    @Test
    void parseRejectsOtherText() {
        IllegalArgumentException wrongForm = assertThrows(IllegalArgumentException.class,
            () -> Normalization.parse("mean=0.5"));
        IllegalArgumentException badNumber = assertThrows(IllegalArgumentException.class,
            () -> Normalization.parse("mean=0.5 std=x"));
        IllegalArgumentException zeroStd = assertThrows(IllegalArgumentException.class,
            () -> Normalization.parse("mean=0.5 std=0"));

        assertEquals("not a normalization \"mean=0.5\"; expected \"mean=m0,m1,... std=s0,s1,...\"", wrongForm.getMessage());
        assertEquals("not a normalization \"mean=0.5 std=x\": For input string: \"x\"", badNumber.getMessage());
        assertEquals("channel 0: mean 0.5 and std 0.0 must be finite and std positive", zeroStd.getMessage());
    }

    @Test
    void saveAndLoadRoundTripWithoutLeavingTemporaryFiles() throws Exception {
        Normalization normalization = new Normalization(new float[] {0.2860402f}, new float[] {0.3530239f});
        File file = new File(dir, "normalization.txt");

        normalization.save(file);
        normalization.save(file);
        Normalization loaded = Normalization.load(file);

        assertEquals(normalization.toString(), loaded.toString());
        assertArrayEquals(new String[] {"normalization.txt"}, dir.list());
        assertEquals("# cnnc per-channel normalization of the training set: x' = (x - mean[c]) / std[c]\n"
            + "mean=0.2860402 std=0.3530239\n", Files.readString(file.toPath()));
    }

    @Test
    void loadOfAFileWithoutNormalizationNamesTheFile() throws Exception {
        File empty = new File(dir, "empty.txt");
        Files.writeString(empty.toPath(), "# nothing\n\n");
        File wrong = new File(dir, "wrong.txt");
        Files.write(wrong.toPath(), "mean=1 std=-1\n".getBytes(StandardCharsets.UTF_8));

        DataFileException emptyError = assertThrows(DataFileException.class, () -> Normalization.load(empty));
        DataFileException wrongError = assertThrows(DataFileException.class, () -> Normalization.load(wrong));

        assertEquals(empty.getPath() + ": holds no \"mean=... std=...\" line", emptyError.getMessage());
        assertEquals(wrong.getPath() + ": channel 0: mean 1.0 and std -1.0 must be finite and std positive",
            wrongError.getMessage());
    }

    @Test
    void mismatchedImageSizesAreRejected() {
        IllegalArgumentException error = assertThrows(IllegalArgumentException.class,
            () -> Normalization.fit(new float[5], 2, 2));

        assertEquals("5 floats are not a whole, non-zero number of 2-channel images of 2 pixels", error.getMessage());
    }
}
