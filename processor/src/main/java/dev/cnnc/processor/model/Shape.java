package dev.cnnc.processor.model;

/**
 * The shape of an activation: {@code height x width x channels} as the lecture writes it, or a flat
 * vector of {@code channels} values after a dense layer. Stored in CHW order at run time.
 */
public record Shape(int height, int width, int channels, boolean flat) {

    public static Shape image(int height, int width, int channels) {
        return new Shape(height, width, channels, false);
    }

    public static Shape vector(int length) {
        return new Shape(1, 1, length, true);
    }

    /** Number of floats: {@code C * H * W}. */
    public long size() {
        return (long) height * width * channels;
    }

    /** The Keras-style tuple of the summary table: {@code (28, 28, 6)} or {@code 120}. */
    public String tuple() {
        return flat ? Integer.toString(channels) : "(" + height + ", " + width + ", " + channels + ")";
    }

    /** The lecture's {@code 28x28x6}, or {@code 120} for a vector. */
    @Override
    public String toString() {
        return flat ? Integer.toString(channels) : height + "x" + width + "x" + channels;
    }

    /** How a generated input-length message names the layout: {@code 3x32x32 (CHW)}. */
    public String chw() {
        return flat ? Integer.toString(channels) : channels + "x" + height + "x" + width + " (CHW)";
    }
}
