package dev.cnnc.processor.emit;

import com.palantir.javapoet.CodeBlock;
import com.palantir.javapoet.MethodSpec;
import javax.lang.model.element.Modifier;

/**
 * Softmax and the softmax cross-entropy loss, in their numerically stable forms:
 * {@code p_i = exp(z_i - max z) / sum_j exp(z_j - max z)} and
 * {@code L = log(sum_j exp(z_j - max z)) + max z - z_label}; {@code dL/dz_i = p_i - [i == label]}.
 */
final class SoftmaxCode {
    private SoftmaxCode() {}

    /** Leaves {@code max} and {@code sum} (of exp(z - max)) in locals and softmax(logits) in {@code target}. */
    private static CodeBlock normalizedExponentials(int length, String target) {
        return CodeBlock.builder()
                .addStatement("float max = logits[0]")
                .beginControlFlow("for (int i = 1; i < $L; i++)", length)
                .addStatement("if (logits[i] > max) max = logits[i]")
                .endControlFlow()
                .addStatement("double sum = 0")
                .beginControlFlow("for (int i = 0; i < $L; i++)", length)
                .addStatement("float e = (float) Math.exp(logits[i] - max)")
                .addStatement("$N[i] = e", target)
                .addStatement("sum += e")
                .endControlFlow()
                .addStatement("float scale = (float) (1.0 / sum)")
                .beginControlFlow("for (int i = 0; i < $L; i++)", length)
                .addStatement("$N[i] *= scale", target)
                .endControlFlow()
                .build();
    }

    /** {@code static void softmax(float[] logits, float[] probabilities)}. */
    static MethodSpec softmax(int length) {
        return MethodSpec.methodBuilder("softmax")
                .addModifiers(Modifier.STATIC)
                .addJavadoc("Softmax over $L logits: p_i = exp(z_i - max z) / sum_j exp(z_j - max z).\n", length)
                .addParameter(float[].class, "logits")
                .addParameter(float[].class, "probabilities")
                .addCode(normalizedExponentials(length, "probabilities"))
                .build();
    }

    /**
     * {@code static float crossEntropy(float[] logits, int label, float[] gradient)}: returns the loss
     * and writes {@code dL/dz = softmax(z) - onehot(label)} into {@code gradient}.
     */
    static MethodSpec crossEntropy(int length) {
        return MethodSpec.methodBuilder("crossEntropy")
                .addModifiers(Modifier.STATIC)
                .returns(float.class)
                .addJavadoc("Softmax cross-entropy of $L logits: L = log(sum_j exp(z_j - max z)) + max z - z_label;\n"
                        + "writes dL/dz = softmax(z) - onehot(label) into {@code gradient}.\n", length)
                .addParameter(float[].class, "logits")
                .addParameter(int.class, "label")
                .addParameter(float[].class, "gradient")
                .addCode(normalizedExponentials(length, "gradient"))
                .addStatement("gradient[label] -= 1f")
                .addStatement("return (float) (Math.log(sum) + max - logits[label])")
                .build();
    }
}
