package dev.cnnc.samples.cli;

import dev.cnnc.runtime.TrainableModel;
import dev.cnnc.runtime.Workspace;

/** Class probabilities of single images from a trained model, on the calling thread. */
final class Predictor {
    private final TrainableModel model;
    private final Workspace workspace;
    private final float[] output;

    Predictor(TrainableModel model) {
        this.model = model;
        this.workspace = model.newWorkspace();
        this.output = new float[model.outputSize()];
    }

    /** The probabilities of the image at {@code images[offset]} (a new array). */
    float[] probabilities(float[] images, int offset) {
        model.forward(workspace, images, offset, output, 0);
        return output.clone();
    }

    /** The most probable class of the image at {@code images[offset]}. */
    int predict(float[] images, int offset) {
        model.forward(workspace, images, offset, output, 0);
        return argMax(output);
    }

    static int argMax(float[] values) {
        int best = 0;
        for (int i = 1; i < values.length; i++) {
            if (values[i] > values[best]) {
                best = i;
            }
        }
        return best;
    }
}
