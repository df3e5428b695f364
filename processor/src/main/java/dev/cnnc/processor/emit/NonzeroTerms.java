package dev.cnnc.processor.emit;

import com.palantir.javapoet.MethodSpec;

/**
 * Generated code that lists the terms of a backward sum whose coefficient dL/dz is not zero, so the
 * loops that follow leave the zeros out (after a ReLU about half are zero, after 2x2 max pooling
 * three in four). A zero coefficient times a finite value adds nothing. The list is built without
 * branches: whether a unit passed a gradient is a coin toss on real data, which a branch predictor
 * loses. The test is on the float's bits: C2 compiles {@code count += d != 0f ? 1 : 0} into a
 * branch or a conditional move depending on how often its profile saw zeros. In a harness of CIFAR
 * LeNet's conv1 weight gradient the comparison branched at 12.5% nonzero terms (33 us per image,
 * 27 with the bits) and moved at 25% (both the same); training that network measures 23.5% for conv1
 * and 16.8% for conv2. Writes {@code int count} and fills the method's {@code picked} (and
 * {@code coefficients}).
 */
final class NonzeroTerms {
    private NonzeroTerms() {}

    /**
     * {@code count} = how many {@code variable} in {@code [0, end)} have {@code coefficient != 0};
     * their {@code variable} goes to {@code picked}, and their coefficient to {@code coefficients}
     * when {@code withCoefficients}.
     */
    static void collect(MethodSpec.Builder method, String variable, String end, String coefficient,
            boolean withCoefficients) {
        method.addComment("the terms whose dL/dz is not zero, counted without branches")
                .addStatement("int count = 0")
                .beginControlFlow("for (int $L = 0; $L < $L; $L++)", variable, variable, end, variable)
                .addStatement("float d = $L", coefficient)
                .addStatement("picked[count] = $L", variable);
        if (withCoefficients) {
            method.addStatement("coefficients[count] = d");
        }
        method.addComment("d's bits shifted out of the sign are 0 only for +0 and -0; (m | -m) >>> 31 is 1 for any other m")
                .addStatement("int magnitude = Float.floatToRawIntBits(d) << 1")
                .addStatement("count += (magnitude | -magnitude) >>> 31")
                .endControlFlow();
    }

    /** Pads the list to a multiple of {@code perLoop} with {@code zeroIndex} (a zero row) and coefficient 0. */
    static void pad(MethodSpec.Builder method, int perLoop, String zeroIndex, String what) {
        method.addComment("the last loop's missing terms: $L with coefficient 0", what)
                .beginControlFlow("for (; count % $L != 0; count++)", perLoop)
                .addStatement("picked[count] = $L", zeroIndex)
                .addStatement("coefficients[count] = 0f")
                .endControlFlow();
    }

    /**
     * The sum over the listed terms, {@code perLoop} per loop over the row entries j:
     * {@code target += d0 * x0[j] + d1 * x1[j] + ...}, where {@code xk = rows[picked[q + k]]} and
     * {@code dk = coefficients[q + k]} (every array in the inner loop indexed by j: the form C2
     * vectorizes). {@code target} is written in terms of {@code j}, e.g. {@code sum[j]}.
     */
    static void sumLoops(MethodSpec.Builder method, int perLoop, String rows, String prefix, String target,
            int length) {
        method.beginControlFlow("for (int q = 0; q < count; q += $L)", perLoop);
        StringBuilder terms = new StringBuilder();
        for (int k = 0; k < perLoop; k++) {
            method.addStatement("float[] $L$L = $L[picked[q$L]]", prefix, k, rows, Terms.plus(k))
                    .addStatement("float d$L = coefficients[q$L]", k, Terms.plus(k));
            terms.append(k == 0 ? "" : " + ").append("d").append(k).append(" * ").append(prefix).append(k).append("[j]");
        }
        method.beginControlFlow("for (int j = 0; j < $L; j++)", length)
                .addStatement("$L += $L", target, terms)
                .endControlFlow()
                .endControlFlow();
    }
}
