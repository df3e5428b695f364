package dev.cnnc.processor.emit;

import com.palantir.javapoet.MethodSpec;
import dev.cnnc.processor.model.LayerModel;
import dev.cnnc.processor.model.LayerModel.DenseLayer;
import java.util.ArrayList;
import java.util.List;
import javax.lang.model.element.Modifier;

/**
 * Fully connected layer, forward and backward: {@code W (units, inputs) @ x (inputs,) + b -> z (units,)}.
 * The input is the previous activation in its flat CHW order, which is PyTorch's flatten.
 */
final class DenseEmitter implements LayerEmitter {
    private final DenseLayer dense;
    private final int inputs;
    private final int units;

    DenseEmitter(DenseLayer dense) {
        this.dense = dense;
        this.inputs = dense.inputs();
        this.units = dense.units();
    }

    @Override
    public LayerModel layer() {
        return dense;
    }

    private String shapes() {
        return String.format("%s: %s -> %d, W (%d, %d) @ x (%d,) + b (%d,)", dense.name(),
                dense.input().flat() ? Integer.toString(inputs) : dense.input() + " flattened (CHW) = " + inputs,
                units, units, inputs, inputs, units);
    }

    @Override
    public MethodSpec forward() {
        MethodSpec.Builder method = MethodSpec.methodBuilder(forwardName())
                .addModifiers(Modifier.STATIC)
                .addJavadoc(shapes() + "\n")
                .addJavadoc("z[u] = sum_i w[u][i] * x[i] + b[u]; y = " + ActivationCode.formula(dense.activation())
                        + "\n")
                .addParameter(float[].class, "p")
                .addParameter(float[].class, "in")
                .addParameter(float[].class, "out")
                .addComment("four independent partial sums per unit (a single running sum would wait on every addition),")
                .addComment("four units per pass so they share the loads of x");
        int blocked = units / UNITS_PER_DOT_BLOCK * UNITS_PER_DOT_BLOCK;
        if (blocked > 0) {
            method.beginControlFlow("for (int u = 0; u < $L; u += $L)", blocked, UNITS_PER_DOT_BLOCK);
            dotBlock(method, UNITS_PER_DOT_BLOCK);
            method.endControlFlow();
        }
        if (blocked < units) {
            method.beginControlFlow("for (int u = $L; u < $L; u++)", blocked, units);
            dotBlock(method, 1);
            method.endControlFlow();
        }
        return method.addCode(ActivationCode.forward(dense.activation(), "out", units)).build();
    }

    /** Dot products of units {@code u .. u + count - 1} with x, each as four partial sums added pairwise. */
    private void dotBlock(MethodSpec.Builder method, int count) {
        int quads = inputs / 4 * 4;
        for (int j = 0; j < count; j++) {
            method.addStatement("int row$L = $L", j, Terms.offset(dense.paramOffset(), "(u" + Terms.plus(j) + ") * " + inputs))
                    .addStatement("float sum$L0 = 0f, sum$L1 = 0f, sum$L2 = 0f, sum$L3 = 0f", j, j, j, j);
        }
        method.addStatement("int i = 0")
                .beginControlFlow("for (; i < $L; i += 4)", quads);
        for (int k = 0; k < 4; k++) {
            method.addStatement("float x$L = in[i$L]", k, Terms.plus(k));
        }
        for (int j = 0; j < count; j++) {
            for (int k = 0; k < 4; k++) {
                method.addStatement("sum$L$L += p[row$L + i$L] * x$L", j, k, j, Terms.plus(k), k);
            }
        }
        method.endControlFlow();
        if (quads < inputs) {
            method.beginControlFlow("for (; i < $L; i++)", inputs);
            for (int j = 0; j < count; j++) {
                method.addStatement("sum$L0 += p[row$L + i] * in[i]", j, j);
            }
            method.endControlFlow();
        }
        for (int j = 0; j < count; j++) {
            method.addStatement("out[u$L] = (sum$L0 + sum$L1) + (sum$L2 + sum$L3) + p[$L + u$L]", Terms.plus(j), j, j, j, j,
                    dense.biasOffset(), Terms.plus(j));
        }
    }

    /**
     * Rows of W and dW handled per backward loop: two units share each load of {@code x} and
     * {@code dx} (measured on JDK 17: four units per loop body is no longer vectorized).
     */
    private static final int UNITS_PER_BLOCK = 2;
    /** Units per forward pass: sixteen scalar partial sums that share the loads of {@code x}. */
    private static final int UNITS_PER_DOT_BLOCK = 4;

