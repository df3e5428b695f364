package dev.cnnc.samples.report;

import java.io.File;
import java.io.IOException;

/**
 * A report filled with made-up but plausible numbers, for looking at the design
 * ({@code samples/scripts/screenshot-report.sh}) and for the structure tests.
 * Run {@code main} with an output directory: it writes {@code report-rgb.html} (CIFAR-10-like) and
 * {@code report-grey.html} (Fashion-MNIST-like).
 */
final class ReportDemo {
    static final String[] CIFAR_CLASSES = {"airplane", "automobile", "bird", "cat", "deer", "dog", "frog", "horse",
        "ship", "truck"};
    static final String[] FASHION_CLASSES = {"T-shirt/top", "Trouser", "Pullover", "Dress", "Coat", "Sandal", "Shirt",
        "Sneaker", "Bag", "Ankle boot"};
    static final int EPOCHS = 12;

    private ReportDemo() {
    }

    public static void main(String[] args) throws IOException {
        File directory = new File(args.length > 0 ? args[0] : "target/report-demo");
        build(true).write(new File(directory, "report-rgb.html"));
        build(false).write(new File(directory, "report-grey.html"));
        System.out.println("wrote " + directory.getAbsolutePath() + "/report-{rgb,grey}.html");
    }

    /** A full report: 12 epochs, a 10-class confusion matrix, 6 (RGB) or 8 (grey) filters, 16 mistakes. */
    static HtmlReport build(boolean rgb) {
        String[] names = rgb ? CIFAR_CLASSES : FASHION_CLASSES;
        double[] trainLoss = new double[EPOCHS];
        double[] validationLoss = new double[EPOCHS];
        double[] trainAccuracy = new double[EPOCHS];
        double[] validationAccuracy = new double[EPOCHS];
        double ceiling = rgb ? 0.60 : 0.875;
        for (int e = 0; e < EPOCHS; e++) {
            double progress = 1 - Math.exp(-(e + 1) / 3.0);
            trainLoss[e] = (rgb ? 2.0 : 0.9) - (rgb ? 1.15 : 0.68) * progress - 0.01 * e;
            validationLoss[e] = trainLoss[e] + 0.02 + 0.012 * e * e / EPOCHS;
            trainAccuracy[e] = (rgb ? 0.30 : 0.70) + (ceiling + 0.04 - (rgb ? 0.30 : 0.70)) * progress + 0.002 * e;
            validationAccuracy[e] = trainAccuracy[e] - 0.01 - 0.002 * e + 0.004 * Math.sin(e);
        }
        HtmlReport report = new HtmlReport(rgb ? "CifarLeNet on CIFAR-10" : "FashionNet on Fashion-MNIST")
            .subtitle((rgb ? "50,000 training images (45,000 train / 5,000 validation), 10,000 test"
                : "60,000 training images (55,000 train / 5,000 validation), 10,000 test")
                + " \u00b7 SGD momentum 0.9, batch 64, 12 epochs, seed 42")
            .fact("Test accuracy", accuracy(confusion(rgb)))
            .fact("Parameters", rgb ? "62,006" : "44,426")
            .fact("Epochs", Integer.toString(EPOCHS))
            .fact("Training time", rgb ? "3 min 41 s" : "1 min 58 s")
            .fact("Throughput", rgb ? "2,710 img/s" : "5,580 img/s")
            .curves(trainLoss, validationLoss, trainAccuracy, validationAccuracy)
            .confusion(confusion(rgb), names);
        if (rgb) {
            report.filters("conv1", rgbFilters(6), 6, 3, 5);
        } else {
            report.filters("conv1", greyFilters(8), 8, 1, 5);
        }
        for (int i = 0; i < 16; i++) {
            int trueLabel = (i * 3) % 10;
            int predicted = (trueLabel + 1 + i % 3) % 10;
            float[] image = rgb ? rgbImage(i) : greyImage(i);
            report.addMisclassified(new MisclassifiedImage(image, rgb ? 3 : 1, rgb ? 32 : 28, rgb ? 32 : 28, trueLabel,
                predicted, 0.45 + 0.03 * i));
        }
        report.modelSummary("""
            Layer (type)       Kernel / neurons  Output shape  Params
            input (Input)                        (32, 32, 3)        0
            conv1 (Conv2D)     5x5x3x6           (28, 28, 6)      456
            ...""");
        return report;
    }

