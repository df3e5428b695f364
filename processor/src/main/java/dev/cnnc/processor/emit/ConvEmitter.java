package dev.cnnc.processor.emit;

import com.palantir.javapoet.CodeBlock;
import com.palantir.javapoet.MethodSpec;
import dev.cnnc.Activation;
import dev.cnnc.processor.model.Axis;
import dev.cnnc.processor.model.LayerModel;
import dev.cnnc.processor.model.LayerModel.ConvLayer;
import java.util.List;
import java.util.function.IntConsumer;
import javax.lang.model.element.Modifier;

/**
 * Convolution, forward and backward, in the row layout that HotSpot's C2 turns into vector code.
 *
 * <p>C2 vectorizes a loop only when every array in it is indexed from the same base (measured:
 * {@code y[i] += w * x[i]} runs at 30+ GFLOP/s, {@code y[yo + i] += w * x[xo + i]} at 7). So the
 * forward pass first makes <em>shifted copies</em> of the input, one {@code float[]} per (channel,
 * kernel column, input row): {@code shifted[c][kx][iy][ox] = x[c][iy][ox*s + kx - padLeft]} (zero
 * outside the image), each padded to a multiple of 16 floats. Then every output row is a sum of whole
 * shifted rows times scalar weights, {@code rows[f][oy][:] += w[f][c][ky][kx] * shifted[c][kx][oy*s + ky - padTop][:]},
 * computed for two filters and all kernel columns at once (the block shape measured fastest).
 * Padding at the top and bottom skips rows; at the sides it is the zeros of the shifted copies.
 *
 * <p>Stride 1 works on whole planes instead of rows, in one of three forms that give the same bits:
 * rows padded to 16 floats, rows exactly the output width (which JDK 25 vectorizes at any offset; see
 * {@link ConvLayoutCode}), or, for small planes in the padded layout, one window array per kernel tap
 * ({@link #sliced()}).
 *
 * <p>Backward is the same trick twice (the lecture's "backward of a convolution is a convolution"):
 * dL/dW[f][c][ky][kx] = sum over rows of dz[f][oy][:] . shifted[c][kx][iy][:], accumulated in whole
 * rows and summed once; dL/dshifted[c][kx][iy][:] += w[f][c][ky][kx] * dz[f][oy][:], then the shifted
 * gradients are added back to the positions they were copied from.
 */
final class ConvEmitter implements LayerEmitter {
    /** Kernels up to this width get all their columns in one loop body; wider ones loop over them. */
    static final int MAX_UNROLLED_TAPS = 7;

    private final ConvLayer conv;
    private final int channels;
    private final int height;
    private final int width;
    private final int filters;
    private final int kernel;
    private final int stride;
    private final int outHeight;
    private final int outWidth;
    /** Row length of row buffers: the output width rounded up to 16 floats (one AVX-512 vector). */
    private final int rowLength;

    /** Whether the plane form's rows are exactly the output width (else padded or sliced); see the constructor. */
    private final boolean exactRows;

    /**
     * Where the exact-rows and the sliced forms store their output planes (the sliced form also its tap
     * windows): from index 0 or {@link #MOVED_PLANE_START} of their arrays (see {@link PlaneStartCode});
     * 0 for padded rows.
     */
    private final int planeStart;

    /** The second start of the exact-rows planes: 16 bytes in, half of the 32-byte period that decides. */
    static final int MOVED_PLANE_START = 4;

    /**
     * The part of the output a forward method computes: output rows {@code [fromRow, toRow)} of
     * filters {@code [fromFilter, toFilter)}. One image's two shares on two threads ({@link TwoThreadCode})
     * run the same loops over fewer rows or filters, so every output entry gets the same sums in the
     * same order as from the whole method.
     */
    record Share(int fromRow, int toRow, int fromFilter, int toFilter) {
        /** Every row of filters {@code [from, to)}. */
        static Share filters(ConvLayer conv, int from, int to) {
            return new Share(0, conv.output().height(), from, to);
        }

        /** Rows {@code [from, to)} of every filter. */
        static Share rows(ConvLayer conv, int from, int to) {
            return new Share(from, to, 0, conv.filters());
        }
    }

    /** What this emitter's forward method computes: the whole output, or one share of it. */
    private final Share share;

    ConvEmitter(ConvLayer conv) {
        this(conv, false, 0);
    }

    ConvEmitter(ConvLayer conv, boolean exactRows, int planeStart) {
        this(conv, exactRows, planeStart, Share.rows(conv, 0, conv.output().height()));
    }

    /**
     * @param exactRows plane rows exactly the output width: less work, but on JDK 17 C2 vectorizes
     *     the plane loops only when every offset is a multiple of 16 floats (CIFAR LeNet conv2 15.7 us
     *     with exact rows vs 33 padded on JDK 25; 55 vs 33 on JDK 17), so the generated class times
     *     both layouts and keeps the faster (the generated {@code convLayout()})
     * @param planeStart with exact rows or {@linkplain #sliced() tap windows}, the index of the output
     *     planes' first entry in their arrays (and of the windows'): 0 or {@link #MOVED_PLANE_START}; the
     *     two forms share their buffers and give the same bits
     * @param share the output rows and filters the forward method computes: a part only in the stride-1
     *     plane forms, and rows only where the shifted planes are not tap windows
     */
    ConvEmitter(ConvLayer conv, boolean exactRows, int planeStart, Share share) {
        this.exactRows = exactRows;
        this.share = share;
        this.planeStart = planeStart;
        this.conv = conv;
        this.channels = conv.input().channels();
        this.height = conv.input().height();
        this.width = conv.input().width();
        this.filters = conv.filters();
        this.kernel = conv.kernel();
        this.stride = conv.stride();
        this.outHeight = conv.output().height();
        this.outWidth = conv.output().width();
        this.rowLength = (outWidth + 15) / 16 * 16;
        if (planeStart != 0 && (!hasPlaneStarts() || planeStart != MOVED_PLANE_START)) {
            throw new IllegalArgumentException(conv.name() + ": plane start " + planeStart + " with exactRows "
                    + exactRows + ", sliced " + sliced());
        }
        boolean rowsOk = 0 <= share.fromRow() && share.fromRow() < share.toRow() && share.toRow() <= outHeight;
        boolean filtersOk = 0 <= share.fromFilter() && share.fromFilter() < share.toFilter() && share.toFilter() <= filters;
        if (!rowsOk || !filtersOk || (!wholeShare() && !planes())
                || (share.toRow() - share.fromRow() < outHeight && sliced())) {
            throw new IllegalArgumentException(conv.name() + ": no forward form computes " + share);
        }
    }

    /** This layer's form restricted to {@code part} of the output (same layout and plane start). */
    ConvEmitter share(Share part) {
        return new ConvEmitter(conv, exactRows, planeStart, part);
    }