    @Override
    public List<ScratchBuffer> backwardScratch(boolean inputGradient) {
        List<ScratchBuffer> buffers = new ArrayList<>();
        buffers.add(new ScratchBuffer(dense.name() + "GradientRows", UNITS_PER_BLOCK, inputs,
                dense.name() + ": rows of dL/dW copied out of g and back (so every array in the loop starts at 0)"));
        if (inputGradient) {
            buffers.add(new ScratchBuffer(dense.name() + "WeightRows", UNITS_PER_BLOCK, inputs,
                    dense.name() + ": rows of W copied out of the parameters"));
        }
        return buffers;
    }

    /**
     * Row-major AXPY form: for a block of units, copy their rows of g (and of W) into row buffers,
     * then one loop over the inputs updates {@code dW[u][:] += dz[u] * x} and {@code dx += dz[u] * W[u][:]}
     * with every array indexed by {@code i} alone (C2 vectorizes that, not {@code g[row + i]}).
     */
    @Override
    public MethodSpec backward(boolean inputGradient) {
        MethodSpec.Builder method = MethodSpec.methodBuilder(backwardName())
                .addModifiers(Modifier.STATIC)
                .addJavadoc("Backward of " + shapes() + "\n")
                .addJavadoc("dz = dy * act'(y); db += dz; dW += dz (x) x (outer product)"
                        + (inputGradient ? "; dx = W^T dz" : "") + "\n")
                .addParameter(float[].class, "p")
                .addParameter(float[].class, "g")
                .addParameter(float[].class, "in")
                .addParameter(float[].class, "out")
                .addParameter(float[].class, "dOut");
        if (inputGradient) {
            method.addParameter(float[].class, "dIn");
        }
        method.addParameter(float[][].class, "gradientRows");
        if (inputGradient) {
            method.addParameter(float[][].class, "weightRows");
        }
        method.addCode(ActivationCode.backward(dense.activation(), "dOut", "out", units));
        if (inputGradient) {
            method.beginControlFlow("for (int i = 0; i < $L; i++)", inputs)
                    .addStatement("dIn[i] = 0f")
                    .endControlFlow();
        }
        int blocked = units / UNITS_PER_BLOCK * UNITS_PER_BLOCK;
        if (blocked > 0) {
            method.beginControlFlow("for (int u = 0; u < $L; u += $L)", blocked, UNITS_PER_BLOCK);
            unitBlock(method, UNITS_PER_BLOCK, inputGradient);
            method.endControlFlow();
        }
        if (blocked < units) {
            method.beginControlFlow("for (int u = $L; u < $L; u++)", blocked, units);
            unitBlock(method, 1, inputGradient);
            method.endControlFlow();
        }
        return method.build();
    }

    private void unitBlock(MethodSpec.Builder method, int count, boolean inputGradient) {
        for (int j = 0; j < count; j++) {
            method.addStatement("float d$L = dOut[u$L]", j, Terms.plus(j))
                    .addStatement("g[$L + u$L] += d$L", dense.biasOffset(), Terms.plus(j), j)
                    .addStatement("int row$L = $L", j, Terms.offset(dense.paramOffset(), "(u" + Terms.plus(j) + ") * " + inputs))
                    .addStatement("float[] dw$L = gradientRows[$L]", j, j)
                    .addStatement("$T.arraycopy(g, row$L, dw$L, 0, $L)", System.class, j, j, inputs);
            if (inputGradient) {
                method.addStatement("float[] w$L = weightRows[$L]", j, j)
                        .addStatement("$T.arraycopy(p, row$L, w$L, 0, $L)", System.class, j, j, inputs);
            }
        }
        method.beginControlFlow("for (int i = 0; i < $L; i++)", inputs)
                .addStatement("float x = in[i]");
        StringBuilder dx = new StringBuilder();
        for (int j = 0; j < count; j++) {
            method.addStatement("dw$L[i] += d$L * x", j, j);
            dx.append(j == 0 ? "" : " + ").append("d").append(j).append(" * w").append(j).append("[i]");
        }
        if (inputGradient) {
            method.addStatement("dIn[i] += $L", dx);
        }
        method.endControlFlow();
        for (int j = 0; j < count; j++) {
            method.addStatement("$T.arraycopy(dw$L, 0, g, row$L, $L)", System.class, j, j, inputs);
        }
    }
}
