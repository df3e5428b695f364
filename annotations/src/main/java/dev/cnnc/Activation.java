package dev.cnnc;

/** The non-linearity applied to a layer's output. */
public enum Activation {
    /** {@code y = x}. */
    LINEAR,
    /** {@code y = max(0, x)}. */
    RELU,
    /** {@code y = 1 / (1 + exp(-x))}. */
    SIGMOID,
    /** {@code y = tanh(x)}. */
    TANH,
    /**
     * {@code y_i = exp(x_i) / sum_j exp(x_j)} over the layer's outputs. Only allowed on the last
     * layer, where it turns scores into class probabilities for the cross-entropy loss.
     */
    SOFTMAX
}