    private boolean wholeShare() {
        return share.fromRow() == 0 && share.toRow() == outHeight && share.fromFilter() == 0
                && share.toFilter() == filters;
    }

    /** Whether the padded layout's forward can compute a share of the filters ({@link Share#filters}). */
    boolean splitsFilters() {
        return planes() && !exactRows;
    }

    /** Whether the padded layout's forward can compute a share of output rows ({@link Share#rows}). */
    boolean splitsRows() {
        return planes() && !sliced() && !exactRows;
    }

    @Override
    public LayerModel layer() {
        return conv;
    }

    private String name() {
        return conv.name();
    }

    /**
     * Stride 1 runs forward on whole planes (long loops, constant offsets: the fastest form measured);
     * other strides on rows.
     */
    private boolean planes() {
        return stride == 1;
    }

    /** Whether the two row layouts differ for this layer: plane form, output width not a multiple of 16. */
    boolean hasExactRowsVariant() {
        return planes() && outWidth % 16 != 0;
    }

    /**
     * Largest size of one input channel's tap windows for the {@linkplain #sliced() sliced} form: a third
     * of a 48 KB L1 data cache, so that the windows, the output planes and the weights stay in it.
     */
    static final int MAX_SLICED_CHANNEL_BYTES = 16 * 1024;

    /**
     * Whether the padded layout's form of this layer works on tap windows instead of padded rows: every
     * (kernel row, kernel column) tap of one input channel gets its own array holding exactly the output
     * plane, so each statement reads and writes all its arrays at {@code [i]}, the one pattern JDK 17's
     * C2 vectorizes at an offset that is not a multiple of 16 floats. It pays where padding rows to 16
     * floats wastes most and the windows are small: CIFAR LeNet conv2 (10-float rows in 16, 37.5% of
     * the work wasted) 27.5-51 us per image padded, 21.5-36 sliced over 21 buffer placements (JDK 17,
     * 19 of them faster). Conv1's 784-float planes would need 78 KB of windows per channel (and waste
     * 12.5% padded), so it keeps padded rows. Same sums in the same order, so the same bits.
     */
    boolean sliced() {
        return !exactRows && hasExactRowsVariant() && unrolled() && kernel > 1
                && kernel * kernel * outHeight * outWidth * Float.BYTES <= MAX_SLICED_CHANNEL_BYTES;
    }

    /** Floats per row of the plane form's buffers. */
    private int planeRow() {
        return exactRows || sliced() ? outWidth : rowLength;
    }

    /** The forward method's suffix: none (padded rows or tap windows), {@code At4}, {@code Exact} or {@code ExactAt4}. */
    private String suffix() {
        return bufferSuffix() + shareSuffix() + (planeStart == 0 ? "" : "At" + planeStart);
    }

    /** None for the whole output, else e.g. {@code Rows0To14} or {@code Filters8To16}. */
    private String shareSuffix() {
        if (wholeShare()) {
            return "";
        }
        if (share.fromFilter() == 0 && share.toFilter() == filters) {
            return "Rows" + share.fromRow() + "To" + share.toRow();
        }
        return "Filters" + share.fromFilter() + "To" + share.toFilter()
                + (share.fromRow() == 0 && share.toRow() == outHeight ? "" : "Rows" + share.fromRow() + "To" + share.toRow());
    }

    /** The plane buffers' suffix: both exact-rows forms share theirs. */
    private String bufferSuffix() {
        return exactRows ? "Exact" : "";
    }

    /** Whether the forms store their planes from either of two starts ({@link PlaneStartCode}). */
    private boolean hasPlaneStarts() {
        return exactRows || sliced();
    }

    /** Floats of an output plane's array (and of a tap window's): room to start it at either start. */
    private int planeArrayLength() {
        return outHeight * planeRow() + (hasPlaneStarts() ? MOVED_PLANE_START : 0);
    }

    @Override
    public String forwardName() {
        return name() + "Forward" + suffix();
    }

    /** Rows of a padded shifted plane: the input height plus the padding above and below. */
    private int paddedHeight() {
        return height + conv.rows().padBefore() + conv.rows().padAfter();
    }

    @Override
    public List<ScratchBuffer> forwardScratch() {
        if (sliced()) {
            return List.of(
                    new ScratchBuffer(name() + "Shifted", channels * kernel, paddedHeight() * outWidth,
                            name() + ": shifted, padded input planes [c][kx][iy + " + conv.rows().padBefore()
                                    + "][ox] = x[c][iy][ox + kx" + Terms.plus(-conv.cols().padBefore())
                                    + "], rows of " + outWidth),
                    new ScratchBuffer(name() + "Slices", kernel * kernel, planeArrayLength(),
                            name() + ": one channel's tap windows, [ky][kx][oy][ox] = shifted[c][kx][oy + ky][ox], from"
                                    + " index 0 or " + MOVED_PLANE_START + " (see planeStarts())"),
                    new ScratchBuffer(name() + "Planes", filters, planeArrayLength(),
                            name() + ": output planes [f][oy][ox] before the activation, rows of " + outWidth
                                    + ", from index 0 or " + MOVED_PLANE_START + " (see planeStarts())"));
        }
        if (planes()) {
            return List.of(
                    new ScratchBuffer(name() + "Shifted" + bufferSuffix(), channels * kernel, paddedHeight() * planeRow(),
                            name() + ": shifted, padded input planes [c][kx][iy + " + conv.rows().padBefore()
                                    + "][ox] = x[c][iy][ox + kx" + Terms.plus(-conv.cols().padBefore())
                                    + "], rows of " + planeRow()),
                    new ScratchBuffer(name() + "Planes" + bufferSuffix(), filters, planeArrayLength(),
                            name() + ": output planes [f][oy][ox] before the activation, rows of " + planeRow()
                                    + (exactRows ? ", from index 0 or " + MOVED_PLANE_START + " (see planeStarts())" : "")));
        }
        return List.of(
                new ScratchBuffer(name() + "Shifted", channels * kernel * height, rowLength,
                        name() + ": shifted input rows [c][kx][iy][ox] = x[c][iy][ox*" + stride + " + kx"
                                + Terms.plus(-conv.cols().padBefore()) + "]"),
                new ScratchBuffer(name() + "Rows", filters * outHeight, rowLength,
                        name() + ": output rows [f][oy][ox] before the activation"));
    }

    /** Backward reads the input itself (im2col windows), not the forward pass's shifted copies. */
    @Override
    public List<ScratchBuffer> forwardScratchReadBack() {
        return List.of();
    }

