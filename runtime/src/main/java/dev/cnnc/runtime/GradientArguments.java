package dev.cnnc.runtime;

/**
 * The argument checks of {@link TrainableModel#gradients}, shared by its default and the generated
 * models' overrides, so that every form refuses the same input with the same message, before the
 * first gradient is added.
 */
public final class GradientArguments {
    private GradientArguments() {
    }

    /**
     * Checks a call {@code model.gradients(workspace, images, labels, samples, from, to, grad, outputs)}.
     *
     * @throws NullPointerException     if an array is null
     * @throws IllegalArgumentException naming the argument (and the sample) that is out of range
     */
    public static void check(TrainableModel model, float[] images, int[] labels, int[] samples, int from, int to,
            float[] grad, float[] outputs) {
        String name = model.name();
        requireNonNull(name, "images", images);
        requireNonNull(name, "labels", labels);
        requireNonNull(name, "samples", samples);
        requireNonNull(name, "grad", grad);
        requireNonNull(name, "outputs", outputs);
        if (from < 0 || to < from || to > samples.length) {
            throw new IllegalArgumentException(name + ": samples [" + from + ", " + to + ") is not a range of the "
                    + samples.length + " entries of samples");
        }
        if (grad.length != model.parameterCount()) {
            throw new IllegalArgumentException(name + ": grad holds " + grad.length + " floats, the model has "
                    + model.parameterCount() + " parameters");
        }
        long outputFloats = (long) (to - from) * model.outputSize();
        if (outputs.length < outputFloats) {
            throw new IllegalArgumentException(name + ": outputs holds " + outputs.length + " floats, " + (to - from)
                    + " samples need " + outputFloats);
        }
        int imageCount = images.length / model.inputSize();
        for (int k = from; k < to; k++) {
            int sample = samples[k];
            if (sample < 0 || sample >= imageCount) {
                throw new IllegalArgumentException(name + ": samples[" + k + "] = " + sample + " is not one of the "
                        + imageCount + " images in images (" + images.length + " floats)");
            }
            if (sample >= labels.length) {
                throw new IllegalArgumentException(name + ": samples[" + k + "] = " + sample + " has no label (labels holds "
                        + labels.length + ")");
            }
            int label = labels[sample];
            if (label < 0 || label >= model.outputSize()) {
                throw new IllegalArgumentException(name + ": labels[" + sample + "] = " + label + " is outside [0, "
                        + model.outputSize() + ")");
            }
        }
    }

    private static void requireNonNull(String model, String argument, Object value) {
        if (value == null) {
            throw new NullPointerException(model + ": " + argument + " is null");
        }
    }
}
