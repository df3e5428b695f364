package dev.cnnc.samples.interchange;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.cnnc.samples.interchange.PredictionComparison.Disagreement;
import java.util.List;
import org.junit.jupiter.api.Test;

class PredictionComparisonTest {
    private static final String DIGEST = "ab".repeat(32);

    /** Predictions whose scores prefer {@code classes[i]} by {@code margins[i]} over the next class. */
    private static Predictions predictions(int[] classes, float[] margins, String digest) {
        float[][] scores = new float[classes.length][3];
        for (int i = 0; i < classes.length; i++) {
            scores[i][classes[i]] = 0f;
            scores[i][(classes[i] + 1) % 3] = -margins[i];
            scores[i][(classes[i] + 2) % 3] = -5f;
        }
        return new Predictions("test", digest, classes, scores);
    }

    @Test
    void countsAgreementAndListsDisagreementsWithBothMargins() {
        Predictions cnnc = predictions(new int[] {0, 1, 2, 1}, new float[] {1f, 2f, 0.25f, 3f}, DIGEST);
        Predictions torch = predictions(new int[] {0, 1, 0, 1}, new float[] {1f, 2f, 0.5f, 3f}, DIGEST);
        PredictionComparison comparison = PredictionComparison.compare("cnnc", cnnc, "PyTorch", torch,
                new int[] {0, 2, 0, 1});

        assertEquals(4, comparison.count());
        assertEquals(3, comparison.same());
        assertEquals(0.75, comparison.agreement());
        assertEquals("3 / 4 = 75.00%", comparison.agreementText());
        assertEquals(2, comparison.correctA(), "cnnc right on images 0 and 3");
        assertEquals(3, comparison.correctB(), "PyTorch right on images 0, 2 and 3");
        // image 2: cnnc scores class 2 at 0, class 0 at -0.25 -> margin 0.25; PyTorch: class 0 at 0, class 2 at -5.
        assertEquals(List.of(new Disagreement(2, 0, 2, 0, 0.25, 5.0)), comparison.disagreements());
        // image 2 differs most: class 2 is 0 (cnnc) vs -5 (PyTorch)
        assertEquals(5.0, comparison.maxScoreDifference());

        // agreeing images 0, 1, 3 have margins 1, 2, 3 on both sides
        assertEquals(0, comparison.closestCall());
        assertEquals(1.0, comparison.closestMarginA());
        assertEquals(1.0, comparison.closestMarginB());

        String report = comparison.format(new String[] {"zero", "one", "two"});
        assertTrue(report.contains("same predicted class (cnnc vs PyTorch): 3 / 4 = 75.00%"), report);
        assertTrue(report.contains("test accuracy: cnnc 50.00%, PyTorch 75.00%"), report);
        assertTrue(report.contains("closest agreeing call: image 0, margin over the runner-up cnnc 1.00, PyTorch 1.00"),
                report);
        assertTrue(report.contains("image 2 (label 0 zero): cnnc says 2 two by 0.250, PyTorch says 0 zero by 5.00"), report);
    }

    @Test
    void agreementTextCutsRatherThanRounds() {
        int[] classes = new int[10_000];
        int[] other = classes.clone();
        other[17] = 1;
        float[] margins = new float[10_000];
        java.util.Arrays.fill(margins, 1f);
        PredictionComparison almost = PredictionComparison.compare("a", predictions(classes, margins, DIGEST), "b",
                predictions(other, margins, DIGEST), null);
        assertEquals("9,999 / 10,000 = 99.99%", almost.agreementText());
        assertEquals(-1, almost.correctA(), "no labels, no accuracy");

        int[] many = new int[100_000];
        int[] manyOther = many.clone();
        manyOther[5] = 2;
        float[] manyMargins = new float[100_000];
        java.util.Arrays.fill(manyMargins, 1f);
        PredictionComparison nearly = PredictionComparison.compare("a", predictions(many, manyMargins, DIGEST), "b",
                predictions(manyOther, manyMargins, DIGEST), null);
        assertEquals("99,999 / 100,000 = 99.99%", nearly.agreementText(), "not rounded up to 100.00%");
    }

    @Test
    void differentInputsAreRefused() {
        Predictions a = predictions(new int[] {0}, new float[] {1f}, DIGEST);
        Predictions b = predictions(new int[] {0}, new float[] {1f}, "cd".repeat(32));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> PredictionComparison.compare("cnnc", a, "PyTorch", b, null));
        assertTrue(e.getMessage().contains("different inputs"), e.getMessage());
    }

    @Test
    void differentCountsAreRefused() {
        Predictions a = predictions(new int[] {0, 1}, new float[] {1f, 1f}, DIGEST);
        Predictions b = predictions(new int[] {0}, new float[] {1f}, DIGEST);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> PredictionComparison.compare("cnnc", a, "PyTorch", b, null));
        assertTrue(e.getMessage().contains("cnnc has 2 images"), e.getMessage());
    }

    @Test
    void underflowedProbabilitiesDoNotCountAsDifferences() {
        Predictions a = Predictions.fromProbabilities("cnnc", DIGEST, new float[][] {{1f, 0f, 0f}});
        Predictions b = new Predictions("torch", DIGEST, new int[] {0}, new float[][] {{0f, -120f, -130f}});
        PredictionComparison comparison = PredictionComparison.compare("cnnc", a, "PyTorch", b, null);
        assertEquals(1, comparison.same());
        assertEquals(0.0, comparison.maxScoreDifference());
    }
}
