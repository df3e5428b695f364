package dev.cnnc.processor.model;

import java.util.List;

/**
 * A validated network: the input shape and every layer with its shapes, parameters and FLOPs.
 * Built only by {@code dev.cnnc.processor.validate.NetworkValidator}; generation reads nothing else.
 */
public record NetworkModel(String packageName, String simpleName, Shape input, List<LayerModel> layers) {

    public NetworkModel {
        layers = List.copyOf(layers);
    }

    public LayerModel last() {
        return layers.get(layers.size() - 1);
    }

    public Shape output() {
        return last().output();
    }

    public int params() {
        int total = 0;
        for (LayerModel layer : layers) {
            total += layer.params();
        }
        return total;
    }

    public long flops() {
        long total = 0;
        for (LayerModel layer : layers) {
            total += layer.flops();
        }
        return total;
    }

    /** Bytes of the flat parameter array ({@code float}). */
    public long paramBytes() {
        return 4L * params();
    }

    /** Bytes of all activations of one image, input included ({@code float}). */
    public long activationBytes() {
        long floats = input.size();
        for (LayerModel layer : layers) {
            floats += layer.output().size();
        }
        return 4 * floats;
    }

    /** Describes the architecture: every layer kind, attribute and shape, in order. */
    public String architecture() {
        return Fingerprint.architecture(this);
    }

    /** 64-bit hash of {@link #architecture()}; weight files carry it so they only load into this network. */
    public long fingerprint() {
        return Fingerprint.hash(architecture());
    }
}
