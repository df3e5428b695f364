package dev.cnnc.samples.report;

/**
 * One test image the network got wrong, for the report's gallery.
 *
 * @param image          {@code channels * height * width} floats in CHW order, best before
 *                       normalization (values in [0, 1] are shown as they are; others are scaled
 *                       from their minimum to their maximum)
 * @param channels       1 or 3
 * @param height         rows
 * @param width          columns
 * @param trueLabel      the correct class
 * @param predictedLabel the class the network chose
 * @param confidence     the network's probability for {@code predictedLabel}, or NaN if unknown
 */
public record MisclassifiedImage(float[] image, int channels, int height, int width, int trueLabel,
                                 int predictedLabel, double confidence) {
    /** Checks that the image has {@code channels * height * width} floats of 1 or 3 channels. */
    public MisclassifiedImage {
        if (channels != 1 && channels != 3) {
            throw new IllegalArgumentException("an image has 1 or 3 channels, got " + channels);
        }
        if (image.length != channels * height * width) {
            throw new IllegalArgumentException("image has " + image.length + " floats, expected " + channels + "x"
                + height + "x" + width + " = " + channels * height * width);
        }
    }
}