    @Override
    public List<ScratchBuffer> backwardScratch(boolean inputGradient) {
        List<ScratchBuffer> buffers = new java.util.ArrayList<>();
        buffers.add(new ScratchBuffer(name() + "Band", 0, bandLength(),
                name() + ": the input rows under one output row, side by side: [t][c][ky] = x[c][oy*" + stride
                        + " + ky" + Terms.plus(-conv.rows().padBefore()) + "][t" + Terms.plus(-conv.cols().padBefore())
                        + "]; its padding columns stay zero"));
        buffers.add(new ScratchBuffer(name() + "Windows", windowsPerPass() + 1, windowLength(),
                name() + ": the input windows under " + rowsPerPass() + " output rows (im2col), [oy][ox][(kx * "
                        + channels + " + c) * " + kernel + " + ky], rows of " + windowLength()
                        + "; the last stays zero"));
        int picked = Math.max(windowsPerPass(), inputGradient ? filters : 0) + TERMS_PER_LOOP - 1;
        buffers.add(ScratchBuffer.ints(name() + "Picked", picked, name()
                + ": the terms whose dL/dz is not zero: positions of one pass for one filter (dL/dW), filters at one"
                + " position (dL/dx)"));
        buffers.add(new ScratchBuffer(name() + "Coefficients", 0, picked, name() + ": their dL/dz"));
        buffers.add(new ScratchBuffer(name() + "WeightSums", filters, windowLength(),
                name() + ": dL/dW being summed, [f][(kx * " + channels + " + c) * " + kernel + " + ky]"));
        if (inputGradient) {
            buffers.add(new ScratchBuffer(name() + "BandGradient", 0, bandLength(),
                    name() + ": dL/d(band) of one output row, [t][c][ky] as in the band"));
            buffers.add(new ScratchBuffer(name() + "WindowGradient", 0, windowEntries(),
                    name() + ": dL/d(window) of one output position, a copy of its part of the band's gradient"));
            buffers.add(new ScratchBuffer(name() + "WeightWindows", filters + 1, windowEntries(),
                    name() + ": the weights in window order, [f][(kx * " + channels + " + c) * " + kernel
                            + " + ky]; the last filter stays zero"));
        }
        return buffers;
    }

    /** Padded input columns that windows read: {@code (outWidth - 1) * stride + kernel}. */
    private int bandColumns() {
        return conv.cols().lastWindowEnd();
    }

    /** Entries of one im2col window (and of one filter's weights), {@code c * k * k}. */
    private int windowEntries() {
        return channels * kernel * kernel;
    }

    /** Entries of one im2col window rounded up to 16 floats: the weight-gradient loop length. */
    private int windowLength() {
        return (windowEntries() + 15) / 16 * 16;
    }

    /** Floats per band column, {@code [c][ky]}. */
    private int bandColumn() {
        return channels * kernel;
    }

    /** Floats of the band (and of its gradient). */
    private int bandLength() {
        return bandColumns() * bandColumn();
    }

    /** First band column that holds input (the ones before it are left padding). */
    private int firstInputColumn() {
        return conv.cols().padBefore();
    }

    /** One past the last band column that holds input (the ones from it on are right padding). */
    private int endInputColumn() {
        return Math.min(firstInputColumn() + width, bandColumns());
    }

    /**
     * For every (c, ky, kx) of filter f's weights, {@code statement} with {@code $1L} the weight's
     * index within the filter in parameter order, {@code [c][ky][kx]}, and {@code $2L} its index in
     * window order, {@code [kx][c][ky]}.
     */
    private void eachWeight(MethodSpec.Builder method, String statement) {
        method.beginControlFlow("for (int c = 0; c < $L; c++)", channels)
                .beginControlFlow("for (int ky = 0; ky < $L; ky++)", kernel)
                .beginControlFlow("for (int kx = 0; kx < $L; kx++)", kernel)
                .addStatement(statement, "(c * " + kernel + " + ky) * " + kernel + " + kx",
                        "(kx * " + channels + " + c) * " + kernel + " + ky")
                .endControlFlow()
                .endControlFlow()
                .endControlFlow();
    }

    private String shapes() {
        return String.format("%s: %s -> %s, %d filters %dx%dx%d, stride %d, padding %s (top %d, left %d)",
                name(), conv.input(), conv.output(), filters, kernel, kernel, channels, stride, conv.padding(),
                conv.rows().padBefore(), conv.cols().padBefore());
    }

    private String index() {
        return String.format("x[c][oy*%d + ky - %d][ox*%d + kx - %d]", stride, conv.rows().padBefore(), stride,
                conv.cols().padBefore());
    }

    private boolean unrolled() {
        return kernel <= MAX_UNROLLED_TAPS;
    }

    // ---------------------------------------------------------------- forward

    @Override
    public MethodSpec forward() {
        MethodSpec.Builder method = MethodSpec.methodBuilder(forwardName())
                .addModifiers(Modifier.STATIC)
                .addJavadoc(shapes() + "\n")
                .addJavadoc("z[f][oy][ox] = b[f] + sum_{c,ky,kx} w[f][c][ky][kx] * " + index() + "\n")
                .addJavadoc("y = " + ActivationCode.formula(conv.activation()) + "\n")
                .addJavadoc(planeStart == 0 ? "" : "<p>The output planes" + (sliced() ? " and the tap windows" : "")
                        + " start at index " + planeStart + " of their arrays; otherwise {@code " + name() + "Forward"
                        + bufferSuffix() + "}, term by term (see {@code planeStarts()}).\n")
                .addJavadoc(wholeShare() ? "" : "<p>Only output rows " + share.fromRow() + "-" + (share.toRow() - 1)
                        + " of filters " + share.fromFilter() + "-" + (share.toFilter() - 1) + ", entry by entry as {@code "
                        + name() + "Forward" + bufferSuffix() + "} computes them; the other entries of {@code out} are"
                        + " left as they are.\n")
                .addParameter(float[].class, "p")
                .addParameter(float[].class, "in")
                .addParameter(float[].class, "out")
                .addParameter(float[][].class, "shifted");
        if (sliced()) {
            method.addParameter(float[][].class, "slices");
        }
        method.addParameter(float[][].class, planes() ? "planes" : "rows");
        if (planes()) {
            planeForward(method);
        } else {
            rowForward(method);
        }
        return method.build();
    }

