package dev.cnnc.processor.emit;

import com.palantir.javapoet.CodeBlock;
import com.palantir.javapoet.MethodSpec;
import dev.cnnc.processor.model.Axis;
import dev.cnnc.processor.model.LayerModel;
import dev.cnnc.processor.model.LayerModel.ConvLayer;
import javax.lang.model.element.Modifier;

/**
 * Convolution, forward and backward. For every output channel {@code f} and kernel tap
 * {@code (c, ky, kx)} the loops run over the output positions whose input position lies inside the
 * (unpadded) input, so padding costs nothing and needs no padded copy:
 * {@code oy} from {@code ceil((padTop - ky) / s)} to {@code floor((H - 1 + padTop - ky) / s)}.
 */
final class ConvEmitter implements LayerEmitter {
    private final ConvLayer conv;
    private final int channels;
    private final int height;
    private final int width;
    private final int filters;
    private final int kernel;
    private final int stride;
    private final int outHeight;
    private final int outWidth;

    ConvEmitter(ConvLayer conv) {
        this.conv = conv;
        this.channels = conv.input().channels();
        this.height = conv.input().height();
        this.width = conv.input().width();
        this.filters = conv.filters();
        this.kernel = conv.kernel();
        this.stride = conv.stride();
        this.outHeight = conv.output().height();
        this.outWidth = conv.output().width();
    }

    @Override
    public LayerModel layer() {
        return conv;
    }

    private String shapes() {
        return String.format("%s: %s -> %s, %d filters %dx%dx%d, stride %d, padding %s (top %d, left %d)",
                conv.name(), conv.input(), conv.output(), filters, kernel, kernel, channels, stride,
                conv.padding(), conv.rows().padBefore(), conv.cols().padBefore());
    }

    private String index() {
        return String.format("x[c][oy*%d + ky - %d][ox*%d + kx - %d]", stride, conv.rows().padBefore(), stride,
                conv.cols().padBefore());
    }

    @Override
    public MethodSpec forward() {
        int plane = outHeight * outWidth;
        MethodSpec.Builder method = MethodSpec.methodBuilder(forwardName())
                .addModifiers(Modifier.STATIC)
                .addJavadoc(shapes() + "\n")
                .addJavadoc("z[f][oy][ox] = b[f] + sum_{c,ky,kx} w[f][c][ky][kx] * " + index() + "\n")
                .addJavadoc("y = " + ActivationCode.formula(conv.activation()) + "\n")
                .addParameter(float[].class, "p")
                .addParameter(float[].class, "in")
                .addParameter(float[].class, "out")
                .beginControlFlow("for (int f = 0; f < $L; f++)", filters)
                .addStatement("int outPlane = f * $L", plane)
                .addStatement("float bias = p[$L + f]", conv.biasOffset())
                .beginControlFlow("for (int i = 0; i < $L; i++)", plane)
                .addStatement("out[outPlane + i] = bias")
                .endControlFlow()
                .beginControlFlow("for (int c = 0; c < $L; c++)", channels)
                .beginControlFlow("for (int ky = 0; ky < $L; ky++)", kernel)
                .addStatement("int oyStart = $L", rangeStart(conv.rows(), "ky"))
                .addStatement("int oyEnd = $L", rangeEnd(conv.rows(), "ky"))
                .beginControlFlow("for (int kx = 0; kx < $L; kx++)", kernel)
                .addStatement("int oxStart = $L", rangeStart(conv.cols(), "kx"))
                .addStatement("int oxEnd = $L", rangeEnd(conv.cols(), "kx"))
                .addStatement("float w = p[$L]", weightIndex())
                .beginControlFlow("for (int oy = oyStart; oy < oyEnd; oy++)")
                .addStatement("int inRow = $L", inputRow())
                .addStatement("int outRow = outPlane + oy * $L", outWidth)
                .beginControlFlow("for (int ox = oxStart; ox < oxEnd; ox++)")
                .addStatement("out[outRow + ox] += w * in[inRow + $L]", inputColumn())
                .endControlFlow()
                .endControlFlow()
                .endControlFlow()
                .endControlFlow()
                .endControlFlow()
                .endControlFlow()
                .addCode(ActivationCode.forward(conv.activation(), "out", conv.output().size()));
        return method.build();
    }

