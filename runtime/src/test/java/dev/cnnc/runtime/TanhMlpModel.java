package dev.cnnc.runtime;

/**
 * Hand-written test model: dense inputs -> hidden with TANH, then dense hidden -> classes LINEAR
 * (logits; the loss applies the softmax). Parameters: W1 [hidden][inputs], b1, W2 [classes][hidden], b2.
 *
 * <pre>
 *   h = tanh(W1 x + b1),  z = W2 h + b2,  loss = logsumexp(z) - z[label]
 *   dz = softmax(z) - onehot,  dW2 = dz h^T,  db2 = dz
 *   dh = W2^T dz,  da = dh * (1 - h^2),  dW1 = da x^T,  db1 = da
 * </pre>
 * Uses the interface's default {@code gradient(..., output, offset)} (forward, then gradient).
 */
final class TanhMlpModel implements TrainableModel {
    private final int inputs;
    private final int hidden;
    private final int classes;
    private final float[] parameters;
    private final int w1;
    private final int b1;
    private final int w2;
    private final int b2;

    TanhMlpModel(int inputs, int hidden, int classes) {
        this.inputs = inputs;
        this.hidden = hidden;
        this.classes = classes;
        w1 = 0;
        b1 = hidden * inputs;
        w2 = b1 + hidden;
        b2 = w2 + classes * hidden;
        parameters = new float[b2 + classes];
    }

    private static final class Scratch implements Workspace {
        final float[] h;
        final float[] z;
        final float[] dz;

        Scratch(int hidden, int classes) {
            h = new float[hidden];
            z = new float[classes];
            dz = new float[classes];
        }
    }

    @Override
    public String name() {
        return "TanhMlp";
    }

    @Override
    public long fingerprint() {
        return TestModels.fnv1a(architecture());
    }

    @Override
    public String architecture() {
        return "input " + inputs + "\ndense " + hidden + " TANH\ndense " + classes + " LINEAR";
    }

    @Override
    public String summary() {
        return architecture();
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
    public boolean outputsProbabilities() {
        return false;
    }

    @Override
    public ParameterTensor[] tensors() {
        return new ParameterTensor[] {
            new ParameterTensor("fc1.weight", new int[] {hidden, inputs}, w1, inputs, hidden, false),
            new ParameterTensor("fc1.bias", new int[] {hidden}, b1, inputs, hidden, true),
            new ParameterTensor("fc2.weight", new int[] {classes, hidden}, w2, hidden, classes, false),
            new ParameterTensor("fc2.bias", new int[] {classes}, b2, hidden, classes, true),
        };
    }

    @Override
    public Workspace newWorkspace() {
        return new Scratch(hidden, classes);
    }

    private void logits(Scratch s, float[] images, int offset) {
        for (int j = 0; j < hidden; j++) {
            float sum = parameters[b1 + j];
            for (int i = 0; i < inputs; i++) {
                sum += parameters[w1 + j * inputs + i] * images[offset + i];
            }
            s.h[j] = (float) StrictMath.tanh(sum);
        }
        for (int c = 0; c < classes; c++) {
            float sum = parameters[b2 + c];
            for (int j = 0; j < hidden; j++) {
                sum += parameters[w2 + c * hidden + j] * s.h[j];
            }
            s.z[c] = sum;
        }
    }

    @Override
    public void forward(Workspace workspace, float[] images, int imageOffset, float[] output, int outputOffset) {
        Scratch s = (Scratch) workspace;
        logits(s, images, imageOffset);
        System.arraycopy(s.z, 0, output, outputOffset, classes);
    }

    @Override
    public float gradient(Workspace workspace, float[] images, int imageOffset, int label, float[] grad) {
        if (label < 0 || label >= classes) {
            throw new IllegalArgumentException("label " + label);
        }
        Scratch s = (Scratch) workspace;
        logits(s, images, imageOffset);
        float loss = Losses.softmaxCrossEntropy(s.z, label);
        float max = Float.NEGATIVE_INFINITY;
        for (float value : s.z) {
            max = Math.max(max, value);
        }
        float total = 0;
        for (int c = 0; c < classes; c++) {
            s.dz[c] = (float) StrictMath.exp(s.z[c] - max);
            total += s.dz[c];
        }
        for (int c = 0; c < classes; c++) {
            s.dz[c] = s.dz[c] / total - (c == label ? 1f : 0f);
            for (int j = 0; j < hidden; j++) {
                grad[w2 + c * hidden + j] += s.dz[c] * s.h[j];
            }
            grad[b2 + c] += s.dz[c];
        }
        for (int j = 0; j < hidden; j++) {
            float dh = 0;
            for (int c = 0; c < classes; c++) {
                dh += parameters[w2 + c * hidden + j] * s.dz[c];
            }
            float da = dh * (1f - s.h[j] * s.h[j]);
            for (int i = 0; i < inputs; i++) {
                grad[w1 + j * inputs + i] += da * images[imageOffset + i];
            }
            grad[b1 + j] += da;
        }
        return loss;
    }
}
