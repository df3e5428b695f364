package dev.cnnc.samples.report;

import java.awt.image.BufferedImage;
import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * A training report as one self-contained HTML file: no network access, no external CSS or
 * scripts; charts are inline SVG, images are base64 PNG data URIs. It is well-formed XHTML, so an XML
 * parser can read it. Sections, each with a stable {@code id}:
 * <ol>
 *   <li>{@code curves}: loss and accuracy per epoch, train and validation, as SVG line charts;</li>
 *   <li>{@code confusion}: the confusion matrix as a heat map with class names, recall and precision;</li>
 *   <li>{@code filters}: the first convolution's learned filters as images (RGB for 3 input channels);</li>
 *   <li>{@code misclassified}: a gallery of misclassified test images with true and predicted labels;</li>
 * </ol>
 * plus a heading with key figures ({@link #fact}) and, when given, the model summary (id
 * {@code model}). A section without data still appears, saying so, so links and tests can rely on
 * the ids.
 *
 * <p>All input is plain data (arrays and strings), so the report does not depend on the training
 * classes. Typical use:
 * <pre>{@code
 * HtmlReport report = new HtmlReport("FashionNet on Fashion-MNIST");
 * report.fact("Test accuracy", "91.3%");
 * report.curves(trainLoss, validationLoss, trainAccuracy, validationAccuracy);
 * report.confusion(matrix, classNames);
 * report.filters("conv1", weights, 8, 1, 5);
 * report.addMisclassified(new MisclassifiedImage(image, 1, 28, 28, 6, 0, 0.71));
 * report.write(new File("report.html"));
 * }</pre>
 */
public final class HtmlReport {
    /** Colour of training series. */
    static final String TRAIN_COLOR = "#2563eb";
    /** Colour of validation series. */
    static final String VALIDATION_COLOR = "#ea580c";
    /** Target on-screen size of a filter or gallery image, in pixels. */
    private static final int FILTER_PIXELS = 80;
    private static final int GALLERY_PIXELS = 96;

    private final String title;
    private String subtitle = "";
    private final Map<String, String> facts = new LinkedHashMap<>();
    private double[] trainLoss;
    private double[] validationLoss;
    private double[] trainAccuracy;
    private double[] validationAccuracy;
    private int[][] confusion;
    private String[] classNames;
    private String filterLayer;
    private float[] filterWeights;
    private int filterCount;
    private int filterChannels;
    private int filterKernel;
    private final List<MisclassifiedImage> misclassified = new ArrayList<>();
    private String modelSummary;

    /** @param title the page title and heading, e.g. "CifarLeNet on CIFAR-10" */
    public HtmlReport(String title) {
        this.title = title;
    }

    /** A line under the title, e.g. the data set and training settings. */
    public HtmlReport subtitle(String text) {
        this.subtitle = text;
        return this;
    }

    /** A key figure shown as a tile under the title, e.g. {@code fact("Test accuracy", "91.3%")}. */
    public HtmlReport fact(String label, String value) {
        facts.put(label, value);
        return this;
    }

    /**
     * The per-epoch series (index 0 is epoch 1). Accuracies are fractions in [0, 1], shown as
     * percent. Any array may be null or hold NaN for epochs without a value.
     */
    public HtmlReport curves(double[] trainLoss, double[] validationLoss, double[] trainAccuracy,
                             double[] validationAccuracy) {
        this.trainLoss = copy(trainLoss);
        this.validationLoss = copy(validationLoss);
        this.trainAccuracy = copy(trainAccuracy);
        this.validationAccuracy = copy(validationAccuracy);
        return this;
    }

    /**
     * The confusion matrix, {@code matrix[trueLabel][predictedLabel]} counts, and the class names,
     * which also label the misclassified images.
     */
    public HtmlReport confusion(int[][] matrix, String[] classNames) {
        for (int[] row : matrix) {
            if (row.length != matrix.length) {
                throw new IllegalArgumentException("the confusion matrix must be square, got a row of " + row.length
                    + " in a matrix of " + matrix.length + " rows");
            }
        }
        if (classNames.length != matrix.length) {
            throw new IllegalArgumentException(classNames.length + " class names for a " + matrix.length + "x"
                + matrix.length + " confusion matrix");
        }
        this.confusion = new int[matrix.length][];
        for (int i = 0; i < matrix.length; i++) {
            this.confusion[i] = matrix[i].clone();
        }
        this.classNames = classNames.clone();
        return this;
    }

    /**
     * The learned filters of a convolution layer, as PyTorch stores them: {@code weights} holds
     * {@code [filters][inChannels][kernel][kernel]} from index 0 (the start of the model's flat
     * parameter array for the first layer). Each filter is scaled from its own minimum (black) to
     * maximum (white): an RGB tile when {@code inChannels == 3}, else one grey tile per input channel.
     */
    public HtmlReport filters(String layerName, float[] weights, int filters, int inChannels, int kernel) {
        if (weights.length < filters * inChannels * kernel * kernel) {
            throw new IllegalArgumentException(weights.length + " weights are fewer than " + filters + " filters of "
                + inChannels + "x" + kernel + "x" + kernel);
        }
        this.filterLayer = layerName;
        this.filterWeights = weights.clone();
        this.filterCount = filters;
        this.filterChannels = inChannels;
        this.filterKernel = kernel;
        return this;
    }

    /** Adds one image to the gallery of mistakes (shown in the order added). */
    public HtmlReport addMisclassified(MisclassifiedImage image) {
        misclassified.add(image);
        return this;
    }

    /** The model summary table printed at compile time, shown preformatted. */
    public HtmlReport modelSummary(String summary) {
        this.modelSummary = summary;
        return this;
    }

    /** The whole page. */
    public String toHtml() {
        StringBuilder html = new StringBuilder(64 * 1024);
        html.append("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\"/>\n")
            .append("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\"/>\n")
            .append("<title>").append(Html.escape(title)).append("</title>\n<style>\n").append(ReportStyle.CSS)
            .append("</style>\n</head>\n<body>\n<main>\n");
        appendHeader(html);
        appendCurves(html);
        appendConfusion(html);
        appendFilters(html);
        appendMisclassified(html);
        if (modelSummary != null) {
            html.append("<section id=\"model\" class=\"card\">\n<h2>Model</h2>\n<pre>").append(Html.escape(modelSummary))
                .append("</pre>\n</section>\n");
        }
        html.append("<footer>Generated by cnnc. Self-contained: open it anywhere, no network needed.</footer>\n")
            .append("</main>\n</body>\n</html>\n");
        return html.toString();
    }

    /**
     * Writes the page to {@code file}: first to a temporary file beside it, then renamed over it, so
     * a reader never sees a half-written report.
     */
    public void write(File file) throws IOException {
        Path target = file.toPath().toAbsolutePath();
        Path directory = target.getParent();
        Files.createDirectories(directory);
        Path temporary = Files.createTempFile(directory, target.getFileName() + ".", ".tmp");
        try {
            Files.writeString(temporary, toHtml(), StandardCharsets.UTF_8);
            AtomicFiles.replace(temporary, target);
        } finally {
            Files.deleteIfExists(temporary);
        }
    }

    private void appendHeader(StringBuilder html) {
        html.append("<header>\n<h1>").append(Html.escape(title)).append("</h1>\n");
        if (!subtitle.isEmpty()) {
            html.append("<p class=\"subtitle\">").append(Html.escape(subtitle)).append("</p>\n");
        }
        if (!facts.isEmpty()) {
            html.append("<div class=\"facts\">\n");
            for (Map.Entry<String, String> fact : facts.entrySet()) {
                html.append("<div class=\"fact\"><div class=\"value\">").append(Html.escape(fact.getValue()))
                    .append("</div><div class=\"label\">").append(Html.escape(fact.getKey())).append("</div></div>\n");
            }
            html.append("</div>\n");
        }
        html.append("</header>\n");
    }

    private void appendCurves(StringBuilder html) {
        html.append("<section id=\"curves\" class=\"card\">\n<h2>Training curves</h2>\n");
        SvgLineChart loss = new SvgLineChart("Loss per epoch", "cross-entropy loss", 1, true)
            .add("train", TRAIN_COLOR, false, trainLoss)
            .add("validation", VALIDATION_COLOR, true, validationLoss);
        SvgLineChart accuracy = new SvgLineChart("Accuracy per epoch", "accuracy (%)", 100, false)
            .add("train", TRAIN_COLOR, false, trainAccuracy)
            .add("validation", VALIDATION_COLOR, true, validationAccuracy);
        if (loss.isEmpty() && accuracy.isEmpty()) {
            html.append("<p class=\"empty\">No training history was recorded.</p>\n</section>\n");
            return;
        }
        html.append("<p class=\"note\">").append(Html.escape(curvesNote())).append("</p>\n<div class=\"charts\">\n");
        html.append("<figure><figcaption>Loss</figcaption>\n").append(loss.toSvg()).append("\n</figure>\n");
        html.append("<figure><figcaption>Accuracy</figcaption>\n").append(accuracy.toSvg()).append("\n</figure>\n");
        html.append("</div>\n</section>\n");
    }

    /** One sentence with the last epoch's figures and the best validation accuracy. */
    private String curvesNote() {
        List<String> parts = new ArrayList<>();
        int epochs = Math.max(length(trainLoss), Math.max(length(trainAccuracy),
            Math.max(length(validationLoss), length(validationAccuracy))));
        parts.add(epochs + (epochs == 1 ? " epoch" : " epochs"));
        double last = lastFinite(trainAccuracy);
        if (Double.isFinite(last)) {
            parts.add("final train accuracy " + Html.fixed(100 * last, 2) + "%");
        }
        last = lastFinite(validationAccuracy);
        if (Double.isFinite(last)) {
            parts.add("final validation accuracy " + Html.fixed(100 * last, 2) + "%");
            int best = 0;
            for (int i = 1; i < validationAccuracy.length; i++) {
                if (validationAccuracy[i] > validationAccuracy[best] || Double.isNaN(validationAccuracy[best])) {
                    best = i;
                }
            }
            parts.add("best " + Html.fixed(100 * validationAccuracy[best], 2) + "% after epoch " + (best + 1));
        }
        return String.join(" \u00b7 ", parts);
    }

    private void appendConfusion(StringBuilder html) {
        html.append("<section id=\"confusion\" class=\"card\">\n<h2>Confusion matrix</h2>\n");
        if (confusion == null) {
            html.append("<p class=\"empty\">No evaluation was recorded.</p>\n</section>\n");
            return;
        }
        long total = 0;
        long correct = 0;
        for (int t = 0; t < confusion.length; t++) {
            for (int p = 0; p < confusion.length; p++) {
                total += confusion[t][p];
            }
            correct += confusion[t][t];
        }
        html.append("<p class=\"note\">").append(grouped(total)).append(" test images, ").append(grouped(correct))
            .append(" correct (")
            .append(total == 0 ? "\u2013" : Html.fixed(100.0 * correct / total, 2) + "%")
            .append("). Rows: true class; columns: predicted class. Blue: correct share of the row; red: ")
            .append("mistakes, full red at 25% of the row.</p>\n<div class=\"scroll\">\n")
            .append(ConfusionMatrixTable.toHtml(confusion, classNames)).append("\n</div>\n</section>\n");
    }

    private void appendFilters(StringBuilder html) {
        html.append("<section id=\"filters\" class=\"card\">\n<h2>Learned filters")
            .append(filterLayer == null ? "" : " of " + Html.escape(filterLayer)).append("</h2>\n");
        if (filterWeights == null) {
            html.append("<p class=\"empty\">No filter weights were given.</p>\n</section>\n");
            return;
        }
        int k = filterKernel;
        boolean rgb = filterChannels == 3;
        int scale = Math.max(1, Math.round((float) FILTER_PIXELS / k));
        html.append("<p class=\"note\">").append(filterCount).append(" filters of ").append(k).append('x').append(k)
            .append('x').append(filterChannels).append(rgb ? ", shown as RGB" : filterChannels > 1
                ? ", one grey tile per input channel" : "")
            .append("; each scaled from its own most negative weight (black) to its most positive (white).</p>\n")
            .append("<div class=\"filters\">\n");
        int filterSize = filterChannels * k * k;
        for (int f = 0; f < filterCount; f++) {
            int offset = f * filterSize;
            float[] range = ImageFiles.range(filterWeights, offset, filterSize);
            html.append("<figure class=\"filter\">");
            if (rgb) {
                appendImage(html, ImageFiles.toImage(filterWeights, offset, 3, k, k, range[0], range[1], scale),
                    filterLayer + " filter " + f);
            } else {
                for (int c = 0; c < filterChannels; c++) {
                    appendImage(html, ImageFiles.toImage(filterWeights, offset + c * k * k, 1, k, k, range[0], range[1],
                        scale), filterLayer + " filter " + f + " channel " + c);
                }
            }
            html.append("<figcaption>#").append(f).append("</figcaption></figure>\n");
        }
        html.append("</div>\n</section>\n");
    }

    private void appendMisclassified(StringBuilder html) {
        html.append("<section id=\"misclassified\" class=\"card\">\n<h2>Misclassified test images</h2>\n");
        if (misclassified.isEmpty()) {
            html.append("<p class=\"empty\">No misclassified images were given.</p>\n</section>\n");
            return;
        }
        long wrong = -1;
        if (confusion != null) {
            wrong = 0;
            for (int t = 0; t < confusion.length; t++) {
                for (int p = 0; p < confusion.length; p++) {
                    wrong += t == p ? 0 : confusion[t][p];
                }
            }
        }
        html.append("<p class=\"note\">").append(misclassified.size())
            .append(wrong >= 0 ? " of " + grouped(wrong) : "").append(" misclassified test images.</p>\n")
            .append("<div class=\"gallery\">\n");
        for (MisclassifiedImage example : misclassified) {
            float[] range = ImageFiles.range(example.image(), 0, example.image().length);
            float low = range[0] >= 0 && range[1] <= 1 ? 0 : range[0];
            float high = range[0] >= 0 && range[1] <= 1 ? 1 : range[1];
            int scale = Math.max(1, Math.round((float) GALLERY_PIXELS / Math.max(example.height(), example.width())));
            String trueName = name(example.trueLabel());
            String predictedName = name(example.predictedLabel());
            html.append("<figure class=\"example\">");
            appendImage(html, ImageFiles.toImage(example.image(), 0, example.channels(), example.height(), example.width(),
                low, high, scale), trueName + " predicted as " + predictedName);
            html.append("<figcaption><span class=\"true\">").append(Html.escape(trueName)).append("</span>")
                .append("<span class=\"predicted\">\u2192 ").append(Html.escape(predictedName));
            if (Double.isFinite(example.confidence())) {
                html.append(" <span class=\"confidence\">").append(Html.fixed(100 * example.confidence(), 0))
                    .append("%</span>");
            }
            html.append("</span></figcaption></figure>\n");
        }
        html.append("</div>\n</section>\n");
    }

    private String name(int label) {
        return classNames != null && label >= 0 && label < classNames.length ? classNames[label] : "class " + label;
    }

    private static void appendImage(StringBuilder html, BufferedImage image, String alt) {
        html.append("<img src=\"").append(ImageFiles.pngDataUri(image)).append("\" width=\"").append(image.getWidth())
            .append("\" height=\"").append(image.getHeight()).append("\" alt=\"").append(Html.escape(alt)).append("\"/>");
    }

    /** 12,345: thousands separated by commas whatever the default locale. */
    private static String grouped(long value) {
        return String.format(Locale.ROOT, "%,d", value);
    }

    private static double[] copy(double[] values) {
        return values == null ? null : values.clone();
    }

    private static int length(double[] values) {
        return values == null ? 0 : values.length;
    }

    private static double lastFinite(double[] values) {
        if (values == null) {
            return Double.NaN;
        }
        for (int i = values.length - 1; i >= 0; i--) {
            if (Double.isFinite(values[i])) {
                return values[i];
            }
        }
        return Double.NaN;
    }
}
