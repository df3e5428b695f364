package dev.cnnc.runtime.data;

import dev.cnnc.runtime.Dataset;

/**
 * An in-memory set of labelled images, as the readers return it: {@code count} images of
 * {@code channels x height x width} floats each, one after the other in one array, each in CHW
 * order (one plane per channel, rows top to bottom), plus one label per image and the class names.
 *
 * <p>Pixel values are in [0, 1] as read; {@link Normalization} changes them in place. The arrays
 * are shared, not copied ({@link #images()} and {@link #labels()} return the live arrays) so a
 * 60,000-image set exists once in memory.
 */
public final class LabeledImages {
    private final float[] images;
    private final int[] labels;
    private final int channels;
    private final int height;
    private final int width;
    private final String[] classNames;

    /**
     * @param images     {@code labels.length * channels * height * width} floats, CHW per image
     * @param labels     one label per image, each in {@code [0, classNames.length)}
     * @param channels   planes per image (1 grey, 3 RGB)
     * @param height     rows per plane
     * @param width      columns per row
     * @param classNames name of each label
     * @throws IllegalArgumentException if the sizes disagree or a label is out of range
     */
    public LabeledImages(float[] images, int[] labels, int channels, int height, int width, String[] classNames) {
        if (channels <= 0 || height <= 0 || width <= 0) {
            throw new IllegalArgumentException("image shape must be positive, got channels=" + channels
                + " height=" + height + " width=" + width);
        }
        long expected = (long) labels.length * channels * height * width;
        if (images.length != expected) {
            throw new IllegalArgumentException("images has " + images.length + " floats, expected " + expected
                + " (" + labels.length + " labels x " + channels + "x" + height + "x" + width + ")");
        }
        for (int i = 0; i < labels.length; i++) {
            if (labels[i] < 0 || labels[i] >= classNames.length) {
                throw new IllegalArgumentException("label of image " + i + " is " + labels[i]
                    + ", not in [0, " + classNames.length + ")");
            }
        }
        this.images = images;
        this.labels = labels;
        this.channels = channels;
        this.height = height;
        this.width = width;
        this.classNames = classNames.clone();
    }

    /** Number of images. */
    public int count() {
        return labels.length;
    }

    public int channels() {
        return channels;
    }

    public int height() {
        return height;
    }

    public int width() {
        return width;
    }

    /** Floats per image: {@code channels * height * width}. */
    public int imageSize() {
        return channels * height * width;
    }

    /** Index in {@link #images()} of the first float of image {@code index}. */
    public int imageOffset(int index) {
        return index * imageSize();
    }

    /** The live array of all images (not a copy). */
    public float[] images() {
        return images;
    }

    /** The live array of all labels (not a copy). */
    public int[] labels() {
        return labels;
    }

    public int label(int index) {
        return labels[index];
    }

    public int classCount() {
        return classNames.length;
    }

    /** These images as the trainer's and evaluation's {@link Dataset}, sharing the arrays (no copy). */
    public Dataset toDataset() {
        return new Dataset(images, labels, imageSize(), classNames);
    }

    /** A copy of the class names, in label order. */
    public String[] classNames() {
        return classNames.clone();
    }

    public String className(int label) {
        return classNames[label];
    }

    /** A copy of one image, {@link #imageSize()} floats in CHW order. */
    public float[] image(int index) {
        float[] image = new float[imageSize()];
        System.arraycopy(images, imageOffset(index), image, 0, image.length);
        return image;
    }

    /** How many images each class has, indexed by label. */
    public int[] classCounts() {
        int[] counts = new int[classNames.length];
        for (int label : labels) {
            counts[label]++;
        }
        return counts;
    }

    /**
     * A copy of the images {@code [from, to)}, e.g. to hold out the last 5,000 training images for
     * validation.
     */
    public LabeledImages subset(int from, int to) {
        if (from < 0 || to > count() || from > to) {
            throw new IllegalArgumentException("subset [" + from + ", " + to + ") is not inside [0, " + count() + ")");
        }
        float[] subImages = new float[(to - from) * imageSize()];
        System.arraycopy(images, imageOffset(from), subImages, 0, subImages.length);
        int[] subLabels = new int[to - from];
        System.arraycopy(labels, from, subLabels, 0, subLabels.length);
        return new LabeledImages(subImages, subLabels, channels, height, width, classNames);
    }

    @Override
    public String toString() {
        return count() + " images of " + channels + "x" + height + "x" + width + ", " + classNames.length + " classes";
    }
}