    /**
     * Stride 1: every (c, ky) tap is one loop over the whole output plane, at a constant offset
     * ky * planeRow() (rows padded to 16 floats, or exactly the output width: see the constructor).
     */
    private void planeForward(MethodSpec.Builder method) {
        Axis cols = conv.cols();
        int row = planeRow();
        int planeLength = outHeight * row;
        int from = share.fromRow() * row;
        int to = share.toRow() * row;
        if (row == width && conv.rows().padBefore() + conv.rows().padAfter() + cols.padBefore() + cols.padAfter() == 0) {
            // Rows as long as the input's and no padding: each shifted plane is the input plane from
            // column kx on, one copy instead of one per row (CIFAR LeNet conv1: 15 copies, not 480;
            // 3.8 -> 1.8 us per image on JDK 17). A row's last kx entries then hold the next row's
            // first ones instead of zeros; they only reach output columns past the output width,
            // which are never read.
            method.addComment("1. shifted copies of the input planes: plane [c][kx] is channel c from column kx on")
                    .beginControlFlow("for (int c = 0; c < $L; c++)", channels)
                    .beginControlFlow("for (int kx = 0; kx < $L; kx++)", kernel);
            // the rows the share's output rows read: [fromRow, toRow + kernel - 1), the last one up to the plane's end
            int end = (share.toRow() + kernel - 1) * width;
            if (end >= height * width) {
                method.addStatement("$T.arraycopy(in, c * $L + kx$L, shifted[c * $L + kx], $L, $L - kx)", System.class,
                        height * width, Terms.plus(from), kernel, from, height * width - from);
            } else {
                method.addStatement("$T.arraycopy(in, c * $L + kx$L, shifted[c * $L + kx], $L, $L)", System.class,
                        height * width, Terms.plus(from), kernel, from, end - from);
            }
            method.endControlFlow()
                    .endControlFlow();
        } else {
            rowCopies(method, row);
        }
        if (sliced()) {
            slicedPlanes(method, planeLength);
        } else {
            method.addComment("2. output planes: bias, then whole shifted planes times weights, two filters at a time");
            filterPairs(method, count -> planeBlock(method, count, from, to));
        }
        method.addComment("3. the activation, back into the flat CHW output")
                .beginControlFlow("for (int f = $L; f < $L; f++)", share.fromFilter(), share.toFilter())
                .addStatement("float[] plane = planes[f]");
        boolean wholePlane = conv.activation() == Activation.RELU || conv.activation() == Activation.LINEAR;
        if (conv.activation() == Activation.RELU) {
            // over the whole plane (padding columns included): a loop C2 vectorizes
            String entry = "plane[i" + Terms.plus(planeStart) + "]";
            method.beginControlFlow("for (int i = $L; i < $L; i++)", from, to)
                    .addStatement("$L = $L", entry, ActivationCode.apply(conv.activation(), entry))
                    .endControlFlow();
        }
        if (wholePlane && row == outWidth) {
            method.addStatement("$T.arraycopy(plane, $L, out, f * $L$L, $L)", System.class, from + planeStart, planeLength,
                            Terms.plus(from), to - from)
                    .endControlFlow();
            return;
        }
        method.beginControlFlow("for (int oy = $L; oy < $L; oy++)", share.fromRow(), share.toRow());
        if (wholePlane) {
            method.addStatement("$T.arraycopy(plane, oy * $L$L, out, (f * $L + oy) * $L, $L)", System.class, row,
                    Terms.plus(planeStart), outHeight, outWidth, outWidth);
        } else {
            method.addStatement("int from = oy * $L$L", row, Terms.plus(planeStart))
                    .addStatement("int to = (f * $L + oy) * $L", outHeight, outWidth)
                    .beginControlFlow("for (int ox = 0; ox < $L; ox++)", outWidth)
                    .addStatement("out[to + ox] = $L", ActivationCode.apply(conv.activation(), "plane[from + ox]"))
                    .endControlFlow();
        }
        method.endControlFlow()
                .endControlFlow();
    }

    /** {@code shifted[c][kx][iy + padTop][ox] = x[c][iy][ox + kx - padLeft]}, row by row; padding stays zero. */
    private void rowCopies(MethodSpec.Builder method, int row) {
        Axis cols = conv.cols();
        method.addComment("1. shifted, padded copies of the input planes (padding rows and columns stay zero)")
                .beginControlFlow("for (int c = 0; c < $L; c++)", channels)
                .beginControlFlow("for (int kx = 0; kx < $L; kx++)", kernel)
                .addStatement("float[] plane = shifted[c * $L + kx]", kernel)
                .addStatement("int oxStart = $L", rangeStart(cols, "kx"))
                .addStatement("int oxEnd = $L", rangeEnd(cols, "kx"))
                .beginControlFlow("for (int iy = $L; iy < $L; iy++)", firstInputRow(), endInputRow())
                .addStatement("int from = (c * $L + iy) * $L + kx$L", height, width, Terms.plus(-cols.padBefore()))
                .addStatement("int to = $L", Terms.offset(conv.rows().padBefore() * row, "iy * " + row))
                .addCode(rowCopy())
                .endControlFlow()
                .endControlFlow()
                .endControlFlow();
    }

    /** The first input row the share's output rows read (0 for the whole output). */
    private int firstInputRow() {
        return Math.max(0, share.fromRow() - conv.rows().padBefore());
    }

    /** One past the last input row the share's output rows read ({@code height} for the whole output). */
    private int endInputRow() {
        return Math.min(height, share.toRow() + kernel - 1 - conv.rows().padBefore());
    }

    /**
     * Widest row copied by a loop rather than {@code System.arraycopy}, whose call costs more than a
     * short row (same-JVM A/B of CIFAR LeNet predict: conv2's 10-float rows by loop 2% faster on JDK 17,
     * 1% on JDK 25; conv1's 28-float exact rows by loop 2.5% slower on JDK 25).
     */
    private static final int LOOP_COPY_MAX = 16;

    /** One shifted row: {@code plane[to + ox] = in[from + ox]} for ox in [oxStart, oxEnd). */
    private CodeBlock rowCopy() {
        if (outWidth > LOOP_COPY_MAX) {
            return CodeBlock.of("$T.arraycopy(in, from + oxStart, plane, to + oxStart, oxEnd - oxStart);\n", System.class);
        }
        return CodeBlock.builder()
                .beginControlFlow("for (int ox = oxStart; ox < oxEnd; ox++)")
                .addStatement("plane[to + ox] = in[from + ox]")
                .endControlFlow()
                .build();
    }

