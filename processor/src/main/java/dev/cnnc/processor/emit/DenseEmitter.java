package dev.cnnc.processor.emit;

import com.palantir.javapoet.MethodSpec;
import dev.cnnc.Activation;
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

    /** Inputs per step of a unit's sum; both forward forms add them in the same order (see below). */
    private static final int INPUTS_PER_STEP = 4;

    /** Units rounded up to 16 floats (one AVX-512 vector): the row length of the transposed weights. */
    int paddedUnits() {
        return (units + 15) / 16 * 16;
    }

    /**
     * Scalar form, reading {@code W} from the flat parameters (the trainable model's form: its weights
     * change every step). Each unit starts from its bias and adds the inputs four at a time,
     * {@code z += x[k]w[k] + x[k+1]w[k+1] + x[k+2]w[k+2] + x[k+3]w[k+3]}, in exactly the order of
     * {@link #forwardColumns()}, so the two forms agree bit for bit.
     */
    @Override
    public MethodSpec forward() {
        MethodSpec.Builder method = MethodSpec.methodBuilder(forwardName())
                .addModifiers(Modifier.STATIC)
                .addJavadoc(shapes() + "\n")
                .addJavadoc("z[u] = b[u] + sum_i w[u][i] * x[i]; y = " + ActivationCode.formula(dense.activation())
                        + "\n")
                .addJavadoc("Adds in the order of {@code $N}, so both give the same bits.\n", columnsForwardName())
                .addParameter(float[].class, "p")
                .addParameter(float[].class, "in")
                .addParameter(float[].class, "out")
                .addComment("$L units per pass: independent running sums that share the loads of x", UNITS_PER_DOT_BLOCK);
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

    /** Sums of units {@code u .. u + count - 1}: bias, then the inputs four at a time. */
    private void dotBlock(MethodSpec.Builder method, int count) {
        int steps = inputs / INPUTS_PER_STEP * INPUTS_PER_STEP;
        for (int j = 0; j < count; j++) {
            method.addStatement("int row$L = $L", j, Terms.offset(dense.paramOffset(), "(u" + Terms.plus(j) + ") * " + inputs))
                    .addStatement("float z$L = p[$L + u$L]", j, dense.biasOffset(), Terms.plus(j));
        }
        method.addStatement("int i = 0")
                .beginControlFlow("for (; i < $L; i += $L)", steps, INPUTS_PER_STEP);
        for (int k = 0; k < INPUTS_PER_STEP; k++) {
            method.addStatement("float x$L = in[i$L]", k, Terms.plus(k));
        }
        for (int j = 0; j < count; j++) {
            StringBuilder sum = new StringBuilder();
            for (int k = 0; k < INPUTS_PER_STEP; k++) {
                sum.append(k == 0 ? "" : " + ").append("x").append(k).append(" * p[row").append(j).append(" + i")
                        .append(Terms.plus(k)).append("]");
            }
            method.addStatement("z$L += $L", j, sum);
        }
        method.endControlFlow();
        if (steps < inputs) {
            method.beginControlFlow("for (; i < $L; i++)", inputs);
            for (int j = 0; j < count; j++) {
                method.addStatement("z$L += in[i] * p[row$L + i]", j, j);
            }
            method.endControlFlow();
        }
        for (int j = 0; j < count; j++) {
            method.addStatement("out[u$L] = z$L", Terms.plus(j), j);
        }
    }

    String columnsForwardName() {
        return dense.name() + "ForwardColumns";
    }

    String columnsName() {
        return dense.name() + "Columns";
    }

    /**
     * Whether {@link #forwardColumns()} skips groups of four zero inputs. A zero input adds a signed zero
     * to every sum when its weights are finite, which can change a sum only from -0 to +0, and ReLU's
     * {@code Math.max(0f, z)} maps both to +0; so for RELU layers the skip keeps every bit, provided no
     * weight is NaN or infinite (0 times those is NaN), which {@link #columns()} records. Measured on
     * CifarLeNet's fc1 (a third of its inputs zero, a sixth of the groups): 3.0-3.2 -> 2.7-3.0 us (JDK 17).
     */
    private boolean skipsZeroGroups() {
        return dense.activation() == Activation.RELU && inputs >= INPUTS_PER_STEP;
    }

    /** The row of the columns array after the bias whose first float is 1 if every weight is finite. */
    private int finiteRow() {
        return inputs + 1;
    }

    /**
     * Rows of the array {@link #columns()} fills, each of at least {@link #paddedUnits()} floats: one per
     * input, the bias, and for a layer that skips zero inputs the row recording that every weight is finite.
     */
    int columnRows() {
        return skipsZeroGroups() ? inputs + 2 : inputs + 1;
    }

    /**
     * {@code static void <name>Columns(float[] p, float[][] columns)}: W transposed, one row per input
     * ({@code [i][u] = W[u][i]}), then the bias as the last row, each row zero-padded to
     * {@link #paddedUnits()} floats (the padding is never written). The inference class fills it once
     * from its fixed parameters, the trainable model once per run of samples. Row by row: the writes
     * are sequential and the strided reads of a run of 16 rows share their cache lines.
     */
    MethodSpec columns() {
        MethodSpec.Builder method = MethodSpec.methodBuilder(columnsName())
                .addModifiers(Modifier.STATIC)
                .addJavadoc("$L's weights transposed for $N: [i][u] = W[u][i] for the $L inputs, then the bias;\n",
                        dense.name(), columnsForwardName(), inputs)
                .addJavadoc("rows of $L (the units past $L stay zero).\n", paddedUnits(), units)
                .addParameter(float[].class, "p")
                .addParameter(float[][].class, "columns");
        String weight = "p[" + Terms.offset(dense.paramOffset(), "u * " + inputs + " + i") + "]";
        if (skipsZeroGroups()) {
            method.addJavadoc("Then, in row $L, 1 if every weight is finite, else 0: only then may $N skip zero inputs.\n",
                            finiteRow(), columnsForwardName())
                    .addComment("the largest weight magnitude's bits (NaN and the infinities lie above every finite float's)")
                    .addStatement("int largest = 0");
        }
        method.beginControlFlow("for (int i = 0; i < $L; i++)", inputs)
                .addStatement("float[] column = columns[i]")
                .beginControlFlow("for (int u = 0; u < $L; u++)", units)
                .addStatement("float w = $L", weight)
                .addStatement("column[u] = w");
        if (skipsZeroGroups()) {
            method.addStatement("largest = Math.max(largest, Float.floatToRawIntBits(w) & 0x7fffffff)");
        }
        method.endControlFlow()
                .endControlFlow()
                .addStatement("$T.arraycopy(p, $L, columns[$L], 0, $L)", System.class, dense.biasOffset(), inputs, units);
        if (skipsZeroGroups()) {
            method.addStatement("columns[$L][0] = largest < 0x7f800000 ? 1f : 0f", finiteRow());
        }
        return method.build();
    }

    /**
     * Vector form over transposed weights: {@code z[:] += x[k] * columns[k][:] + ...}, every array
     * indexed by the unit alone (the loop C2 vectorizes; a dot product over {@code p[row + i]} it does
     * not). {@code sums} holds the padded units; the activation writes the first {@code units} to out.
     */
    MethodSpec forwardColumns() {
        MethodSpec.Builder method = MethodSpec.methodBuilder(columnsForwardName())
                .addModifiers(Modifier.STATIC)
                .addJavadoc(shapes() + ", over {@code $N}'s transposed weights\n", columnsName())
                .addJavadoc("z[u] = b[u] + sum_i x[i] * columns[i][u]; y = " + ActivationCode.formula(dense.activation())
                        + "\n")
                .addParameter(float[][].class, "columns")
                .addParameter(float[].class, "in")
                .addParameter(float[].class, "out")
                .addParameter(float[].class, "sums")
                .addStatement("float[] bias = columns[$L]", inputs)
                .beginControlFlow("for (int u = 0; u < $L; u++)", paddedUnits())
                .addStatement("sums[u] = bias[u]")
                .endControlFlow();
        int steps = inputs / INPUTS_PER_STEP * INPUTS_PER_STEP;
        if (skipsZeroGroups()) {
            method.addComment("zero inputs add only signed zeros, which ReLU maps to +0: a group of four is skipped")
                    .addComment("with the same bits, unless a weight is NaN or infinite ($N's last row)", columnsName())
                    .addStatement("boolean finite = columns[$L][0] != 0f", finiteRow());
        }
        method.addStatement("int i = 0")
                .beginControlFlow("for (; i < $L; i += $L)", steps, INPUTS_PER_STEP);
        StringBuilder sum = new StringBuilder();
        StringBuilder anyBits = new StringBuilder();
        for (int k = 0; k < INPUTS_PER_STEP; k++) {
            method.addStatement("float x$L = in[i$L]", k, Terms.plus(k));
            sum.append(k == 0 ? "" : " + ").append("x").append(k).append(" * c").append(k).append("[u]");
            anyBits.append(k == 0 ? "" : " | ").append("Float.floatToRawIntBits(x").append(k).append(")");
        }
        if (skipsZeroGroups()) {
            method.beginControlFlow("if (finite && (($L) & 0x7fffffff) == 0)", anyBits)
                    .addStatement("continue")
                    .endControlFlow();
        }
        for (int k = 0; k < INPUTS_PER_STEP; k++) {
            method.addStatement("float[] c$L = columns[i$L]", k, Terms.plus(k));
        }
        method.beginControlFlow("for (int u = 0; u < $L; u++)", paddedUnits())
                .addStatement("sums[u] += $L", sum)
                .endControlFlow()
                .endControlFlow();
        if (steps < inputs) {
            method.beginControlFlow("for (; i < $L; i++)", inputs)
                    .addStatement("float x = in[i]")
                    .addStatement("float[] c = columns[i]")
                    .beginControlFlow("for (int u = 0; u < $L; u++)", paddedUnits())
                    .addStatement("sums[u] += x * c[u]")
                    .endControlFlow()
                    .endControlFlow();
        }
        return method.beginControlFlow("for (int u = 0; u < $L; u++)", units)
                .addStatement("out[u] = $L", ActivationCode.apply(dense.activation(), "sums[u]"))
                .endControlFlow()
                .build();
    }

    /** The padded sums {@link #forwardColumns()} works in, one per thread. */
    ScratchBuffer sumsBuffer() {
        return new ScratchBuffer(dense.name() + "Sums", 0, paddedUnits(),
                dense.name() + ": the " + paddedUnits() + " padded sums of the transposed-weights form");
    }

    /**
     * Rows of W and dW handled per backward loop: two units share each load of {@code x} and
     * {@code dx} (measured on JDK 17: four units per loop body is no longer vectorized).
     */
    private static final int UNITS_PER_BLOCK = 2;
    /** Units per scalar forward pass: four independent running sums that share the loads of {@code x}. */
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
        buffers.add(ScratchBuffer.ints(dense.name() + "Picked", units, dense.name() + ": the units whose dL/dz is not zero"));
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
        method.addParameter(int[].class, "picked");
        method.addCode(ActivationCode.backward(dense.activation(), "dOut", "out", units));
        if (inputGradient) {
            method.beginControlFlow("for (int i = 0; i < $L; i++)", inputs)
                    .addStatement("dIn[i] = 0f")
                    .endControlFlow();
        }
        method.beginControlFlow("for (int u = 0; u < $L; u++)", units)
                .addStatement("g[$L + u] += dOut[u]", dense.biasOffset())
                .endControlFlow()
                .addComment("a unit whose dz is zero adds nothing to dW or dx: its rows are left out");
        NonzeroTerms.collect(method, "u", Integer.toString(units), "dOut[u]", false);
        method.addStatement("int q = 0")
                .beginControlFlow("for (; q + $L <= count; q += $L)", UNITS_PER_BLOCK, UNITS_PER_BLOCK);
        unitBlock(method, UNITS_PER_BLOCK, inputGradient);
        method.endControlFlow()
                .beginControlFlow("for (; q < count; q++)");
        unitBlock(method, 1, inputGradient);
        method.endControlFlow();
        return method.build();
    }

    private void unitBlock(MethodSpec.Builder method, int count, boolean inputGradient) {
        for (int j = 0; j < count; j++) {
            method.addStatement("int u$L = picked[q$L]", j, Terms.plus(j))
                    .addStatement("float d$L = dOut[u$L]", j, j)
                    .addStatement("int row$L = $L", j, Terms.offset(dense.paramOffset(), "u" + j + " * " + inputs))
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
