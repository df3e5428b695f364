package dev.cnnc.processor.emit;

import com.palantir.javapoet.MethodSpec;
import dev.cnnc.PoolKind;
import dev.cnnc.processor.model.LayerModel;
import dev.cnnc.processor.model.LayerModel.PoolLayer;
import java.util.List;
import javax.lang.model.element.Modifier;

/**
 * Max and average pooling, forward and backward, no padding. Max pooling's forward folds shifted
 * copies of the whole input with {@code Math.max} (NaN wins; +0 beats -0); its backward routes each
 * output gradient to the first position holding the window's maximum (found by comparing the stored
 * input with the stored output, so forward needs no index buffer; in a window with NaN, to its last
 * NaN); average pooling spreads it evenly over the window.
 */
final class PoolEmitter implements LayerEmitter {
    private final PoolLayer pool;
    private final int channels;
    private final int width;
    private final int size;
    private final int stride;
    private final int outHeight;
    private final int outWidth;

    PoolEmitter(PoolLayer pool) {
        this.pool = pool;
        this.channels = pool.input().channels();
        this.width = pool.input().width();
        this.size = pool.size();
        this.stride = pool.stride();
        this.outHeight = pool.output().height();
        this.outWidth = pool.output().width();
    }

    @Override
    public LayerModel layer() {
        return pool;
    }

    private boolean isMax() {
        return pool.kind() == PoolKind.MAX;
    }

    private String shapes() {
        return String.format("%s: %s -> %s, %s pooling %dx%d, stride %d", pool.name(), pool.input(), pool.output(),
                isMax() ? "max" : "average", size, size, stride);
    }

    private String formula() {
        String window = "x[c][oy*" + stride + " + ky][ox*" + stride + " + kx]";
        return isMax() ? "y[c][oy][ox] = max_{ky,kx} " + window
                : "y[c][oy][ox] = sum_{ky,kx} " + window + " / " + (size * size);
    }

    /** Opens the loops over output positions and sets {@code base} (window's top-left input index) and {@code o}. */
    private void openWindowLoops(MethodSpec.Builder method) {
        method.beginControlFlow("for (int c = 0; c < $L; c++)", channels)
                .beginControlFlow("for (int oy = 0; oy < $L; oy++)", outHeight)
                .beginControlFlow("for (int ox = 0; ox < $L; ox++)", outWidth)
                .addStatement("int base = (c * $L + oy * $L) * $L + ox * $L", pool.input().height(), stride, width,
                        stride)
                .addStatement("int o = (c * $L + oy) * $L + ox", outHeight, outWidth);
    }

    private void closeWindowLoops(MethodSpec.Builder method) {
        method.endControlFlow().endControlFlow().endControlFlow();
    }

    @Override
    public MethodSpec forward() {
        MethodSpec.Builder method = MethodSpec.methodBuilder(forwardName())
                .addModifiers(Modifier.STATIC)
                .addJavadoc(shapes() + "\n" + formula() + "\n")
                .addParameter(float[].class, "in")
                .addParameter(float[].class, "out");
        if (!forwardScratch().isEmpty()) {
            method.addParameter(float[].class, "windows").addParameter(float[].class, "shifted");
        }
        if (isMax()) {
            maxForward(method);
            return method.build();
        }
        openWindowLoops(method);
        method.addStatement("float sum = 0f")
                .beginControlFlow("for (int ky = 0; ky < $L; ky++)", size)
                .beginControlFlow("for (int kx = 0; kx < $L; kx++)", size)
                .addStatement("sum += in[base + ky * $L + kx]", width)
                .endControlFlow()
                .endControlFlow()
                .addStatement("out[o] = sum / $Lf", size * size);
        closeWindowLoops(method);
        return method.build();
    }

    /** Floats in the whole CHW input, the length of the forward's scratch arrays. */
    private int inputLength() {
        return Math.toIntExact(pool.input().size());
    }

    @Override
    public List<ScratchBuffer> forwardScratch() {
        if (!isMax() || size == 1) {
            return List.of();
        }
        int length = inputLength();
        return List.of(
                new ScratchBuffer(pool.name() + "Windows", 0, length,
                        pool.name() + ": [i] = max of the " + size + "x" + size + " window whose top-left input is i"),
                new ScratchBuffer(pool.name() + "Shifted", 0, length,
                        pool.name() + ": the array being reduced, shifted by a row or a column"));
    }

    @Override
    public List<ScratchBuffer> forwardScratchReadBack() {
        return List.of();
    }

