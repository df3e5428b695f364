package dev.cnnc.samples.report;

import java.util.ArrayList;
import java.util.List;

/**
 * An inline SVG line chart of per-epoch values: x is the epoch (1, 2, ...), one line per series,
 * "nice" y ticks (1, 2, 2.5 or 5 times a power of ten), grid lines, axis titles and a legend.
 * NaN values are gaps. Written as a string of well-formed SVG.
 */
final class SvgLineChart {
    private static final int WIDTH = 560;
    private static final int HEIGHT = 320;
    private static final int LEFT = 64;
    private static final int RIGHT = 20;
    private static final int TOP = 44;
    private static final int BOTTOM = 48;

    private record Series(String name, String color, boolean dashed, double[] values) {
    }

    private final String title;
    private final String yTitle;
    private final double yMultiplier;
    private final boolean includeZero;
    private final List<Series> series = new ArrayList<>();

    /**
     * @param title       accessible title of the chart
     * @param yTitle      the y axis title, e.g. "accuracy (%)"
     * @param yMultiplier factor applied to values for display (100 for fractions shown as percent)
     * @param includeZero whether the y axis always starts at 0 (loss) or fits the data (accuracy)
     */
    SvgLineChart(String title, String yTitle, double yMultiplier, boolean includeZero) {
        this.title = title;
        this.yTitle = yTitle;
        this.yMultiplier = yMultiplier;
        this.includeZero = includeZero;
    }

    /** Adds a series if it has at least one finite value. */
    SvgLineChart add(String name, String color, boolean dashed, double[] values) {
        if (values != null && finiteCount(values) > 0) {
            double[] scaled = new double[values.length];
            for (int i = 0; i < values.length; i++) {
                scaled[i] = values[i] * yMultiplier;
            }
            series.add(new Series(name, color, dashed, scaled));
        }
        return this;
    }

    boolean isEmpty() {
        return series.isEmpty();
    }

    private static int finiteCount(double[] values) {
        int count = 0;
        for (double value : values) {
            count += Double.isFinite(value) ? 1 : 0;
        }
        return count;
    }

    String toSvg() {
        int epochs = 0;
        double min = Double.POSITIVE_INFINITY;
        double max = Double.NEGATIVE_INFINITY;
        for (Series line : series) {
            epochs = Math.max(epochs, line.values.length);
            for (double value : line.values) {
                if (Double.isFinite(value)) {
                    min = Math.min(min, value);
                    max = Math.max(max, value);
                }
            }
        }
        if (includeZero) {
            min = Math.min(0, min);
        }
        if (max - min < 1e-9) {
            double pad = Math.abs(max) > 0 ? Math.abs(max) * 0.1 : 1;
            min -= pad;
            max += pad;
        }
        double step = niceStep((max - min) / 5);
        double yLow = Math.floor(min / step + 1e-9) * step;
        double yHigh = Math.ceil(max / step - 1e-9) * step;
        if (yMultiplier == 100) {
            yLow = Math.max(yLow, 0);
            yHigh = Math.min(yHigh, 100);
        }
        double xLow = epochs == 1 ? 0.5 : 1;
        double xHigh = epochs == 1 ? 1.5 : epochs;

        double plotWidth = WIDTH - LEFT - RIGHT;
        double plotHeight = HEIGHT - TOP - BOTTOM;
        Axis x = new Axis(xLow, xHigh, LEFT, LEFT + plotWidth);
        Axis y = new Axis(yLow, yHigh, TOP + plotHeight, TOP);

        StringBuilder svg = new StringBuilder();
        svg.append("<svg xmlns=\"http://www.w3.org/2000/svg\" class=\"chart\" viewBox=\"0 0 ").append(WIDTH).append(' ')
            .append(HEIGHT).append("\" role=\"img\" aria-label=\"").append(Html.escape(title)).append("\">\n");
        svg.append("<title>").append(Html.escape(title)).append("</title>\n");
        // Horizontal grid lines and y labels.
        int decimals = decimalsFor(step);
        for (int i = 0; ; i++) {
            double value = yLow + i * step;
            if (value > yHigh + step * 1e-6) {
                break;
            }
            double py = y.map(value);
            svg.append("<line class=\"grid\" x1=\"").append(LEFT).append("\" x2=\"").append(Html.number(LEFT + plotWidth))
                .append("\" y1=\"").append(Html.number(py)).append("\" y2=\"").append(Html.number(py)).append("\"/>\n");
            svg.append("<text class=\"tick\" x=\"").append(LEFT - 8).append("\" y=\"").append(Html.number(py + 4))
                .append("\" text-anchor=\"end\">").append(Html.fixed(value, decimals)).append("</text>\n");
        }
        // x ticks: every k-th epoch so that at most ~10 labels show.
        int every = Math.max(1, (int) Math.ceil(epochs / 10.0));
        if (every > 1) {
            every = (int) niceStep(every);
        }
        for (int epoch = 1; epoch <= epochs; epoch++) {
            // Epoch 1 is labelled unless it would crowd the label of epoch 2.
            boolean labelled = epoch % every == 0 || (epoch == 1 && every != 2);
            if (!labelled) {
                continue;
            }
            double px = x.map(epoch);
            svg.append("<line class=\"axis\" x1=\"").append(Html.number(px)).append("\" x2=\"").append(Html.number(px))
                .append("\" y1=\"").append(Html.number(TOP + plotHeight)).append("\" y2=\"")
                .append(Html.number(TOP + plotHeight + 5)).append("\"/>\n");
            svg.append("<text class=\"tick\" x=\"").append(Html.number(px)).append("\" y=\"")
                .append(Html.number(TOP + plotHeight + 20)).append("\" text-anchor=\"middle\">").append(epoch)
                .append("</text>\n");
        }
        svg.append("<line class=\"axis\" x1=\"").append(LEFT).append("\" x2=\"").append(Html.number(LEFT + plotWidth))
            .append("\" y1=\"").append(Html.number(TOP + plotHeight)).append("\" y2=\"").append(Html.number(TOP + plotHeight))
            .append("\"/>\n");
        svg.append("<line class=\"axis\" x1=\"").append(LEFT).append("\" x2=\"").append(LEFT).append("\" y1=\"")
            .append(TOP).append("\" y2=\"").append(Html.number(TOP + plotHeight)).append("\"/>\n");
        // Axis titles.
        svg.append("<text class=\"axis-title\" x=\"").append(Html.number(LEFT + plotWidth / 2)).append("\" y=\"")
            .append(HEIGHT - 8).append("\" text-anchor=\"middle\">epoch</text>\n");
        svg.append("<text class=\"axis-title\" transform=\"translate(16 ").append(Html.number(TOP + plotHeight / 2))
            .append(") rotate(-90)\" text-anchor=\"middle\">").append(Html.escape(yTitle)).append("</text>\n");
        // Lines and points.
        for (Series line : series) {
            appendLine(svg, line, x, y);
        }
        appendLegend(svg);
        svg.append("</svg>");
        return svg.toString();
    }