    /** A diagonal-heavy matrix with a few typical confusions; each row holds 1,000 test images. */
    static int[][] confusion(boolean rgb) {
        int[][] matrix = new int[10][10];
        for (int t = 0; t < 10; t++) {
            int mistakes = rgb ? 240 + 31 * ((t * 7) % 10) : 40 + 19 * ((t * 7) % 10);
            int spent = 0;
            for (int p = 0; p < 10; p++) {
                if (p != t) {
                    matrix[t][p] = ((t + 2 * p) % 9 == 0) ? mistakes / 3 : mistakes / 14;
                    spent += matrix[t][p];
                }
            }
            matrix[t][t] = 1000 - spent;
        }
        return matrix;
    }

    /** Test accuracy of {@link #confusion(boolean)}, as the report's headline shows it. */
    static String accuracy(int[][] matrix) {
        long correct = 0;
        long total = 0;
        for (int t = 0; t < matrix.length; t++) {
            for (int p = 0; p < matrix.length; p++) {
                total += matrix[t][p];
            }
            correct += matrix[t][t];
        }
        return String.format(java.util.Locale.ROOT, "%.1f%%", 100.0 * correct / total);
    }

    /** Smooth oriented colour patterns, like the Gabor-ish filters a first layer learns. */
    static float[] rgbFilters(int count) {
        float[] weights = new float[count * 3 * 25];
        for (int f = 0; f < count; f++) {
            double angle = Math.PI * f / count;
            for (int c = 0; c < 3; c++) {
                for (int y = 0; y < 5; y++) {
                    for (int x = 0; x < 5; x++) {
                        double along = (x - 2) * Math.cos(angle) + (y - 2) * Math.sin(angle);
                        weights[((f * 3 + c) * 5 + y) * 5 + x] =
                            (float) (0.3 * Math.cos(along * 0.9 + f) * (c == f % 3 ? 1.0 : 0.35) - 0.05 * (y - 2) * (c - 1));
                    }
                }
            }
        }
        return weights;
    }

    static float[] greyFilters(int count) {
        float[] weights = new float[count * 25];
        for (int f = 0; f < count; f++) {
            double angle = Math.PI * f / count;
            for (int y = 0; y < 5; y++) {
                for (int x = 0; x < 5; x++) {
                    double along = (x - 2) * Math.cos(angle) + (y - 2) * Math.sin(angle);
                    weights[(f * 5 + y) * 5 + x] = (float) (0.25 * Math.cos(along * 0.9 + f));
                }
            }
        }
        return weights;
    }

    /** A blob on a gradient: a stand-in for a CIFAR photo. */
    static float[] rgbImage(int seed) {
        float[] image = new float[3 * 32 * 32];
        double cx = 10 + (seed * 5) % 12;
        double cy = 10 + (seed * 3) % 12;
        for (int c = 0; c < 3; c++) {
            for (int y = 0; y < 32; y++) {
                for (int x = 0; x < 32; x++) {
                    double blob = Math.exp(-((x - cx) * (x - cx) + (y - cy) * (y - cy)) / 60.0);
                    double sky = (c == 2 ? 0.7 : 0.4) * (1 - y / 40.0);
                    double tint = ((seed + c) % 3) / 2.0;
                    image[(c * 32 + y) * 32 + x] = (float) Math.min(1, sky * (1 - blob) + blob * tint);
                }
            }
        }
        return image;
    }

    /** A bright rounded shape on black: a stand-in for a Fashion-MNIST item. */
    static float[] greyImage(int seed) {
        float[] image = new float[28 * 28];
        double halfWidth = 6 + seed % 5;
        double halfHeight = 9 + seed % 4;
        for (int y = 0; y < 28; y++) {
            for (int x = 0; x < 28; x++) {
                double d = Math.pow(Math.abs(x - 14) / halfWidth, 3) + Math.pow(Math.abs(y - 14) / halfHeight, 3);
                image[y * 28 + x] = d < 1 ? (float) (0.55 + 0.4 * Math.sin(x * 0.7 + y * 0.3 + seed) * 0.5 + 0.2 * (1 - d)) : 0f;
            }
        }
        return image;
    }
}