    /** Planes of filters {@code f .. f + count - 1}: bias, then for each channel one loop per kernel row. */
    private void planeBlock(MethodSpec.Builder method, int count, int from, int to) {
        boolean wholePlanes = from == 0 && to == outHeight * planeRow();
        for (int j = 0; j < count; j++) {
            method.addStatement("float[] out$L = planes[f + $L]", j, j);
            if (wholePlanes) {
                method.addStatement("$T.fill(out$L, p[$L + f + $L])", java.util.Arrays.class, j, conv.biasOffset(), j);
            } else {
                method.addStatement("$T.fill(out$L, $L, $L, p[$L + f + $L])", java.util.Arrays.class, j,
                        from + planeStart, to + planeStart, conv.biasOffset(), j);
            }
        }
        // The channel count is read from the array, not written as a constant: with a constant 1, C2
        // removes this loop, and kernel loops directly inside the constant filter loop ran 4x slower
        // (FashionLeNet conv1 34 vs 8 us per image, JDK 17 and 25; more channels: no difference).
        method.beginControlFlow("for (int c = 0; c < shifted.length / $L; c++)", kernel);
        for (int j = 0; j < count; j++) {
            method.addStatement("int weight$L = $L", j, Terms.offset(conv.paramOffset(),
                    "((f + " + j + ") * " + channels + " + c) * " + (kernel * kernel)));
        }
        if (unrolled()) {
            for (int kx = 0; kx < kernel; kx++) {
                method.addStatement("float[] s$L = shifted[c * $L + $L]", kx, kernel, kx);
            }
            for (int ky = 0; ky < kernel; ky++) {
                int offset = ky * planeRow();
                method.addComment("kernel row $L: input rows oy + $L, offset $L", ky, ky, offset);
                method.beginControlFlow("");
                for (int j = 0; j < count; j++) {
                    for (int kx = 0; kx < kernel; kx++) {
                        method.addStatement("float w$L$L = p[weight$L + $L]", j, kx, j, ky * kernel + kx);
                    }
                }
                kernelRowLoop(method, count, from, to, offset);
                method.endControlFlow();
            }
        } else {
            method.beginControlFlow("for (int kx = 0; kx < $L; kx++)", kernel)
                    .addStatement("float[] s = shifted[c * $L + kx]", kernel);
            for (int ky = 0; ky < kernel; ky++) {
                int offset = ky * planeRow();
                method.beginControlFlow("");
                for (int j = 0; j < count; j++) {
                    method.addStatement("float w$L = p[weight$L + $L + kx]", j, j, ky * kernel);
                }
                method.beginControlFlow("for (int i = $L; i < $L; i++)", from, to);
                for (int j = 0; j < count; j++) {
                    method.addStatement("out$L[i$L] += w$L * s[i$L]", j, Terms.plus(planeStart), j, Terms.plus(offset));
                }
                method.endControlFlow().endControlFlow();
            }
            method.endControlFlow();
        }
        method.endControlFlow();
    }

    /**
     * The {@linkplain #sliced() sliced} form's step 2: channel by channel, its tap windows (each one
     * copy from a shifted plane), then every filter's plane gains that channel's taps, kernel row by
     * kernel row (a loop: unrolled into blocks like {@link #planeBlock}'s, JDK 17 ran CIFAR LeNet conv2
     * 3x slower). Each output entry adds the same terms in the same
     * order as {@link #planeBlock}: channel, then kernel row, then the row's columns in one statement.
     */
    private void slicedPlanes(MethodSpec.Builder method, int planeLength) {
        method.addComment("2. output planes: bias, then channel by channel its tap windows times weights, two filters at a time")
                .beginControlFlow("for (int f = $L; f < $L; f++)", share.fromFilter(), share.toFilter())
                .addStatement("$T.fill(planes[f], p[$L + f])", java.util.Arrays.class, conv.biasOffset())
                .endControlFlow();
        // The channel count is read from the array, as in planeBlock (a constant 1 lets C2 drop the loop).
        method.beginControlFlow("for (int c = 0; c < shifted.length / $L; c++)", kernel)
                .addComment("the channel's tap windows: whole planes, so every loop below reads and writes all its arrays at one index")
                .beginControlFlow("for (int kx = 0; kx < $L; kx++)", kernel)
                .addStatement("float[] shiftedPlane = shifted[c * $L + kx]", kernel)
                .beginControlFlow("for (int ky = 0; ky < $L; ky++)", kernel)
                .addStatement("$T.arraycopy(shiftedPlane, ky * $L, slices[ky * $L + kx], $L, $L)", System.class,
                        outWidth, kernel, planeStart, planeLength)
                .endControlFlow()
                .endControlFlow();
        filterPairs(method, count -> slicedBlock(method, count, planeLength));
        method.endControlFlow();
    }

    /**
     * Two filters per pass (the block shape measured fastest), then the odd one alone: {@code block}
     * writes the body for {@code count} filters from {@code f}.
     */
    private void filterPairs(MethodSpec.Builder method, IntConsumer block) {
        int first = share.fromFilter();
        int pairsEnd = first + (share.toFilter() - first) / 2 * 2;
        if (pairsEnd > first) {
            method.beginControlFlow("for (int f = $L; f < $L; f += 2)", first, pairsEnd);
            block.accept(2);
            method.endControlFlow();
        }
        if (pairsEnd < share.toFilter()) {
            method.beginControlFlow("for (int f = $L; f < $L; f++)", pairsEnd, share.toFilter());
            block.accept(1);
            method.endControlFlow();
        }
    }

    /** Channel c's taps into the planes of filters {@code f .. f + count - 1}, one loop per kernel row. */
    private void slicedBlock(MethodSpec.Builder method, int count, int planeLength) {
        for (int j = 0; j < count; j++) {
            method.addStatement("float[] out$L = planes[f + $L]", j, j)
                    .addStatement("int weight$L = $L", j, Terms.offset(conv.paramOffset(),
                            "((f + " + j + ") * " + channels + " + c) * " + (kernel * kernel)));
        }
        method.beginControlFlow("for (int ky = 0; ky < $L; ky++)", kernel);
        for (int kx = 0; kx < kernel; kx++) {
            method.addStatement("float[] s$L = slices[ky * $L + $L]", kx, kernel, kx);
        }
        for (int j = 0; j < count; j++) {
            for (int kx = 0; kx < kernel; kx++) {
                method.addStatement("float w$L$L = p[weight$L + ky * $L + $L]", j, kx, j, kernel, kx);
            }
        }
        kernelRowLoop(method, count, 0, planeLength, planeStart);
        method.endControlFlow();
    }

    /**
     * One kernel row's taps over plane entries {@code [from, to)}, for filters 0 to {@code count - 1}:
     * {@code out<j>[i + planeStart] += w<j>0 * s0[i + readOffset] + w<j>1 * s1[i + readOffset] + ...}.
     */
    private void kernelRowLoop(MethodSpec.Builder method, int count, int from, int to, int readOffset) {
        method.beginControlFlow("for (int i = $L; i < $L; i++)", from, to);
        for (int j = 0; j < count; j++) {
            StringBuilder sum = new StringBuilder();
            for (int kx = 0; kx < kernel; kx++) {
                sum.append(kx == 0 ? "" : " + ").append("w").append(j).append(kx).append(" * s").append(kx)
                        .append("[i").append(Terms.plus(readOffset)).append("]");
            }
            method.addStatement("out$L[i$L] += $L", j, Terms.plus(planeStart), sum);
        }
        method.endControlFlow();
    }