    /**
     * Max pooling over the whole CHW tensor at once: {@code size - 1} passes fold each row's
     * maximum with the next row's, {@code size - 1} more fold in the next column, then each output
     * takes its window's top-left entry. Every pass is {@code a[i] = Math.max(a[i], b[i])} over two
     * arrays (a snapshot shifted by a row or a column), which C2 vectorizes on JDK 17 and 25; the
     * same maximum read from one array at two offsets, or window by window, is scalar (CIFAR LeNet
     * pool1: 2.2 vs 8.8 us per image). Windows that cross a row or channel edge are computed and
     * never read. Same values as a window-by-window {@code Math.max}: a NaN wins, +0 beats -0.
     */
    private void maxForward(MethodSpec.Builder method) {
        String source = "in";
        int length = inputLength();
        for (int pass = 1; pass < size; pass++) {
            length -= width;
            reducePass(method, source, width, length, "row");
            source = "windows";
        }
        for (int pass = 1; pass < size; pass++) {
            length -= 1;
            reducePass(method, source, 1, length, "column");
            source = "windows";
        }
        method.beginControlFlow("for (int c = 0; c < $L; c++)", channels);
        topLeftOutputs(method, source, 0, outHeight);
        method.endControlFlow();
    }

    /** Whether {@link #forwardRows} exists for this layer: max pooling of 2x2 windows, stride 2. */
    boolean splitsRows() {
        return isMax() && size == 2 && stride == 2;
    }

    /** {@code <name>ForwardRows<from>To<to>}: the method {@link #forwardRows} writes. */
    String forwardRowsName(int fromRow, int toRow) {
        return forwardName() + "Rows" + fromRow + "To" + toRow;
    }

    /**
     * Output rows {@code [fromRow, toRow)} of every channel, by the same two folds as
     * {@link #maxForward} (so the same maximum of the same pairs, bit for bit), channel by channel
     * over the input rows those outputs read: one thread's share of an image ({@link TwoThreadCode}).
     */
    MethodSpec forwardRows(int fromRow, int toRow) {
        if (!splitsRows() || fromRow < 0 || fromRow >= toRow || toRow > outHeight) {
            throw new IllegalArgumentException(pool.name() + ": no row share " + fromRow + "-" + toRow);
        }
        int height = pool.input().height();
        int rowsLength = (2 * (toRow - fromRow) - 1) * width;
        MethodSpec.Builder method = shareMethod(forwardRowsName(fromRow, toRow),
                "output rows " + fromRow + "-" + (toRow - 1))
                .beginControlFlow("for (int c = 0; c < $L; c++)", channels)
                .addStatement("int first = c * $L$L", height * width, Terms.plus(2 * fromRow * width));
        twoFolds(method, rowsLength);
        topLeftOutputs(method, "windows", fromRow, toRow);
        return method.endControlFlow().build();
    }

    /** {@code <name>ForwardChannels<from>To<to>}: the method {@link #forwardChannels} writes. */
    String forwardChannelsName(int fromChannel, int toChannel) {
        return forwardName() + "Channels" + fromChannel + "To" + toChannel;
    }

    /**
     * Channels {@code [fromChannel, toChannel)} only, by the same two folds as {@link #maxForward} over
     * those channels' part of the arrays (so the same bits): the share of the thread that computed
     * those channels' input ({@link TwoThreadCode}).
     */
    MethodSpec forwardChannels(int fromChannel, int toChannel) {
        if (!splitsRows() || fromChannel < 0 || fromChannel >= toChannel || toChannel > channels) {
            throw new IllegalArgumentException(pool.name() + ": no channel share " + fromChannel + "-" + toChannel);
        }
        int plane = pool.input().height() * width;
        MethodSpec.Builder method = shareMethod(forwardChannelsName(fromChannel, toChannel),
                "channels " + fromChannel + "-" + (toChannel - 1))
                .addStatement("int first = $L", fromChannel * plane);
        twoFolds(method, (toChannel - fromChannel) * plane - width);
        method.beginControlFlow("for (int c = $L; c < $L; c++)", fromChannel, toChannel);
        topLeftOutputs(method, "windows", 0, outHeight);
        return method.endControlFlow().build();
    }

    /** A share's method, {@code (in, out, windows, shifted)}, documented as this layer's {@code part} only. */
    private MethodSpec.Builder shareMethod(String name, String part) {
        return MethodSpec.methodBuilder(name)
                .addModifiers(Modifier.STATIC)
                .addJavadoc(shapes() + ", " + part + " only\n" + formula() + "\n")
                .addParameter(float[].class, "in")
                .addParameter(float[].class, "out")
                .addParameter(float[].class, "windows")
                .addParameter(float[].class, "shifted");
    }

    /**
     * {@link #maxForward}'s row fold and column fold (2x2 windows) over {@code windows[first ..
     * first + rowsLength)}, with {@code first} a local variable of the generated method.
     */
    private void twoFolds(MethodSpec.Builder method, int rowsLength) {
        reducePass(method, "in", width, rowsLength, "row", "first");
        reducePass(method, "windows", 1, rowsLength - 1, "column", "first");
    }

