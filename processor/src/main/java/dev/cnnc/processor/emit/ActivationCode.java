package dev.cnnc.processor.emit;

import com.palantir.javapoet.CodeBlock;
import dev.cnnc.Activation;

/**
 * The element-wise activations, forward and derivative side by side. The derivative is written in
 * terms of the activation's output {@code y}, so a backward pass needs only the stored outputs:
 * RELU {@code y > 0} (a bit mask), SIGMOID {@code y (1 - y)}, TANH {@code 1 - y^2}, LINEAR {@code 1}. SOFTMAX is
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
        CodeBlock.Builder code = CodeBlock.builder();
        switch (activation) {
            case RELU -> code.add("// y = max(0, z) is +0, positive or NaN, so y <= 0 means y's bits are 0: dL/dz is dL/dy\n")
                    .add("// where they are not, else +0, by a mask rather than a branch (whether a unit was active is\n")
                    .add("// a coin toss on real data, which a branch predictor loses)\n")
                    .beginControlFlow("for (int i = 0; i < $L; i++)", length)
                    .addStatement("int active = Float.floatToRawIntBits($N[i])", output)
                    .addStatement("$N[i] = Float.intBitsToFloat(Float.floatToRawIntBits($N[i]) & ((active | -active) >> 31))",
                            gradient, gradient)
                    .endControlFlow();
            case SIGMOID -> code.beginControlFlow("for (int i = 0; i < $L; i++)", length)
                    .addStatement("$N[i] *= $N[i] * (1f - $N[i])", gradient, output, output)
                    .endControlFlow();
            case TANH -> code.beginControlFlow("for (int i = 0; i < $L; i++)", length)
                    .addStatement("$N[i] *= 1f - $N[i] * $N[i]", gradient, output, output)
                    .endControlFlow();
            case LINEAR, SOFTMAX -> { }
        }
        return code.build();
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
