package dev.cnnc.runtime;

/**
 * Labelled images for training or evaluation: {@code count} images of {@code inputSize} floats each
 * (CHW order), stored back to back in one array, and one class label per image.
 *
 * <p>The arrays are shared, not copied (a data set can be hundreds of megabytes); do not change
 * them while a {@link Trainer} or {@link Evaluation} uses the data set.
 */
public final class Dataset {
    private final float[] images;
    private final int[] labels;
    private final int inputSize;
    private final String[] classNames;

    /** A data set without class names (classes print as their numbers). */
    public Dataset(float[] images, int[] labels, int inputSize) {
        this(images, labels, inputSize, null);
    }

    /**
     * @param images     {@code labels.length * inputSize} floats
     * @param labels     class of each image, {@code >= 0} (and below {@code classNames.length} if given)
     * @param inputSize  floats per image ({@code channels * height * width})
     * @param classNames name of each class, or {@code null}
     * @throws IllegalArgumentException if the lengths disagree or a label is out of range
     */
    public Dataset(float[] images, int[] labels, int inputSize, String[] classNames) {
        if (images == null || labels == null) {
            throw new IllegalArgumentException("images and labels must not be null");
        }
        if (inputSize <= 0) {
            throw new IllegalArgumentException("inputSize must be positive, was " + inputSize);
        }
        long expected = (long) labels.length * inputSize;
        if (images.length != expected) {
            throw new IllegalArgumentException("images has " + images.length + " floats but " + labels.length
                    + " labels of " + inputSize + " floats each need " + expected
                    + (images.length % inputSize == 0
                    ? " (the images hold " + images.length / inputSize + " complete images)"
                    : " (" + images.length + " is not a multiple of the input size " + inputSize + ")"));
        }
        for (int i = 0; i < labels.length; i++) {
            if (labels[i] < 0) {
                throw new IllegalArgumentException("labels[" + i + "] = " + labels[i] + " is negative");
            }
            if (classNames != null && labels[i] >= classNames.length) {
                throw new IllegalArgumentException("labels[" + i + "] = " + labels[i] + " but only "
                        + classNames.length + " class names are given");
            }
        }
        this.images = images;
        this.labels = labels;
        this.inputSize = inputSize;
        this.classNames = classNames == null ? null : classNames.clone();
    }

    /** All images, back to back (the shared array, not a copy). */
    public float[] images() {
        return images;
    }

    /** All labels (the shared array, not a copy). */
    public int[] labels() {
        return labels;
    }

    public int count() {
        return labels.length;
    }

    public int inputSize() {
        return inputSize;
    }

    /** Offset of image {@code index} in {@link #images()}. */
    public int imageOffset(int index) {
        return index * inputSize;
    }

    /** The class names, or {@code null} if none were given. */
    public String[] classNames() {
        return classNames == null ? null : classNames.clone();
    }

    /** Number of classes: the class names given, else the largest label + 1. */
    public int classCount() {
        if (classNames != null) {
            return classNames.length;
        }
        int max = -1;
        for (int label : labels) {
            max = Math.max(max, label);
        }
        return max + 1;
    }

    /** The images {@code [from, to)} as a new data set (copied), e.g. to hold out a validation set. */
    public Dataset slice(int from, int to) {
        if (from < 0 || to > count() || from > to) {
            throw new IllegalArgumentException("slice [" + from + ", " + to + ") is outside [0, " + count() + ")");
        }
        float[] sliceImages = new float[(to - from) * inputSize];
        System.arraycopy(images, from * inputSize, sliceImages, 0, sliceImages.length);
        int[] sliceLabels = new int[to - from];
        System.arraycopy(labels, from, sliceLabels, 0, sliceLabels.length);
        return new Dataset(sliceImages, sliceLabels, inputSize, classNames);
    }

    /**
     * Checks that this data set fits {@code model}; {@code role} names it in messages ("training set").
     * A NaN or infinite pixel is refused here, before any work, rather than surfacing later as a
     * diverged loss (or, after a ReLU or max pool that drops it, not at all). The pixels are read on
     * {@code pool}'s workers (the check runs on every {@code fit}).
     */
    void checkFits(TrainableModel model, String role, WorkerPool pool) {
        if (inputSize != model.inputSize()) {
            throw new IllegalArgumentException("the " + role + " has images of " + inputSize + " floats but "
                    + model.name() + " takes " + model.inputSize());
        }
        for (int i = 0; i < labels.length; i++) {
            if (labels[i] >= model.outputSize()) {
                throw new IllegalArgumentException("the " + role + " has label " + labels[i] + " at index " + i
                        + " but " + model.name() + " has only " + model.outputSize() + " outputs");
            }
        }
        int i = NonFinite.first(images, pool);
        if (i >= 0) {
            throw new IllegalArgumentException("the " + role + " has " + images[i] + " at float " + i % inputSize
                    + " of image " + i / inputSize + " (index " + i + "); inputs must be finite");
        }
    }

    @Override
    public String toString() {
        return "Dataset[" + count() + " images of " + inputSize + " floats, " + classCount() + " classes]";
    }
}
