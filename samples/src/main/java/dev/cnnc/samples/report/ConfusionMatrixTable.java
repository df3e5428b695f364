package dev.cnnc.samples.report;

/**
 * The confusion matrix as an HTML table heat map: rows are true classes, columns predicted ones,
 * each cell shows its count and is shaded by its share of the row (the true class), blue on the
 * diagonal (correct) and red off it (mistakes, scaled up so that a 25% confusion is already deep
 * red). A last column gives each class's recall, a last row its precision.
 */
final class ConfusionMatrixTable {
    private static final int[] CORRECT_RGB = {37, 99, 235};
    private static final int[] MISTAKE_RGB = {220, 38, 38};
    /** Share of a row at which an off-diagonal cell reaches full colour. */
    private static final double MISTAKE_SATURATION = 0.25;

    private ConfusionMatrixTable() {
    }

    /**
     * @param matrix     {@code matrix[true][predicted]} counts, square
     * @param classNames one name per row
     */
    static String toHtml(int[][] matrix, String[] classNames) {
        int classes = matrix.length;
        long[] predictedTotals = new long[classes];
        long[] trueTotals = new long[classes];
        for (int t = 0; t < classes; t++) {
            for (int p = 0; p < classes; p++) {
                trueTotals[t] += matrix[t][p];
                predictedTotals[p] += matrix[t][p];
            }
        }
        StringBuilder html = new StringBuilder();
        html.append("<table class=\"confusion\">\n<thead>\n<tr><th class=\"corner\">true \u2193 / predicted \u2192</th>");
        for (int p = 0; p < classes; p++) {
            html.append("<th class=\"predicted\" scope=\"col\">").append(Html.escape(classNames[p])).append("</th>");
        }
        html.append("<th class=\"summary\" scope=\"col\">recall</th></tr>\n</thead>\n<tbody>\n");
        for (int t = 0; t < classes; t++) {
            html.append("<tr><th class=\"true\" scope=\"row\">").append(Html.escape(classNames[t])).append("</th>");
            for (int p = 0; p < classes; p++) {
                int count = matrix[t][p];
                double share = trueTotals[t] == 0 ? 0 : (double) count / trueTotals[t];
                double intensity = t == p ? share : Math.min(1, share / MISTAKE_SATURATION);
                int[] rgb = t == p ? CORRECT_RGB : MISTAKE_RGB;
                html.append("<td style=\"background:").append(tint(rgb, intensity)).append(";color:")
                    .append(intensity > 0.55 ? "#ffffff" : count == 0 ? "#c4c9d2" : "#1f2937").append("\" title=\"")
                    .append(Html.escape(classNames[t])).append(" predicted as ").append(Html.escape(classNames[p]))
                    .append(": ").append(count).append(" (").append(Html.fixed(100 * share, 1)).append("% of ")
                    .append(Html.escape(classNames[t])).append(")\">").append(count).append("</td>");
            }
            html.append("<td class=\"summary\">").append(percent(matrix[t][t], trueTotals[t])).append("</td></tr>\n");
        }
        html.append("<tr class=\"summary\"><th scope=\"row\">precision</th>");
        for (int p = 0; p < classes; p++) {
            html.append("<td class=\"summary\">").append(percent(matrix[p][p], predictedTotals[p])).append("</td>");
        }
        html.append("<td class=\"summary\"></td></tr>\n</tbody>\n</table>");
        return html.toString();
    }

    private static String percent(long part, long whole) {
        return whole == 0 ? "\u2013" : Html.fixed(100.0 * part / whole, 1) + "%";
    }

    /** The colour {@code rgb} mixed with white: {@code intensity} 0 is white, 1 is the full colour. */
    private static String tint(int[] rgb, double intensity) {
        double a = Math.max(0, Math.min(1, intensity));
        int red = (int) Math.round(255 + (rgb[0] - 255) * a);
        int green = (int) Math.round(255 + (rgb[1] - 255) * a);
        int blue = (int) Math.round(255 + (rgb[2] - 255) * a);
        return String.format("#%02x%02x%02x", red, green, blue);
    }
}