    /** Other strides: shifted rows and one loop per output row. */
    private void rowForward(MethodSpec.Builder method) {
        method.addComment("1. shifted copies of the input rows, zero where the kernel reads padding");
        shiftedCopies(method, "shifted");
        method.addComment("2. output rows: bias, then whole shifted rows times weights, two filters at a time");
        filterPairs(method, count -> filterBlock(method, count));
        method.addComment("3. the activation, back into the flat CHW output");
        method.beginControlFlow("for (int r = 0; r < $L; r++)", filters * outHeight)
                .addStatement("float[] row = rows[r]")
                .addStatement("int at = r * $L", outWidth)
                .beginControlFlow("for (int ox = 0; ox < $L; ox++)", outWidth)
                .addStatement("out[at + ox] = $L", ActivationCode.apply(conv.activation(), "row[ox]"))
                .endControlFlow()
                .endControlFlow();
    }

    /** {@code shifted[(c*K + kx)*H + iy][ox] = x[c][iy][ox*s + kx - padLeft]} for the ox that read the image. */
    private void shiftedCopies(MethodSpec.Builder method, String target) {
        Axis cols = conv.cols();
        method.beginControlFlow("for (int c = 0; c < $L; c++)", channels)
                .beginControlFlow("for (int kx = 0; kx < $L; kx++)", kernel)
                .addStatement("int oxStart = $L", rangeStart(cols, "kx"))
                .addStatement("int oxEnd = $L", rangeEnd(cols, "kx"))
                .beginControlFlow("for (int iy = 0; iy < $L; iy++)", height)
                .addStatement("float[] row = $N[(c * $L + kx) * $L + iy]", target, kernel, height)
                .addStatement("int base = (c * $L + iy) * $L + kx$L", height, width, Terms.plus(-cols.padBefore()));
        if (cols.padBefore() > 0 || cols.padAfter() > 0) {
            // the zero entries never change, but a fresh buffer must not keep another image's values
            method.beginControlFlow("for (int ox = 0; ox < oxStart; ox++)")
                    .addStatement("row[ox] = 0f")
                    .endControlFlow();
        }
        method.beginControlFlow("for (int ox = oxStart; ox < oxEnd; ox++)")
                .addStatement("row[ox] = in[base + $L]", Terms.times("ox", stride))
                .endControlFlow();
        if (cols.padBefore() > 0 || cols.padAfter() > 0) {
            method.beginControlFlow("for (int ox = oxEnd; ox < $L; ox++)", outWidth)
                    .addStatement("row[ox] = 0f")
                    .endControlFlow();
        }
        method.endControlFlow().endControlFlow().endControlFlow();
    }

    /** The rows of filters {@code f .. f + count - 1}: bias, then every (c, ky) tap row. */
    private void filterBlock(MethodSpec.Builder method, int count) {
        method.beginControlFlow("for (int oy = 0; oy < $L; oy++)", outHeight);
        for (int j = 0; j < count; j++) {
            method.addStatement("float[] out$L = rows[(f + $L) * $L + oy]", j, j, outHeight)
                    .addStatement("float bias$L = p[$L + f + $L]", j, conv.biasOffset(), j)
                    .beginControlFlow("for (int ox = 0; ox < $L; ox++)", rowLength)
                    .addStatement("out$L[ox] = bias$L", j, j)
                    .endControlFlow();
        }
        method.beginControlFlow("for (int c = 0; c < $L; c++)", channels)
                .beginControlFlow("for (int ky = 0; ky < $L; ky++)", kernel)
                .addStatement("int iy = $L + ky$L", Terms.times("oy", stride), Terms.plus(-conv.rows().padBefore()));
        if (conv.rows().padBefore() > 0 || conv.rows().padAfter() > 0) {
            method.beginControlFlow("if (iy < 0 || iy >= $L)", height)
                    .addStatement("continue")
                    .endControlFlow();
        }
        for (int j = 0; j < count; j++) {
            method.addStatement("int weight$L = $L", j, Terms.offset(conv.paramOffset(),
                    "(((f + " + j + ") * " + channels + " + c) * " + kernel + " + ky) * " + kernel));
        }
        if (unrolled()) {
            for (int kx = 0; kx < kernel; kx++) {
                method.addStatement("float[] s$L = shifted[(c * $L + $L) * $L + iy]", kx, kernel, kx, height);
                for (int j = 0; j < count; j++) {
                    method.addStatement("float w$L$L = p[weight$L + $L]", j, kx, j, kx);
                }
            }
            method.beginControlFlow("for (int ox = 0; ox < $L; ox++)", rowLength);
            for (int j = 0; j < count; j++) {
                StringBuilder sum = new StringBuilder();
                for (int kx = 0; kx < kernel; kx++) {
                    sum.append(kx == 0 ? "" : " + ").append("w").append(j).append(kx).append(" * s").append(kx)
                            .append("[ox]");
                }
                method.addStatement("out$L[ox] += $L", j, sum);
            }
            method.endControlFlow();
        } else {
            method.beginControlFlow("for (int kx = 0; kx < $L; kx++)", kernel)
                    .addStatement("float[] s = shifted[(c * $L + kx) * $L + iy]", kernel, height);
            for (int j = 0; j < count; j++) {
                method.addStatement("float w$L = p[weight$L + kx]", j, j);
            }
            method.beginControlFlow("for (int ox = 0; ox < $L; ox++)", rowLength);
            for (int j = 0; j < count; j++) {
                method.addStatement("out$L[ox] += w$L * s[ox]", j, j);
            }
            method.endControlFlow().endControlFlow();
        }
        method.endControlFlow().endControlFlow().endControlFlow();
    }

    // ---------------------------------------------------------------- backward

