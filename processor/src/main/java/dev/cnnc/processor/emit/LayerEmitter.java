package dev.cnnc.processor.emit;

import com.palantir.javapoet.CodeBlock;
import com.palantir.javapoet.MethodSpec;
import dev.cnnc.processor.model.LayerModel;
import java.util.List;

/**
 * Emits one layer's forward and backward methods, side by side, with every size, stride and offset a
 * literal. Arrays are flat CHW; parameters are read from the flat array {@code p} at the layer's
 * offsets.
 *
 * <p>Forward: {@code static void <name>Forward([float[] p,] float[] in, float[] out)} computes the
 * layer's output including its activation (the logits for a SOFTMAX layer).
 *
 * <p>Backward: {@code static void <name>Backward([float[] p, float[] g,] float[] in, float[] out,
 * float[] dOut[, float[] dIn])} turns {@code dOut} (dL/dy, overwritten with dL/dz) into parameter
 * gradients added to {@code g} and, when asked, the input gradient written to {@code dIn}.
 *
 * <p>Forward takes the layer's {@link #forwardScratch()} buffers after its arrays; backward takes the
 * ones it reads again ({@link #forwardScratchReadBack()}) and then its own
 * {@link #backwardScratch(boolean)}.
 */
interface LayerEmitter {

    LayerModel layer();

    /** Whether forward and backward take the parameter arrays. */
    default boolean hasParameters() {
        return layer().params() > 0;
    }

    MethodSpec forward();

    /** Per-thread buffers of the forward pass (e.g. shifted input copies). */
    default List<ScratchBuffer> forwardScratch() {
        return List.of();
    }

    /**
     * A call of {@link #forward()}: {@code <name>Forward([p, ]in, out, scratch.<buffer>...)}, with the
     * expressions of its input and output arrays and of the object holding its forward buffers.
     */
    default CodeBlock forwardCall(String in, String out, String scratch) {
        CodeBlock.Builder call = CodeBlock.builder().add("$N(", forwardName());
        if (hasParameters()) {
            call.add("p, ");
        }
        call.add("$L, $L", in, out);
        for (ScratchBuffer buffer : forwardScratch()) {
            call.add(", $L.$N", scratch, buffer.name());
        }
        return call.add(")").build();
    }

    /** The forward buffers that backward reads again, in the order it takes them. */
    default List<ScratchBuffer> forwardScratchReadBack() {
        return forwardScratch();
    }

    /**
     * Per-thread buffers only the backward pass uses.
     *
     * @param inputGradient whether backward also computes {@code dIn}
     */
    default List<ScratchBuffer> backwardScratch(boolean inputGradient) {
        return List.of();
    }

    /** @param inputGradient whether to compute {@code dIn} (not needed below the first trainable layer) */
    MethodSpec backward(boolean inputGradient);

    default String forwardName() {
        return layer().name() + "Forward";
    }

    default String backwardName() {
        return layer().name() + "Backward";
    }

    static LayerEmitter of(LayerModel layer) {
        if (layer instanceof LayerModel.ConvLayer conv) {
            return new ConvEmitter(conv);
        }
        if (layer instanceof LayerModel.PoolLayer pool) {
            return new PoolEmitter(pool);
        }
        return new DenseEmitter((LayerModel.DenseLayer) layer);
    }
}
