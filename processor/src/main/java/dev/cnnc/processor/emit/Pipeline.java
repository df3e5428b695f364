package dev.cnnc.processor.emit;

import dev.cnnc.Activation;
import dev.cnnc.processor.model.LayerModel;
import dev.cnnc.processor.model.NetworkModel;
import java.util.ArrayList;
import java.util.List;

/**
 * The layers of one network as the writers walk them: their emitters and the names of the buffers
 * between them ({@code input}, then {@code <layer>Out}, and {@code <layer>Grad} for gradients).
 */
final class Pipeline {
    private final NetworkModel network;
    private final List<LayerEmitter> emitters = new ArrayList<>();

    Pipeline(NetworkModel network) {
        this.network = network;
        for (LayerModel layer : network.layers()) {
            emitters.add(LayerEmitter.of(layer));
        }
    }

    List<LayerEmitter> emitters() {
        return emitters;
    }

    int size() {
        return emitters.size();
    }

    LayerEmitter last() {
        return emitters.get(emitters.size() - 1);
    }

    boolean endsWithSoftmax() {
        return network.last().activation() == Activation.SOFTMAX;
    }

    /** Name of the buffer that holds layer {@code index}'s output; index -1 is the input image. */
    String output(int index) {
        return index < 0 ? "input" : emitters.get(index).layer().name() + "Out";
    }

    /** Name of the buffer that holds dL/d(output of layer {@code index}). */
    String gradient(int index) {
        return emitters.get(index).layer().name() + "Grad";
    }

    /** Every layer's forward scratch buffers, in layer order. */
    List<ScratchBuffer> forwardScratch() {
        List<ScratchBuffer> buffers = new ArrayList<>();
        for (LayerEmitter emitter : emitters) {
            buffers.addAll(emitter.forwardScratch());
        }
        return buffers;
    }

    /** Length of layer {@code index}'s output; index -1 is the input image. */
    long outputSize(int index) {
        return index < 0 ? network.input().size() : emitters.get(index).layer().output().size();
    }

    /**
     * Index of the first dense layer, or {@link #size()} if there is none: the layers before it are
     * convolutions and pools (a dense layer's output is flat, so only dense layers can follow it).
     */
    int firstDense() {
        int i = 0;
        while (i < emitters.size() && !(emitters.get(i) instanceof DenseEmitter)) {
            i++;
        }
        return i;
    }

    /** The first layer with parameters: backward stops there (nothing below it needs a gradient). */
    int firstTrainable() {
        for (int i = 0; i < emitters.size(); i++) {
            if (emitters.get(i).hasParameters()) {
                return i;
            }
        }
        return emitters.size();
    }
}
