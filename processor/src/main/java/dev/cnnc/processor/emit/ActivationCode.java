package dev.cnnc.processor.emit;

import com.palantir.javapoet.CodeBlock;
import dev.cnnc.Activation;

/**
 * The element-wise activations, forward and derivative side by side. The derivative is written in
 * terms of the activation's output {@code y}, so a backward pass needs only the stored outputs:
 * RELU {@code y > 0}, SIGMOID {@code y (1 - y)}, TANH {@code 1 - y^2}, LINEAR {@code 1}. SOFTMAX is
 * not element-wise and lives in {@link SoftmaxCode}.
 */
final class ActivationCode {
    private ActivationCode() {}

    /** A loop applying {@code activation} in place to {@code array[0 .. length)}; empty for LINEAR. */
    static CodeBlock forward(Activation activation, String array, long length) {
        String expression = switch (activation) {
            case RELU -> "Math.max(0f, $N[i])"; // Math.max keeps NaN visible, as PyTorch's relu does
            case SIGMOID -> "(float) (1.0 / (1.0 + Math.exp(-$N[i])))";
            case TANH -> "(float) Math.tanh($N[i])";
            case LINEAR, SOFTMAX -> null;
        };
        if (expression == null) {
            return CodeBlock.of("");
        }
        return CodeBlock.builder()
                .beginControlFlow("for (int i = 0; i < $L; i++)", length)
                .addStatement("$N[i] = " + expression, array, array)
                .endControlFlow()
                .build();
    }

    /** The activation of one value as an expression, e.g. {@code Math.max(0f, row[ox])}. */
    static String apply(Activation activation, String value) {
        return switch (activation) {
            case RELU -> "Math.max(0f, " + value + ")";
            case SIGMOID -> "(float) (1.0 / (1.0 + Math.exp(-" + value + ")))";
            case TANH -> "(float) Math.tanh(" + value + ")";
            case LINEAR, SOFTMAX -> value;
        };
    }

    /**
     * A loop turning {@code gradient} (dL/dy) into dL/dz in place, from the outputs {@code y}; empty
     * for LINEAR.
     */
    static CodeBlock backward(Activation activation, String gradient, String output, long length) {
        String statement = switch (activation) {
            case RELU -> "if ($N[i] <= 0f) $N[i] = 0f";
            case SIGMOID -> "$N[i] *= $N[i] * (1f - $N[i])";
            case TANH -> "$N[i] *= 1f - $N[i] * $N[i]";
            case LINEAR, SOFTMAX -> null;
        };
        if (statement == null) {
            return CodeBlock.of("");
        }
        CodeBlock.Builder code = CodeBlock.builder().beginControlFlow("for (int i = 0; i < $L; i++)", length);
        switch (activation) {
            case RELU -> code.addStatement(statement, output, gradient);
            default -> code.addStatement(statement, gradient, output, output);
        }
        return code.endControlFlow().build();
    }

    /** The formula for comments. */
    static String formula(Activation activation) {
        return switch (activation) {
            case RELU -> "max(0, z)";
            case SIGMOID -> "1 / (1 + exp(-z))";
            case TANH -> "tanh(z)";
            case LINEAR -> "z";
            case SOFTMAX -> "softmax(z)";
        };
    }
}
