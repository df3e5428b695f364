package dev.cnnc.processor.emit;

import com.palantir.javapoet.MethodSpec;
import dev.cnnc.processor.model.LayerModel;
import dev.cnnc.processor.model.LayerModel.DenseLayer;
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
        return MethodSpec.methodBuilder(forwardName())
                .addModifiers(Modifier.STATIC)
                .addJavadoc(shapes() + "\n")
                .addJavadoc("z[u] = sum_i w[u][i] * x[i] + b[u]; y = " + ActivationCode.formula(dense.activation())
                        + "\n")
                .addParameter(float[].class, "p")
                .addParameter(float[].class, "in")
                .addParameter(float[].class, "out")
                .addComment("four independent partial sums: a single running sum would wait on every addition")
                .beginControlFlow("for (int u = 0; u < $L; u++)", units)
                .addStatement("int row = $L", Terms.offset(dense.paramOffset(), "u * " + inputs))
                .addStatement("float sum0 = 0f, sum1 = 0f, sum2 = 0f, sum3 = 0f")
                .addStatement("int i = 0")
                .beginControlFlow("for (; i < $L; i += 4)", inputs / 4 * 4)
                .addStatement("sum0 += p[row + i] * in[i]")
                .addStatement("sum1 += p[row + i + 1] * in[i + 1]")
                .addStatement("sum2 += p[row + i + 2] * in[i + 2]")
                .addStatement("sum3 += p[row + i + 3] * in[i + 3]")
                .endControlFlow()
                .beginControlFlow("for (; i < $L; i++)", inputs)
                .addStatement("sum0 += p[row + i] * in[i]")
                .endControlFlow()
                .addStatement("out[u] = (sum0 + sum1) + (sum2 + sum3) + p[$L + u]", dense.biasOffset())
                .endControlFlow()
                .addCode(ActivationCode.forward(dense.activation(), "out", units))
                .build();
    }

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
        method.addCode(ActivationCode.backward(dense.activation(), "dOut", "out", units));
        if (inputGradient) {
            method.beginControlFlow("for (int i = 0; i < $L; i++)", inputs)
                    .addStatement("dIn[i] = 0f")
                    .endControlFlow();
        }
        method.beginControlFlow("for (int u = 0; u < $L; u++)", units)
                .addStatement("float d = dOut[u]")
                .addStatement("g[$L + u] += d", dense.biasOffset())
                .addStatement("int row = $L", Terms.offset(dense.paramOffset(), "u * " + inputs))
                .beginControlFlow("for (int i = 0; i < $L; i++)", inputs)
                .addStatement("g[row + i] += d * in[i]");
        if (inputGradient) {
            method.addStatement("dIn[i] += d * p[row + i]");
        }
        return method.endControlFlow().endControlFlow().build();
    }
}