    private void appendLine(StringBuilder svg, Series line, Axis x, Axis y) {
        StringBuilder path = new StringBuilder();
        boolean penDown = false;
        for (int i = 0; i < line.values.length; i++) {
            double value = line.values[i];
            if (!Double.isFinite(value)) {
                penDown = false;
                continue;
            }
            path.append(penDown ? " L" : (path.length() == 0 ? "M" : " M")).append(Html.number(x.map(i + 1))).append(' ')
                .append(Html.number(y.map(value)));
            penDown = true;
        }
        svg.append("<path class=\"series\" d=\"").append(path).append("\" stroke=\"").append(line.color).append('"')
            .append(line.dashed ? " stroke-dasharray=\"6 4\"" : "").append("/>\n");
        for (int i = 0; i < line.values.length; i++) {
            double value = line.values[i];
            if (Double.isFinite(value)) {
                svg.append("<circle class=\"point\" cx=\"").append(Html.number(x.map(i + 1))).append("\" cy=\"")
                    .append(Html.number(y.map(value))).append("\" r=\"3.5\" fill=\"").append(line.color).append("\"><title>")
                    .append(Html.escape(line.name)).append(", epoch ").append(i + 1).append(": ")
                    .append(Html.fixed(value, 4)).append("</title></circle>\n");
            }
        }
    }

    private void appendLegend(StringBuilder svg) {
        double px = LEFT;
        for (Series line : series) {
            svg.append("<line x1=\"").append(Html.number(px)).append("\" x2=\"").append(Html.number(px + 24))
                .append("\" y1=\"20\" y2=\"20\" stroke=\"").append(line.color).append("\" stroke-width=\"2.5\"")
                .append(line.dashed ? " stroke-dasharray=\"6 4\"" : "").append("/>\n");
            svg.append("<circle cx=\"").append(Html.number(px + 12)).append("\" cy=\"20\" r=\"3.5\" fill=\"")
                .append(line.color).append("\"/>\n");
            svg.append("<text class=\"legend\" x=\"").append(Html.number(px + 32)).append("\" y=\"24\">")
                .append(Html.escape(line.name)).append("</text>\n");
            px += 32 + 7.5 * line.name.length() + 28;
        }
    }

    /** 1, 2, 2.5 or 5 times a power of ten, at least {@code rough}. */
    static double niceStep(double rough) {
        if (!(rough > 0)) {
            return 1;
        }
        double power = Math.pow(10, Math.floor(Math.log10(rough)));
        double fraction = rough / power;
        double nice = fraction <= 1 ? 1 : fraction <= 2 ? 2 : fraction <= 2.5 ? 2.5 : fraction <= 5 ? 5 : 10;
        return nice * power;
    }

    private static int decimalsFor(double step) {
        int decimals = 0;
        double scaled = step;
        while (decimals < 6 && Math.abs(scaled - Math.rint(scaled)) > 1e-9) {
            scaled *= 10;
            decimals++;
        }
        return decimals;
    }

    /** A linear map from data values to pixels. */
    private record Axis(double low, double high, double from, double to) {
        double map(double value) {
            return from + (value - low) / (high - low) * (to - from);
        }
    }
}