    @Override
    public MethodSpec backward(boolean inputGradient) {
        MethodSpec.Builder method = MethodSpec.methodBuilder(backwardName())
                .addModifiers(Modifier.STATIC)
                .addJavadoc("Backward of " + shapes() + "\n")
                .addJavadoc("dz = dy * act'(y); db[f] += sum dz[f]\n")
                .addJavadoc("dL/dW = input (*) dL/dz: dW[f][c][ky][kx] += sum_{oy,ox} dz[f][oy][ox] * " + index() + "\n")
                .addJavadoc("  computed as a matrix product over output positions p: dW[f][j] += sum_p dz[f][p] * window[p][j]\n");
        if (inputGradient) {
            method.addJavadoc("dL/dx: dx[c][iy][ix] = sum_{f,ky,kx} dz[f][oy][ox] * w[f][c][ky][kx] over the (oy, ox, ky, kx)"
                    + " that read x[c][iy][ix],\n")
                    .addJavadoc("  (the full convolution of the zero-padded dz with the flipped kernels), computed window by window:\n")
                    .addJavadoc("  dWindow[p][j] = sum_f dz[f][p] * w[f][j], added back where window p was read\n");
        }
        method.addParameter(float[].class, "p")
                .addParameter(float[].class, "g")
                .addParameter(float[].class, "in")
                .addParameter(float[].class, "out")
                .addParameter(float[].class, "dOut");
        if (inputGradient) {
            method.addParameter(float[].class, "dIn");
        }
        for (ScratchBuffer buffer : backwardScratch(inputGradient)) {
            String simple = buffer.name().substring(name().length());
            method.addParameter(buffer.type(), Character.toLowerCase(simple.charAt(0)) + simple.substring(1));
        }
        method.addComment("dL/dz; the bias gradient is its sum over each filter's plane")
                .addCode(ActivationCode.backward(conv.activation(), "dOut", "out", conv.output().size()));
        int plane = outHeight * outWidth;
        int quads = plane / 4 * 4;
        method.addComment("four partial sums: one running sum would wait on every addition")
                .beginControlFlow("for (int f = 0; f < $L; f++)", filters)
                .addStatement("int at = f * $L", plane)
                .addStatement("float sum0 = 0f, sum1 = 0f, sum2 = 0f, sum3 = 0f")
                .addStatement("int i = 0")
                .beginControlFlow("for (; i < $L; i += 4)", quads)
                .addStatement("sum0 += dOut[at + i]")
                .addStatement("sum1 += dOut[at + i + 1]")
                .addStatement("sum2 += dOut[at + i + 2]")
                .addStatement("sum3 += dOut[at + i + 3]")
                .endControlFlow();
        if (quads < plane) {
            method.beginControlFlow("for (; i < $L; i++)", plane)
                    .addStatement("sum0 += dOut[at + i]")
                    .endControlFlow();
        }
        method.addStatement("g[$L + f] += (sum0 + sum1) + (sum2 + sum3)", conv.biasOffset())
                .endControlFlow();
        weightGradient(method);
        if (inputGradient) {
            windowInputGradient(method);
        }
        return method.build();
    }

    /** Floats of im2col windows held at once (64 KB): whole output rows, as many as fit. */
    private static final int WINDOW_BUDGET = 16384;
    /** Terms summed per loop: output positions in the weight gradient, filters in the input gradient. */
    private static final int TERMS_PER_LOOP = 4;

    /** Output rows whose windows are built and used together: as many as {@link #WINDOW_BUDGET} holds, at least one. */
    private int rowsPerPass() {
        return Math.max(1, Math.min(outHeight, WINDOW_BUDGET / (outWidth * windowLength())));
    }

    /** Windows of one pass; the one after them stays zero (it pads the last loop of a filter). */
    private int windowsPerPass() {
        return rowsPerPass() * outWidth;
    }

    /**
     * dW as a matrix product with the input windows (im2col): {@code weightSums[f] += dz[f][p] *
     * window[p]} over the output positions p, four per loop over the window entries j, so every
     * array in the loop is indexed by j alone (the form C2 vectorizes). Positions whose dz is zero
     * are left out: after 2x2 max pooling three in four are (its backward passes each window's
     * gradient to one position), after a ReLU about half, and a zero coefficient times a finite
     * window adds nothing. The windows are cut out of a band holding the input rows under an output
     * row column by column, {@code band[t][c][ky]}: window ox is then one contiguous range of it
     * (entries ordered kx, c, ky) and costs one array copy. Several output rows are done per pass
     * so that each filter's loops are full.
     */
    private void weightGradient(MethodSpec.Builder method) {
        int positions = outHeight * outWidth;
        int passRows = rowsPerPass();
        method.addComment("dL/dW = sum over output positions p of dz[f][p] * window[p], window[p][(kx * $L + c) * $L + ky]"
                + " = $L", channels, kernel, index())
                .beginControlFlow("for (int f = 0; f < $L; f++)", filters)
                .addStatement("$T.fill(weightSums[f], 0f)", java.util.Arrays.class)
                .endControlFlow()
                .beginControlFlow("for (int firstRow = 0; firstRow < $L; firstRow += $L)", outHeight, passRows)
                .addStatement("int passRows = Math.min($L, $L - firstRow)", passRows, outHeight)
                .beginControlFlow("for (int r = 0; r < passRows; r++)")
                .addStatement("int oy = firstRow + r");
        if (stride < kernel) {
            method.addComment("the band of input rows under output row oy (its padding columns stay zero): whole for")
                    .addComment("the first row; each later row shifts the previous one by $L kernel row$L and reads only the new input row$L",
                            stride, stride == 1 ? "" : "s", stride == 1 ? "" : "s")
                    .beginControlFlow("if (oy == 0)");
            bandRows(method, 0);
            method.nextControlFlow("else")
                    .addStatement("$T.arraycopy(band, $L, band, 0, $L)", System.class, stride, bandLength() - stride);
            bandRows(method, kernel - stride);
            method.endControlFlow();
        } else {
            method.addComment("the band of input rows under output row oy (its padding columns stay zero)");
            bandRows(method, 0);
        }
        method.addComment("window ox starts at band column $L", Terms.times("ox", stride))
                .beginControlFlow("for (int ox = 0; ox < $L; ox++)", outWidth)
                .addStatement("$T.arraycopy(band, $L, windows[r * $L + ox], 0, $L)", System.class,
                        Terms.times("ox", stride * bandColumn()), outWidth, windowEntries())
                .endControlFlow()
                .endControlFlow();
        weightLoops(method, positions);
        method.endControlFlow()
                .addComment("add the sums into g, where w[f][c][ky][kx] lives")
                .beginControlFlow("for (int f = 0; f < $L; f++)", filters)
                .addStatement("float[] sum = weightSums[f]")
                .addStatement("int weight = $L", Terms.offset(conv.paramOffset(), "f * " + windowEntries()));
        eachWeight(method, "g[weight + $1L] += sum[$2L]");
        method.endControlFlow();
    }

    /**
     * Band entries {@code [t][c][ky]} for ky from {@code firstKy} on, of output row {@code oy}. When
     * only the last kernel rows are new (after the shift), the padding columns' new entries hold
     * what the shift moved there and are zeroed again.
     */
    private void bandRows(MethodSpec.Builder method, int firstKy) {
        Axis rows = conv.rows();
        int column = bandColumn();
        int firstColumn = firstInputColumn();
        int endColumn = endInputColumn();
        boolean shifted = firstKy > 0;
        method.beginControlFlow("for (int c = 0; c < $L; c++)", channels)
                .beginControlFlow("for (int ky = $L; ky < $L; ky++)", firstKy, kernel)
                .addStatement("int iy = $L + ky$L", Terms.times("oy", stride), Terms.plus(-rows.padBefore()))
                .addStatement("int to = c * $L + ky", kernel);
        if (shifted && firstColumn > 0) {
            method.beginControlFlow("for (int t = 0; t < $L; t++)", firstColumn)
                    .addStatement("band[t * $L + to] = 0f", column)
                    .endControlFlow();
        }
        if (shifted && endColumn < bandColumns()) {
            method.beginControlFlow("for (int t = $L; t < $L; t++)", endColumn, bandColumns())
                    .addStatement("band[t * $L + to] = 0f", column)
                    .endControlFlow();
        }
        if (rows.padBefore() > 0 || rows.padAfter() > 0) {
            method.beginControlFlow("if (iy < 0 || iy >= $L)", height)
                    .beginControlFlow("for (int t = $L; t < $L; t++)", firstColumn, endColumn)
                    .addStatement("band[t * $L + to] = 0f", column)
                    .endControlFlow()
                    .addStatement("continue")
                    .endControlFlow();
        }
        method.addStatement("int from = (c * $L + iy) * $L$L", height, width, Terms.plus(-firstColumn))
                .beginControlFlow("for (int t = $L; t < $L; t++)", firstColumn, endColumn)
                .addStatement("band[t * $L + to] = in[from + t]", column)
                .endControlFlow()
                .endControlFlow()
                .endControlFlow();
    }

