package dev.cnnc.runtime;

/**
 * A generated network as the runtime trains it. Every {@code <Name>Model} that the cnnc processor
 * generates implements this interface.
 *
 * <p>Conventions: an input image is {@code inputSize()} floats in CHW order; all parameters live in
 * one flat array ({@link #parameters()}), layer after layer, each layer as PyTorch's
 * {@code state_dict} stores it (conv weight {@code [filters][inChannels][k][k]}, then bias; dense
 * weight {@code [units][inputs]}, then bias). Gradients use the same layout.
 *
 * <p>Thread safety: the model may be shared; each thread passes its own {@link Workspace}. The
 * parameters must not change while another thread runs {@code forward} or {@code gradient}.
 */
public interface TrainableModel {

    /** The {@code @Network} class's simple name. */
    String name();

    /** Hash of {@link #architecture()}: weight files carry it and load only into the same network. */
    long fingerprint();

    /** Every layer kind, attribute and shape, in order. */
    String architecture();

    /** The model summary table printed at compile time. */
    String summary();

    int parameterCount();

    /** Floats per input image ({@code channels * height * width}). */
    int inputSize();

    /** Floats per output (number of classes). */
    int outputSize();

    /** The live flat parameter array; training updates it in place. */
    float[] parameters();

    /** The named tensors in {@link #parameters()}, in order. */
    ParameterTensor[] tensors();

    /** Allocates the scratch buffers of one thread. */
    Workspace newWorkspace();

    /**
     * Computes the network's output (probabilities after a SOFTMAX last layer) for the image at
     * {@code images[imageOffset .. imageOffset + inputSize())}.
     */
    void forward(Workspace workspace, float[] images, int imageOffset, float[] output, int outputOffset);

    /**
     * Softmax cross-entropy loss of one sample; adds {@code dLoss/dParameters} into {@code grad}
     * (same layout as {@link #parameters()}) and returns the loss. If the last layer is SOFTMAX the
     * loss is taken on its probabilities; otherwise the last layer's outputs are the logits.
     *
     * @throws IllegalArgumentException if {@code label} is not in {@code [0, outputSize())}
     */
    float gradient(Workspace workspace, float[] images, int imageOffset, int label, float[] grad);

    /**
     * Whether {@link #forward} returns probabilities (the last layer is SOFTMAX) rather than logits.
     * Evaluation uses it to compute the same loss as {@link #gradient}. The default, {@code true},
     * fits the usual classifier; a model whose last layer is not SOFTMAX must return {@code false}.
     */
    default boolean outputsProbabilities() {
        return true;
    }

    /**
     * As {@link #gradient(Workspace, float[], int, int, float[])}, and also writes the forward pass's
     * output (as {@link #forward} does) to {@code output[outputOffset ..]}, so the trainer can count
     * correct predictions. The default runs {@link #forward} and then {@link #gradient}; a generated
     * model overrides it to reuse the forward pass of the gradient.
     */
    default float gradient(Workspace workspace, float[] images, int imageOffset, int label, float[] grad,
            float[] output, int outputOffset) {
        forward(workspace, images, imageOffset, output, outputOffset);
        return gradient(workspace, images, imageOffset, label, grad);
    }

    /**
     * The gradients of a run of samples, in order: for each {@code k} in {@code [from, to)}, sample
     * {@code s = samples[k]} is the image at {@code images[s * inputSize() ..]} with label
     * {@code labels[s]}. Adds each sample's {@code dLoss/dParameters} into {@code grad}, writes its
     * output (as {@link #forward} does) to {@code outputs[(k - from) * outputSize() ..]} and returns the
     * sum of the losses, added in sample order in double precision.
     *
     * <p>The result is bit for bit that of calling {@link #gradient(Workspace, float[], int, int, float[],
     * float[], int)} per sample, in order (which the default does). A generated model overrides it to
     * prepare, once for the whole run, forms of its weights that are faster to read (its dense layers'
     * weights transposed); so the parameters must not change during the call. Every argument is checked
     * ({@link GradientArguments}) before the first gradient is added: bad input leaves {@code grad} as
     * it was.
     */
    default double gradients(Workspace workspace, float[] images, int[] labels, int[] samples, int from, int to,
            float[] grad, float[] outputs) {
        GradientArguments.check(this, images, labels, samples, from, to, grad, outputs);
        double loss = 0;
        for (int k = from; k < to; k++) {
            int sample = samples[k];
            loss += gradient(workspace, images, sample * inputSize(), labels[sample], grad, outputs,
                    (k - from) * outputSize());
        }
        return loss;
    }

    /**
     * As {@link #gradients(Workspace, float[], int[], int[], int, int, float[], float[])}, but with
     * {@code weightsUnchanged} the call may reuse the forms of the weights that this workspace's last
     * {@code gradients} call prepared instead of preparing them again: for a trainer whose workers each
     * take several runs of one batch (transposing CifarLeNet's dense weights takes about 19 us, half a
     * sample's forward pass). Pass {@code true} only if the parameters have not changed since that
     * call; otherwise the run computes with the old weights where it reads the prepared forms. A
     * workspace that never prepared them prepares them anyway. With unchanged parameters the bits are
     * the same either way; the default ignores the flag.
     */
    default double gradients(Workspace workspace, float[] images, int[] labels, int[] samples, int from, int to,
            float[] grad, float[] outputs, boolean weightsUnchanged) {
        return gradients(workspace, images, labels, samples, from, to, grad, outputs);
    }
}