    @Override
    public MethodSpec backward(boolean inputGradient) {
        int plane = outHeight * outWidth;
        MethodSpec.Builder method = MethodSpec.methodBuilder(backwardName())
                .addModifiers(Modifier.STATIC)
                .addJavadoc("Backward of " + shapes() + "\n")
                .addJavadoc("dz = dy * act'(y); db[f] += sum dz[f]\n")
                .addJavadoc("dL/dW = input (*) dL/dz: dW[f][c][ky][kx] += sum_{oy,ox} dz[f][oy][ox] * " + index() + "\n");
        if (inputGradient) {
            method.addJavadoc("dL/dx = dL/dz (padded) (*) flipped W: dx[c][iy][ix] = sum_{f,ky,kx} dz[f][oy][ox] * "
                    + "w[f][c][ky][kx] over the (oy, ox, ky, kx) that read x[c][iy][ix]\n");
        }
        method.addParameter(float[].class, "p")
                .addParameter(float[].class, "g")
                .addParameter(float[].class, "in")
                .addParameter(float[].class, "out")
                .addParameter(float[].class, "dOut");
        if (inputGradient) {
            method.addParameter(float[].class, "dIn");
        }
        method.addCode(ActivationCode.backward(conv.activation(), "dOut", "out", conv.output().size()));
        if (inputGradient) {
            method.beginControlFlow("for (int i = 0; i < $L; i++)", conv.input().size())
                    .addStatement("dIn[i] = 0f")
                    .endControlFlow();
        }
        method.beginControlFlow("for (int f = 0; f < $L; f++)", filters)
                .addStatement("int outPlane = f * $L", plane)
                .addStatement("float biasGradient = 0f")
                .beginControlFlow("for (int i = 0; i < $L; i++)", plane)
                .addStatement("biasGradient += dOut[outPlane + i]")
                .endControlFlow()
                .addStatement("g[$L + f] += biasGradient", conv.biasOffset())
                .beginControlFlow("for (int c = 0; c < $L; c++)", channels)
                .beginControlFlow("for (int ky = 0; ky < $L; ky++)", kernel)
                .addStatement("int oyStart = $L", rangeStart(conv.rows(), "ky"))
                .addStatement("int oyEnd = $L", rangeEnd(conv.rows(), "ky"))
                .beginControlFlow("for (int kx = 0; kx < $L; kx++)", kernel)
                .addStatement("int oxStart = $L", rangeStart(conv.cols(), "kx"))
                .addStatement("int oxEnd = $L", rangeEnd(conv.cols(), "kx"))
                .addStatement("int weightIndex = $L", weightIndex());
        if (inputGradient) {
            method.addStatement("float w = p[weightIndex]");
        }
        method.addStatement("float weightGradient = 0f")
                .beginControlFlow("for (int oy = oyStart; oy < oyEnd; oy++)")
                .addStatement("int inRow = $L", inputRow())
                .addStatement("int outRow = outPlane + oy * $L", outWidth)
                .beginControlFlow("for (int ox = oxStart; ox < oxEnd; ox++)")
                .addStatement("float d = dOut[outRow + ox]")
                .addStatement("weightGradient += d * in[inRow + $L]", inputColumn());
        if (inputGradient) {
            method.addStatement("dIn[inRow + $L] += d * w", inputColumn());
        }
        method.endControlFlow()
                .endControlFlow()
                .addStatement("g[weightIndex] += weightGradient")
                .endControlFlow()
                .endControlFlow()
                .endControlFlow()
                .endControlFlow();
        return method.build();
    }

    private String inputColumn() {
        return Terms.times("ox", stride);
    }

    /** {@code w[f][c][ky][kx]} in the flat parameters. */
    private String weightIndex() {
        return Terms.offset(conv.paramOffset(), "((f * " + channels + " + c) * " + kernel + " + ky) * " + kernel
                + " + kx");
    }

    /** Index of {@code x[c][oy*s + ky - padTop][kx - padLeft]}: add {@code ox * s} for the column. */
    private String inputRow() {
        return "(c * " + height + " + " + Terms.times("oy", stride) + " + ky" + Terms.plus(-conv.rows().padBefore())
                + ") * " + width + " + kx" + Terms.plus(-conv.cols().padBefore());
    }

    /** First output position whose input {@code o*s + k - pad} is {@code >= 0}: {@code ceil((pad - k) / s)}, at least 0. */
    private static CodeBlock rangeStart(Axis axis, String tap) {
        if (axis.padBefore() == 0) {
            return CodeBlock.of("0");
        }
        // For pad - k <= 0 the quotient is <= 0 whatever the rounding, and max() clamps it to 0.
        return CodeBlock.of("Math.max(0, ($L - $L + $L) / $L)", axis.padBefore(), tap, axis.stride() - 1,
                axis.stride());
    }

    /** One past the last output position whose input {@code o*s + k - pad} is {@code < n}. */
    private static CodeBlock rangeEnd(Axis axis, String tap) {
        if (axis.padBefore() == 0 && axis.padAfter() == 0) {
            return CodeBlock.of("$L", axis.output()); // VALID: every window fits
        }
        int last = axis.input() - 1 + axis.padBefore();
        // Guard the negative case explicitly: Java's division truncates toward zero.
        return CodeBlock.of("Math.min($L, $L > $L ? 0 : ($L - $L) / $L + 1)", axis.output(), tap, last, last, tap,
                axis.stride());
    }
}
