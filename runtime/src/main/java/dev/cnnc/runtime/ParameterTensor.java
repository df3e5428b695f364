package dev.cnnc.runtime;

import java.util.Arrays;

/**
 * One named tensor inside a model's flat parameter array, as PyTorch's {@code state_dict} names and
 * shapes it: {@code conv1.weight [6, 3, 5, 5]} then {@code conv1.bias [6]}. Initializers use the fan
 * values; interchange formats use the name and shape.
 */
public final class ParameterTensor {
    private final String name;
    private final int[] shape;
    private final int offset;
    private final int fanIn;
    private final int fanOut;
    private final boolean bias;

    /**
     * @param name   {@code layer.weight} or {@code layer.bias}
     * @param shape  PyTorch shape, outermost first
     * @param offset index of the first element in the flat array
     * @param fanIn  inputs per output unit ({@code inChannels * k * k} or {@code inputs})
     * @param fanOut outputs per input unit ({@code filters * k * k} or {@code units})
     * @param bias   whether this is a bias vector (initialized to zero)
     */
    public ParameterTensor(String name, int[] shape, int offset, int fanIn, int fanOut, boolean bias) {
        this.name = name;
        this.shape = shape.clone();
        this.offset = offset;
        this.fanIn = fanIn;
        this.fanOut = fanOut;
        this.bias = bias;
    }

    public String name() {
        return name;
    }

    public int[] shape() {
        return shape.clone();
    }

    public int offset() {
        return offset;
    }

    /** Number of elements: the product of the shape. */
    public int length() {
        int length = 1;
        for (int dimension : shape) {
            length *= dimension;
        }
        return length;
    }

    public int fanIn() {
        return fanIn;
    }

    public int fanOut() {
        return fanOut;
    }

    public boolean isBias() {
        return bias;
    }

    @Override
    public String toString() {
        return name + " " + Arrays.toString(shape) + " @" + offset;
    }
}