    /**
     * Output rows {@code [fromRow, toRow)} of channel {@code c} (a loop variable of the generated code),
     * each its window's top-left entry in {@code source}.
     */
    private void topLeftOutputs(MethodSpec.Builder method, String source, int fromRow, int toRow) {
        method.addComment("each output is its window's top-left entry")
                .beginControlFlow("for (int oy = $L; oy < $L; oy++)", fromRow, toRow)
                .addStatement("int from = (c * $L + oy * $L) * $L", pool.input().height(), stride, width)
                .addStatement("int to = (c * $L + oy) * $L", outHeight, outWidth)
                .beginControlFlow("for (int ox = 0; ox < $L; ox++)", outWidth)
                .addStatement("out[to + ox] = $L[from + ox$L]", source, stride == 1 ? "" : " * " + stride)
                .endControlFlow()
                .endControlFlow();
    }

    /** {@code windows[i] = max(source[i], source[i + shift])} for {@code i < length}. */
    private static void reducePass(MethodSpec.Builder method, String source, int shift, int length, String what) {
        reducePass(method, source, shift, length, what, null);
    }

    /**
     * The same from index {@code first} on ({@code first <= i < first + length}), {@code first} a local
     * variable of the generated method; null for index 0.
     */
    private static void reducePass(MethodSpec.Builder method, String source, int shift, int length, String what,
            String first) {
        String from = first == null ? "" : first + " + ";
        method.addComment("fold in the next $L", what)
                .addStatement("System.arraycopy($L, $L$L, shifted, $L, $L)", source, from, shift,
                        first == null ? "0" : first, length)
                .beginControlFlow("for (int i = $L; i < $L$L; i++)", first == null ? "0" : first, from, length)
                .addStatement("windows[i] = Math.max($L[i], shifted[i])", source)
                .endControlFlow();
    }

    @Override
    public MethodSpec backward(boolean inputGradient) {
        MethodSpec.Builder method = MethodSpec.methodBuilder(backwardName())
                .addModifiers(Modifier.STATIC)
                .addJavadoc("Backward of " + shapes() + "\n")
                .addJavadoc(isMax() ? "dx at the window's (first) maximum += dy; elsewhere 0\n"
                        : "dx[window] += dy / " + (size * size) + "\n")
                .addParameter(float[].class, "in")
                .addParameter(float[].class, "out")
                .addParameter(float[].class, "dOut")
                .addParameter(float[].class, "dIn")
                .beginControlFlow("for (int i = 0; i < $L; i++)", pool.input().size())
                .addStatement("dIn[i] = 0f")
                .endControlFlow();
        openWindowLoops(method);
        if (isMax()) {
            method.addStatement("int at = base")
                    .addStatement("float max = out[o]")
                    .beginControlFlow("if (max == max)")
                    .addComment("the first position holding the maximum, found back to front in integer arithmetic:")
                    .addComment("which position wins is a coin toss on real data, and C2 compiles a select on a float")
                    .addComment("comparison into a branch that mispredicts. No input is NaN here, so x == max is")
                    .addComment("\"the same bits, or both zeros\" (+0 == -0); keep is -1 where neither holds")
                    .addStatement("int maxBits = Float.floatToRawIntBits(max)")
                    .beginControlFlow("for (int ky = $L; ky >= 0; ky--)", size - 1)
                    .beginControlFlow("for (int kx = $L; kx >= 0; kx--)", size - 1)
                    .addStatement("int i = base + ky * $L + kx", width)
                    .addStatement("int bits = Float.floatToRawIntBits(in[i])")
                    .addStatement("int same = bits ^ maxBits")
                    .addStatement("int zeros = (bits | maxBits) << 1")
                    .addStatement("int keep = ((same | -same) & (zeros | -zeros)) >> 31")
                    .addStatement("at = (at & keep) | (i & ~keep)")
                    .endControlFlow()
                    .endControlFlow()
                    .nextControlFlow("else")
                    .addComment("a NaN window (training is diverging): its last NaN, found in order")
                    .beginControlFlow("for (int ky = 0; ky < $L; ky++)", size)
                    .beginControlFlow("for (int kx = 0; kx < $L; kx++)", size)
                    .addStatement("int i = base + ky * $L + kx", width)
                    .addStatement("if (in[i] != in[i]) at = i")
                    .endControlFlow()
                    .endControlFlow()
                    .endControlFlow()
                    .addStatement("dIn[at] += dOut[o]");
        } else {
            method.addStatement("float share = dOut[o] / $Lf", size * size)
                    .beginControlFlow("for (int ky = 0; ky < $L; ky++)", size)
                    .beginControlFlow("for (int kx = 0; kx < $L; kx++)", size)
                    .addStatement("dIn[base + ky * $L + kx] += share", width)
                    .endControlFlow()
                    .endControlFlow();
        }
        closeWindowLoops(method);
        return method.build();
    }
}
