package dev.cnnc.runtime;

/**
 * Hand-written test model: one dense layer, inputs -> classes, then SOFTMAX. Parameters as
 * PyTorch stores {@code nn.Linear}: weight {@code [classes][inputs]}, then bias {@code [classes]}.
 *
 * <pre>
 *   z = W x + b,  p = softmax(z),  loss = -log p[label]
 *   dL/dz = p - onehot(label),  dL/dW[c][i] = dL/dz[c] * x[i],  dL/db[c] = dL/dz[c]
 * </pre>
 */
final class SoftmaxRegressionModel implements TrainableModel {
    private final int inputs;
    private final int classes;
    private final float[] parameters;
    private final String architecture;

    SoftmaxRegressionModel(int inputs, int classes) {
        this.inputs = inputs;
        this.classes = classes;
        this.parameters = new float[classes * inputs + classes];
        this.architecture = "input " + inputs + "\ndense " + classes + " SOFTMAX";
    }

    private static final class Scratch implements Workspace {
        final float[] probabilities;

        Scratch(int classes) {
            probabilities = new float[classes];
        }
    }

    @Override
    public String name() {
        return "SoftmaxRegression";
    }

    @Override
    public long fingerprint() {
        return TestModels.fnv1a(architecture);
    }

    @Override
    public String architecture() {
        return architecture;
    }

    @Override
    public String summary() {
        return architecture;
    }

    @Override
    public int parameterCount() {
        return parameters.length;
    }

    @Override
    public int inputSize() {
        return inputs;
    }

    @Override
    public int outputSize() {
        return classes;
    }

    @Override
    public float[] parameters() {
        return parameters;
    }

    @Override
    public ParameterTensor[] tensors() {
        return new ParameterTensor[] {
            new ParameterTensor("output.weight", new int[] {classes, inputs}, 0, inputs, classes, false),
            new ParameterTensor("output.bias", new int[] {classes}, classes * inputs, inputs, classes, true),
        };
    }

    @Override
    public Workspace newWorkspace() {
        return new Scratch(classes);
    }

    @Override
    public void forward(Workspace workspace, float[] images, int imageOffset, float[] output, int outputOffset) {
        float[] probabilities = probabilities((Scratch) workspace, images, imageOffset);
        System.arraycopy(probabilities, 0, output, outputOffset, classes);
    }

    /** softmax(W x + b) in the workspace. */
    private float[] probabilities(Scratch scratch, float[] images, int imageOffset) {
        float[] z = scratch.probabilities;
        float max = Float.NEGATIVE_INFINITY;
        for (int c = 0; c < classes; c++) {
            float sum = parameters[classes * inputs + c];
            for (int i = 0; i < inputs; i++) {
                sum += parameters[c * inputs + i] * images[imageOffset + i];
            }
            z[c] = sum;
            max = Math.max(max, sum);
        }
        float total = 0;
        for (int c = 0; c < classes; c++) {
            z[c] = (float) StrictMath.exp(z[c] - max);
            total += z[c];
        }
        for (int c = 0; c < classes; c++) {
            z[c] /= total;
        }
        return z;
    }

    @Override
    public float gradient(Workspace workspace, float[] images, int imageOffset, int label, float[] grad) {
        return gradient(workspace, images, imageOffset, label, grad, null, 0);
    }

    /** Overrides the default to reuse the forward pass, as generated models do. */
    @Override
    public float gradient(Workspace workspace, float[] images, int imageOffset, int label, float[] grad,
            float[] output, int outputOffset) {
        if (label < 0 || label >= classes) {
            throw new IllegalArgumentException("label " + label);
        }
        float[] p = probabilities((Scratch) workspace, images, imageOffset);
        if (output != null) {
            System.arraycopy(p, 0, output, outputOffset, classes);
        }
        float loss = (float) -StrictMath.log(Math.max(p[label], Float.MIN_NORMAL));
        for (int c = 0; c < classes; c++) {
            float dz = p[c] - (c == label ? 1f : 0f);
            for (int i = 0; i < inputs; i++) {
                grad[c * inputs + i] += dz * images[imageOffset + i];
            }
            grad[classes * inputs + c] += dz;
        }
        return loss;
    }
}
