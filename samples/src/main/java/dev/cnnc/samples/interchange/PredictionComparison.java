package dev.cnnc.samples.interchange;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * How far two sides' predictions on the same images agree: the count of images given the same
 * class, every image where they differ (with each side's margin for its own choice), the largest
 * score difference, and each side's accuracy when labels are known.
 *
 * @param nameA          what produced {@code a} (e.g. "cnnc")
 * @param nameB          what produced {@code b} (e.g. "PyTorch")
 * @param count          images compared
 * @param same           images where both predicted the same class
 * @param disagreements  the others, in image order
 * @param maxScoreDifference largest |a score - b score| over all images and classes where both are
 *                       finite (a probability that underflows to 0 has score -infinity)
 * @param correctA       images where {@code a} predicted the label, or -1 without labels
 * @param correctB       likewise for {@code b}
 * @param closestCall    the image on which both agree with the smallest margin over the runner-up
 *                       (the smaller of the two sides' margins), -1 if they agree on none; when
 *                       its margin is far above {@code maxScoreDifference}, rounding could not
 *                       have flipped any agreeing image
 * @param closestMarginA {@code a}'s margin of its class over its second class on that image
 * @param closestMarginB likewise for {@code b}
 */
public record PredictionComparison(String nameA, String nameB, int count, int same, List<Disagreement> disagreements,
        double maxScoreDifference, int correctA, int correctB, int closestCall, double closestMarginA,
        double closestMarginB) {

    /**
     * One image the two sides classify differently. {@code marginA} is how far {@code a} prefers
     * its class over {@code b}'s ({@code scoreA[classA] - scoreA[classB]}, a logit difference, >= 0);
     * {@code marginB} likewise for {@code b}. Tiny margins on both sides mean a near tie that float
     * rounding decided, not a wrong weight.
     */
    public record Disagreement(int index, int label, int classA, int classB, double marginA, double marginB) {}

    /**
     * Compares predictions on the same inputs.
     *
     * @param labels the true class of each image, or {@code null}
     * @throws IllegalArgumentException if the two were made from different inputs (their
     *     {@code inputs-sha256} differ), or their image or class counts differ, or the labels do not fit
     */
    public static PredictionComparison compare(String nameA, Predictions a, String nameB, Predictions b, int[] labels) {
        if (!a.inputsSha256().equals(b.inputsSha256())) {
            throw new IllegalArgumentException(nameA + " and " + nameB + " saw different inputs (inputs-sha256 "
                    + a.inputsSha256() + " vs " + b.inputsSha256()
                    + "): they read different files or preprocessed them differently");
        }
        if (a.count() != b.count() || a.classCount() != b.classCount()) {
            throw new IllegalArgumentException(nameA + " has " + a.count() + " images x " + a.classCount() + " classes, "
                    + nameB + " has " + b.count() + " x " + b.classCount());
        }
        if (labels != null && labels.length != a.count()) {
            throw new IllegalArgumentException(labels.length + " labels for " + a.count() + " images");
        }
        int same = 0;
        int correctA = labels == null ? -1 : 0;
        int correctB = labels == null ? -1 : 0;
        double maxDifference = 0;
        int closestCall = -1;
        double closestMarginA = Double.NaN;
        double closestMarginB = Double.NaN;
        List<Disagreement> disagreements = new ArrayList<>();
        for (int i = 0; i < a.count(); i++) {
            int classA = a.predicted()[i];
            int classB = b.predicted()[i];
            float[] scoresA = a.scores()[i];
            float[] scoresB = b.scores()[i];
            for (int c = 0; c < scoresA.length; c++) {
                if (Float.isFinite(scoresA[c]) && Float.isFinite(scoresB[c])) {
                    maxDifference = Math.max(maxDifference, Math.abs((double) scoresA[c] - scoresB[c]));
                }
            }
            if (labels != null) {
                correctA += classA == labels[i] ? 1 : 0;
                correctB += classB == labels[i] ? 1 : 0;
            }
            if (classA == classB) {
                same++;
                double marginA = runnerUpMargin(scoresA, classA);
                double marginB = runnerUpMargin(scoresB, classB);
                if (closestCall < 0 || Math.min(marginA, marginB) < Math.min(closestMarginA, closestMarginB)) {
                    closestCall = i;
                    closestMarginA = marginA;
                    closestMarginB = marginB;
                }
            } else {
                disagreements.add(new Disagreement(i, labels == null ? -1 : labels[i], classA, classB,
                        (double) scoresA[classA] - scoresA[classB], (double) scoresB[classB] - scoresB[classA]));
            }
        }
        return new PredictionComparison(nameA, nameB, a.count(), same, List.copyOf(disagreements), maxDifference,
                correctA, correctB, closestCall, closestMarginA, closestMarginB);
    }

    /** How far the chosen class's score lies above the best other class's. */
    private static double runnerUpMargin(float[] scores, int chosen) {
        double runnerUp = Double.NEGATIVE_INFINITY;
        for (int c = 0; c < scores.length; c++) {
            if (c != chosen) {
                runnerUp = Math.max(runnerUp, scores[c]);
            }
        }
        return scores[chosen] - runnerUp;
    }

    /** Fraction of images with the same predicted class. */
    public double agreement() {
        return count == 0 ? 1 : (double) same / count;
    }

    /**
     * "9,998 / 10,000 = 99.98%": the percentage is cut, not rounded, to two decimals, so 100.00%
     * means that every image agrees.
     */
    public String agreementText() {
        long hundredths = count == 0 ? 10_000 : (long) same * 10_000 / count;
        return String.format(Locale.ROOT, "%,d / %,d = %d.%02d%%", same, count, hundredths / 100, hundredths % 100);
    }

    /** The report: agreement, accuracies, the largest score difference and every disagreement. */
    public String format(String[] classNames) {
        StringBuilder text = new StringBuilder();
        text.append("same predicted class (").append(nameA).append(" vs ").append(nameB).append("): ")
                .append(agreementText()).append('\n');
        if (correctA >= 0) {
            text.append(String.format(Locale.ROOT, "test accuracy: %s %.2f%%, %s %.2f%%%n", nameA,
                    100.0 * correctA / count, nameB, 100.0 * correctB / count));
        }
        text.append(String.format(Locale.ROOT, "largest |log-softmax difference|: %.3g%n", maxScoreDifference));
        if (closestCall >= 0) {
            text.append(String.format(Locale.ROOT,
                    "closest agreeing call: image %d, margin over the runner-up %s %.3g, %s %.3g%n",
                    closestCall, nameA, closestMarginA, nameB, closestMarginB));
        }
        for (Disagreement d : disagreements) {
            text.append(String.format(Locale.ROOT, "  image %d%s: %s says %s by %.3g, %s says %s by %.3g (logit margins)%n",
                    d.index(), d.label() < 0 ? "" : " (label " + name(classNames, d.label()) + ")",
                    nameA, name(classNames, d.classA()), d.marginA(), nameB, name(classNames, d.classB()), d.marginB()));
        }
        return text.toString();
    }

    private static String name(String[] classNames, int label) {
        return classNames == null || label >= classNames.length ? Integer.toString(label)
                : label + " " + classNames[label];
    }
}