    /** Per filter: the pass's positions with dz != 0 (found without branches), then four per loop. */
    private void weightLoops(MethodSpec.Builder method, int positions) {
        int zeroWindow = windowsPerPass();
        method.addComment("weightSums[f] += dz[f][p] * windows[p] over the pass's positions p whose dz is not zero")
                .addStatement("int passPositions = passRows * $L", outWidth)
                .beginControlFlow("for (int f = 0; f < $L; f++)", filters)
                .addStatement("int delta = f * $L + firstRow * $L", positions, outWidth);
        NonzeroTerms.collect(method, "q", "passPositions", "dOut[delta + q]", true);
        NonzeroTerms.pad(method, TERMS_PER_LOOP, Integer.toString(zeroWindow), "the zero window");
        method.addStatement("float[] sum = weightSums[f]");
        NonzeroTerms.sumLoops(method, TERMS_PER_LOOP, "windows", "x", "sum[j]", windowLength());
        method.endControlFlow();
    }

    /**
     * dL/dx as the adjoint of the im2col above: per output position, the gradient of its window is
     * {@code sum over filters of dz[f][p] * w[f]} (weights in window order), added into the band's
     * gradient exactly where the window was cut from the band, and that goes back into dL/dx where
     * the band was copied from (its own buffer: the band's padding columns must stay zero). Filters
     * whose dz is zero at the position are left out (as in the weight gradient): four filters per
     * loop over the window entries.
     */
    private void windowInputGradient(MethodSpec.Builder method) {
        Axis rows = conv.rows();
        int positions = outHeight * outWidth;
        int column = bandColumn();
        int firstColumn = firstInputColumn();
        method.addComment("dL/dx: the weights in window order, [f][(kx * $L + c) * $L + ky] (filter $L, the last, stays zero)",
                        channels, kernel, filters)
                .beginControlFlow("for (int f = 0; f < $L; f++)", filters)
                .addStatement("float[] w = weightWindows[f]")
                .addStatement("int weight = $L", Terms.offset(conv.paramOffset(), "f * " + windowEntries()));
        eachWeight(method, "w[$2L] = p[weight + $1L]");
        method.endControlFlow()
                .addStatement("$T.fill(dIn, 0f)", java.util.Arrays.class)
                .beginControlFlow("for (int oy = 0; oy < $L; oy++)", outHeight)
                .addStatement("$T.fill(bandGradient, 0f)", java.util.Arrays.class)
                .beginControlFlow("for (int ox = 0; ox < $L; ox++)", outWidth)
                .addStatement("int at = oy * $L + ox", outWidth);
        NonzeroTerms.collect(method, "f", Integer.toString(filters), "dOut[f * " + positions + " + at]", true);
        NonzeroTerms.pad(method, TERMS_PER_LOOP, Integer.toString(filters), "the zero filter " + filters);
        // The copy: with loads at j and stores at window + j into arrays C2 cannot tell apart, it
        // would not vectorize the loop (3x slower), so the sum runs on a copy indexed like the weights.
        method.addComment("window ox is band columns $L on; its gradient is summed in a copy, then put back",
                        Terms.times("ox", stride))
                .addStatement("int window = $L", Terms.times("ox", stride * column))
                .beginControlFlow("if (count != 0)")
                .addStatement("$T.arraycopy(bandGradient, window, windowGradient, 0, $L)", System.class,
                        windowEntries());
        NonzeroTerms.sumLoops(method, TERMS_PER_LOOP, "weightWindows", "w", "windowGradient[j]", windowEntries());
        method.addStatement("$T.arraycopy(windowGradient, 0, bandGradient, window, $L)", System.class,
                        windowEntries())
                .endControlFlow()
                .endControlFlow()
                .addComment("the band back into the input rows under output row oy (its padding columns are dropped)")
                .beginControlFlow("for (int c = 0; c < $L; c++)", channels)
                .beginControlFlow("for (int ky = 0; ky < $L; ky++)", kernel)
                .addStatement("int iy = $L + ky$L", Terms.times("oy", stride), Terms.plus(-rows.padBefore()));
        if (rows.padBefore() > 0 || rows.padAfter() > 0) {
            method.beginControlFlow("if (iy < 0 || iy >= $L)", height)
                    .addStatement("continue")
                    .endControlFlow();
        }
        method.addStatement("int from = c * $L + ky", kernel)
                .addStatement("int to = (c * $L + iy) * $L$L", height, width, Terms.plus(-firstColumn))
                .beginControlFlow("for (int t = $L; t < $L; t++)", firstColumn, endInputColumn())
                .addStatement("dIn[to + t] += bandGradient[t * $L + from]", column)
                .endControlFlow()
                .endControlFlow()
                .endControlFlow()
                .endControlFlow();
    }

    /** First output position whose input {@code o*s + k - pad} is {@code >= 0}: {@code ceil((pad - k) / s)}, at least 0. */
    private static String rangeStart(Axis axis, String tap) {
        if (axis.padBefore() == 0) {
            return "0";
        }
        // For pad - k <= 0 the quotient is <= 0 whatever the rounding, and max() clamps it to 0.
        return "Math.max(0, (" + axis.padBefore() + " - " + tap + " + " + (axis.stride() - 1) + ") / "
                + axis.stride() + ")";
    }

    /** One past the last output position whose input {@code o*s + k - pad} is {@code < n}. */
    private static String rangeEnd(Axis axis, String tap) {
        if (axis.padBefore() == 0 && axis.padAfter() == 0) {
            return Integer.toString(axis.output()); // VALID: every window fits
        }
        int last = axis.input() - 1 + axis.padBefore();
        // Guard the negative case explicitly: Java's division truncates toward zero.
        return "Math.min(" + axis.output() + ", " + tap + " > " + last + " ? 0 : (" + last + " - " + tap + ") / "
                + axis.stride() + " + 1)";
    }
}
