package dev.cnnc.processor.emit;

import com.palantir.javapoet.ClassName;
import com.palantir.javapoet.MethodSpec;
import com.palantir.javapoet.TypeSpec;
import dev.cnnc.Activation;
import dev.cnnc.PoolKind;
import dev.cnnc.processor.model.LayerModel;
import dev.cnnc.processor.model.LayerModel.ConvLayer;
import dev.cnnc.processor.model.LayerModel.PoolLayer;
import dev.cnnc.processor.model.Shape;
import java.util.ArrayList;
import java.util.List;
import javax.lang.model.element.Modifier;

/**
 * The batch form of the convolution and pooling layers: {@value #LANES} images side by side, image
 * {@code n} of a group in lane {@code n}, so a row of a feature map is {@code float[width * 16]} with
 * {@code [x * 16 + n] = image n at column x}. A convolution tap then reads {@code row[i + 16 * kx]}:
 * whole vectors, no padding lanes (the per-image form pads 10-wide rows to 16), no shifted copies.
 *
 * <p>Every output is the same sum in the same order as in the per-image methods (bias, then for
 * each channel and kernel row {@code += w[kx=0] x + w[kx=1] x + ...}), and pooling compares in the same
 * order, so both forms give the same bits; only the speed differs. Which is faster depends on the JIT
 * (measured: JDK 17's C2 vectorizes these loops, JDK 25's does not), so the inference class times both
 * once per JVM and keeps the faster ({@code predictBatch}, {@code batchKernel()}).
 *
 * <p>A convolution followed by a pooling whose windows do not overlap (size = stride) runs one
 * pooling row at a time: the convolution computes the rows of one band of windows into a buffer of
 * that many rows, the pooling reduces it, and the next band reuses the buffer. So the convolution's
 * whole output (CifarLeNet's conv1: 301 KB for 16 images) is never stored, and a thread's lane buffers
 * stay in its core's L2 cache: with the whole maps, two threads each ran about a third slower than one
 * alone (JDK 17, 1 MB of L2 per core). The sums and maxima are the same; only where they are kept differs.
 *
 * <p>Only networks whose convolutions all have stride 1 and kernels of at most
 * {@value ConvEmitter#MAX_UNROLLED_TAPS} get this form (those are the per-image kernels it mirrors);
 * the dense layers run per image on the inference class's transposed weights.
 */
final class LanesEmitter {
    static final int LANES = 16;

    private final Pipeline pipeline;
    /** Index of the first dense layer (or the number of layers): the layers this form covers. */
    private final int spatialEnd;
    private final String unavailable;

    LanesEmitter(Pipeline pipeline) {
        this.pipeline = pipeline;
        this.spatialEnd = pipeline.firstDense();
        this.unavailable = reasonUnavailable();
    }

    private String reasonUnavailable() {
        boolean anyConv = false;
        for (int i = 0; i < spatialEnd; i++) {
            LayerModel layer = pipeline.emitters().get(i).layer();
            if (layer instanceof ConvLayer conv) {
                anyConv = true;
                if (conv.stride() != 1) {
                    return conv.name() + " has stride " + conv.stride();
                }
                if (conv.kernel() > ConvEmitter.MAX_UNROLLED_TAPS) {
                    return conv.name() + " has a " + conv.kernel() + "x" + conv.kernel() + " kernel";
                }
            }
        }
        return anyConv ? null : "the network has no convolution";
    }

    /** Whether the network gets the lane form; if not, {@link #unavailableReason()} says why. */
    boolean available() {
        return unavailable == null;
    }

    String unavailableReason() {
        return unavailable;
    }

    /** Name of the per-image buffer the lane form's last feature map is copied back into. */
    String lastSpatialOutput() {
        return pipeline.output(spatialEnd - 1);
    }

    /** Whether dense layers follow the lane form (run per image by {@code forwardDense}). */
    boolean hasDenseTail() {
        return spatialEnd < pipeline.size();
    }

    // ---------------------------------------------------------------- geometry

    /** Lane buffer of tensor {@code t} (0 = the input, t = output of layer t - 1), padded for its consumer. */
    private record Plane(String name, int channels, int height, int width, int top, int left, int bottom,
                         int right, int band) {
        /** Rows per channel: the whole map with its padding, or only one band of {@code band} rows. */
        int rowsPerChannel() {
            return band > 0 ? band : top + height + bottom;
        }

        int rows() {
            return channels * rowsPerChannel();
        }

        int rowLength() {
            return (left + width + right) * LANES;
        }
    }

    private Plane plane(int t) {
        Shape shape = t == 0 ? pipeline.emitters().get(0).layer().input()
                : pipeline.emitters().get(t - 1).layer().output();
        String name = pipeline.output(t - 1); // "input", then "<layer>Out" as in Scratch
        int top = 0, left = 0, bottom = 0, right = 0;
        if (t < spatialEnd && pipeline.emitters().get(t).layer() instanceof ConvLayer conv) {
            top = conv.rows().padBefore();
            bottom = conv.rows().padAfter();
            left = conv.cols().padBefore();
            right = conv.cols().padAfter();
        }
        int band = t > 0 && poolsByBands(t - 1) ? ((PoolLayer) pipeline.emitters().get(t).layer()).stride() : 0;
        return new Plane(name, shape.channels(), shape.height(), shape.width(), top, left, bottom, right, band);
    }

    /**
     * Whether layer {@code i} is a convolution whose output only a pooling with windows that do not
     * overlap reads: then the two run band by band, and the convolution's output holds one band.
     */
    private boolean poolsByBands(int i) {
        return i + 1 < spatialEnd && pipeline.emitters().get(i).layer() instanceof ConvLayer
                && pipeline.emitters().get(i + 1).layer() instanceof PoolLayer pool && pool.size() == pool.stride();
    }

    // ---------------------------------------------------------------- buffers

    /** {@code static final class Lanes}: one lane buffer per feature map, allocated per thread on first use. */
    TypeSpec lanesClass(ClassName type) {
        TypeSpec.Builder lanes = TypeSpec.classBuilder(type)
                .addModifiers(Modifier.STATIC, Modifier.FINAL)
                .addJavadoc("One thread's feature maps of 16 images side by side: rows [c * rows + y][x * 16 + image],\n"
                        + "with zero rows and columns where the next convolution reads padding.\n");
        AlignedRows rows = new AlignedRows(type.enclosingClassName());
        for (int t = 0; t <= spatialEnd; t++) {
            Plane plane = plane(t);
            rows.addField(lanes, new ScratchBuffer(plane.name(), plane.rows(), plane.rowLength(),
                    plane.name() + ": " + plane.channels() + " channels x " + plane.rowsPerChannel()
                            + (plane.band() > 0 ? " rows (one band of the " + plane.height() + ")" : " rows") + " of "
                            + (plane.left() + plane.width() + plane.right()) + " columns x 16 images"
                            + (plane.top() + plane.left() + plane.bottom() + plane.right() > 0
                            ? " (padding top " + plane.top() + ", left " + plane.left() + ", bottom " + plane.bottom()
                            + ", right " + plane.right() + ")" : "")));
        }
        for (int i = 0; i < spatialEnd; i++) {
            if (pipeline.emitters().get(i).layer() instanceof PoolLayer pool && vectorMax(pool)) {
                int length = plane(i).rowLength();
                rows.addField(lanes, new ScratchBuffer(pool.name() + "Rows", 0, length,
                        pool.name() + ": the maximum over each window's rows, one output row at a time"));
                rows.addField(lanes, new ScratchBuffer(pool.name() + "Windows", 0, length,
                        pool.name() + ": the maximum over each window whose left column is x, at x * 16"));
            }
        }
        return lanes.addMethod(rows.constructor()).build();
    }

    // ---------------------------------------------------------------- methods

    List<MethodSpec> methods(ClassName lanesType) {
        List<MethodSpec> methods = new ArrayList<>();
        methods.add(forwardLanes(lanesType));
        methods.add(interleave());
        for (int i = 0; i < spatialEnd; i++) {
            LayerModel layer = pipeline.emitters().get(i).layer();
            if (layer instanceof ConvLayer conv) {
                methods.add(conv(conv, plane(i), plane(i + 1)));
            } else {
                methods.add(pool((PoolLayer) layer, plane(i), plane(i + 1)));
            }
        }
        methods.add(deinterleave());
        return methods;
    }

    private static String lanesName(LayerModel layer) {
        return layer.name() + "Lanes";
    }

    /** {@code static void forwardLanes(float[] p, float[] images, int first, Lanes l)}: 16 images through the feature layers. */
    private MethodSpec forwardLanes(ClassName lanesType) {
        MethodSpec.Builder method = MethodSpec.methodBuilder("forwardLanes")
                .addModifiers(Modifier.STATIC)
                .addJavadoc("Images {@code first .. first + 15} of {@code images} through the layers up to $L, side by side.\n",
                        pipeline.emitters().get(spatialEnd - 1).layer().name())
                .addParameter(float[].class, "p")
                .addParameter(float[].class, "images")
                .addParameter(int.class, "first")
                .addParameter(lanesType, "l")
                .addStatement("interleave(images, first, l.$N)", plane(0).name());
        for (int i = 0; i < spatialEnd; i++) {
            LayerModel layer = pipeline.emitters().get(i).layer();
            if (poolsByBands(i)) {
                LayerModel pool = pipeline.emitters().get(i + 1).layer();
                method.addComment("$L and $L, one band of $L rows at a time: $L -> $L -> $L", layer.name(), pool.name(),
                                plane(i + 1).band(), layer.input(), layer.output(), pool.output())
                        .beginControlFlow("for (int band = 0; band < $L; band++)", pool.output().height())
                        .beginControlFlow("for (int oy = band * $L; oy < band * $L + $L; oy++)", plane(i + 1).band(),
                                plane(i + 1).band(), plane(i + 1).band())
                        .addStatement("$N(p, l.$N, oy, l.$N)", lanesName(layer), plane(i).name(), plane(i + 1).name())
                        .endControlFlow();
                poolCall(method, (PoolLayer) pool, i + 1, true);
                method.endControlFlow();
                i++;
                continue;
            }
            method.addComment("$L: $L -> $L", layer.name(), layer.input(), layer.output());
            if (layer instanceof ConvLayer) {
                method.addStatement("$N(p, l.$N, l.$N)", lanesName(layer), plane(i).name(), plane(i + 1).name());
            } else {
                poolCall(method, (PoolLayer) layer, i, false);
            }
        }
        return method.build();
    }

    /** The call of a pooling's lane method, of one band's row ({@code band}) or of the whole map. */
    private void poolCall(MethodSpec.Builder method, PoolLayer pool, int i, boolean banded) {
        String maps = "l." + plane(i).name() + ", l." + plane(i + 1).name() + (banded ? ", band" : "");
        if (vectorMax(pool)) {
            method.addStatement("$N($L, l.$N, l.$N)", lanesName(pool), maps, pool.name() + "Rows", pool.name() + "Windows");
        } else {
            method.addStatement("$N($L)", lanesName(pool), maps);
        }
    }

    /** Copies 16 CHW images into the input lanes (inside the padding of the first convolution). */
    private MethodSpec interleave() {
        Plane in = plane(0);
        return MethodSpec.methodBuilder("interleave")
                .addModifiers(Modifier.STATIC)
                .addJavadoc("Image {@code first + n} (CHW) into lane n of {@code lanes}.\n")
                .addParameter(float[].class, "images")
                .addParameter(int.class, "first")
                .addParameter(float[][].class, "lanes")
                .beginControlFlow("for (int n = 0; n < $L; n++)", LANES)
                .addStatement("int image = (first + n) * $L", in.channels() * in.height() * in.width())
                .beginControlFlow("for (int c = 0; c < $L; c++)", in.channels())
                .beginControlFlow("for (int y = 0; y < $L; y++)", in.height())
                .addStatement("float[] row = lanes[$L]", Terms.offset(in.top(), "c * " + in.rowsPerChannel() + " + y"))
                .addStatement("int from = image + (c * $L + y) * $L", in.height(), in.width())
                .beginControlFlow("for (int x = 0; x < $L; x++)", in.width())
                .addStatement("row[$L] = images[from + x]", Terms.offset(in.left() * LANES, "x * " + LANES + " + n"))
                .endControlFlow()
                .endControlFlow()
                .endControlFlow()
                .endControlFlow()
                .build();
    }

    /** Lane {@code n} of the last feature map back into one image's flat CHW buffer (what the dense layers read). */
    private MethodSpec deinterleave() {
        Plane last = plane(spatialEnd);
        return MethodSpec.methodBuilder("deinterleave")
                .addModifiers(Modifier.STATIC)
                .addJavadoc("Lane {@code n} of $L's lanes as a flat CHW image.\n", last.name())
                .addParameter(float[][].class, "lanes")
                .addParameter(int.class, "n")
                .addParameter(float[].class, "out")
                .beginControlFlow("for (int r = 0; r < $L; r++)", last.rows())
                .addStatement("float[] row = lanes[r]")
                .addStatement("int to = r * $L", last.width())
                .beginControlFlow("for (int x = 0; x < $L; x++)", last.width())
                .addStatement("out[to + x] = row[x * $L + n]", LANES)
                .endControlFlow()
                .endControlFlow()
                .build();
    }

    /** Stride-1 convolution on lanes, mirroring {@code ConvEmitter}'s unrolled plane form term by term. */
    private MethodSpec conv(ConvLayer conv, Plane in, Plane out) {
        int k = conv.kernel();
        MethodSpec.Builder method = MethodSpec.methodBuilder(lanesName(conv))
                .addModifiers(Modifier.STATIC)
                .addJavadoc("$L on 16 images side by side: the sums of {@code $L}, term by term in its order.\n",
                        conv.name(), conv.name() + "Forward")
                .addParameter(float[].class, "p")
                .addParameter(float[][].class, "in");
        if (out.band() > 0) {
            // one row per call, not a loop over the band's rows: JDK 17's C2 unrolled that two-row loop
            // and vectorized neither copy (CifarLeNet's lanes 73 instead of 23 us per image)
            method.addJavadoc("Only output row {@code oy}, into row {@code oy % $L} of each channel of {@code out} (one band).\n",
                    out.band());
            method.addParameter(int.class, "oy");
        }
        method.addParameter(float[][].class, "out");
        if (out.band() > 0) {
            method.addStatement("int r = oy % $L", out.band());
        }
        int pairs = conv.filters() / 2 * 2;
        if (pairs > 0) {
            method.beginControlFlow("for (int f = 0; f < $L; f += 2)", pairs);
            convBlock(method, conv, in, out, 2, k);
            method.endControlFlow();
        }
        if (conv.filters() % 2 == 1) {
            method.beginControlFlow("for (int f = $L; f < $L; f++)", conv.filters() - 1, conv.filters());
            convBlock(method, conv, in, out, 1, k);
            method.endControlFlow();
        }
        return method.build();
    }

    private void convBlock(MethodSpec.Builder method, ConvLayer conv, Plane in, Plane out, int count, int k) {
        int length = conv.output().width() * LANES;
        int at = out.left() * LANES;
        String atText = Terms.plus(at);
        int channels = conv.input().channels();
        boolean banded = out.band() > 0;
        String outRow = banded ? "r" : "oy"; // r: the row within the band, set once by the method
        if (!banded) {
            method.beginControlFlow("for (int oy = 0; oy < $L; oy++)", conv.output().height());
        }
        for (int j = 0; j < count; j++) {
            method.addStatement("float[] out$L = out[$L]", j,
                    Terms.offset(out.top(), "(f + " + j + ") * " + out.rowsPerChannel() + " + " + outRow))
                    .addStatement("float bias$L = p[$L + f + $L]", j, conv.biasOffset(), j);
        }
        // Arrays.fill, not a loop storing into both rows: with that loop C2 left the whole nest scalar
        // (measured, JDK 17: conv1 of the CIFAR LeNet 85 instead of 15 us per image)
        for (int j = 0; j < count; j++) {
            method.addStatement("$T.fill(out$L, $L, $L, bias$L)", java.util.Arrays.class, j, at, at + length, j);
        }
        method.beginControlFlow("for (int c = 0; c < $L; c++)", channels);
        for (int j = 0; j < count; j++) {
            method.addStatement("int weight$L = $L", j, Terms.offset(conv.paramOffset(),
                    "((f + " + j + ") * " + channels + " + c) * " + (k * k)));
        }
        // a loop over the kernel rows, not one block per row: C2 vectorized the looped form (measured on
        // JDK 17: 14 us per image for conv1 of the CIFAR LeNet) but not five unrolled copies (30 us)
        method.beginControlFlow("for (int ky = 0; ky < $L; ky++)", k)
                .addStatement("float[] x = in[c * $L + oy + ky]", in.rowsPerChannel());
        for (int j = 0; j < count; j++) {
            for (int kx = 0; kx < k; kx++) {
                method.addStatement("float w$L$L = p[weight$L + ky * $L$L]", j, kx, j, k, Terms.plus(kx));
            }
        }
        method.beginControlFlow("for (int i = 0; i < $L; i++)", length);
        for (int kx = 0; kx < k; kx++) {
            method.addStatement("float x$L = x[i$L]", kx, Terms.plus(kx * LANES));
        }
        for (int j = 0; j < count; j++) {
            StringBuilder sum = new StringBuilder();
            for (int kx = 0; kx < k; kx++) {
                sum.append(kx == 0 ? "" : " + ").append("w").append(j).append(kx).append(" * x").append(kx);
            }
            method.addStatement("out$L[i$L] += $L", j, atText, sum);
        }
        method.endControlFlow().endControlFlow();
        method.endControlFlow();
        if (conv.activation() != Activation.LINEAR) {
            method.beginControlFlow("for (int i = 0; i < $L; i++)", length);
            for (int j = 0; j < count; j++) {
                method.addStatement("out$L[i$L] = $L", j, atText,
                        ActivationCode.apply(conv.activation(), "out" + j + "[i" + atText + "]"));
            }
            method.endControlFlow();
        }
        if (!banded) {
            method.endControlFlow();
        }
    }

    /** Windows up to this side get their taps written out (rows hoisted out of the loops); larger ones loop. */
    private static final int MAX_UNROLLED_POOL = 4;

    /** Max pooling with windows of more than one pixel runs as whole-row passes ({@link #maxPool}). */
    private static boolean vectorMax(PoolLayer pool) {
        return pool.kind() == PoolKind.MAX && pool.size() > 1;
    }

    /**
     * Max pooling on lanes, one output row at a time: the window's rows folded with {@code Math.max}
     * over whole lane rows (two arrays, which C2 vectorizes), then its columns (the same row 16 floats
     * on), then each output's 16 lanes copied from its window's left column. Window by window, with
     * 16 lanes in an inner loop, it ran scalar. Same values as {@code PoolEmitter}'s forward: a NaN
     * wins, +0 beats -0.
     */
    private MethodSpec maxPool(PoolLayer pool, Plane in, Plane out) {
        int size = pool.size();
        int stride = pool.stride();
        int length = in.rowLength();
        int windows = length - (size - 1) * LANES;
        MethodSpec.Builder method = MethodSpec.methodBuilder(lanesName(pool))
                .addModifiers(Modifier.STATIC)
                .addJavadoc("$L on 16 images side by side: the maxima of {@code $L}.\n", pool.name(),
                        pool.name() + "Forward")
                .addParameter(float[][].class, "in")
                .addParameter(float[][].class, "out");
        beginRows(method, pool, in, out)
                .addParameter(float[].class, "rows")
                .addParameter(float[].class, "windows")
                .addStatement("float[] row0 = in[top]")
                .addStatement("float[] row1 = in[top + 1]")
                .beginControlFlow("for (int i = 0; i < $L; i++)", length)
                .addStatement("rows[i] = Math.max(row0[i], row1[i])")
                .endControlFlow();
        if (size > 2) {
            method.beginControlFlow("for (int ky = 2; ky < $L; ky++)", size)
                    .addStatement("float[] row = in[top + ky]")
                    .beginControlFlow("for (int i = 0; i < $L; i++)", length)
                    .addStatement("rows[i] = Math.max(rows[i], row[i])")
                    .endControlFlow()
                    .endControlFlow();
        }
        StringBuilder columns = new StringBuilder("rows[i]");
        for (int kx = 1; kx < size; kx++) {
            columns.insert(0, "Math.max(").append(", rows[i + ").append(kx * LANES).append("])");
        }
        method.beginControlFlow("for (int i = 0; i < $L; i++)", windows)
                .addStatement("windows[i] = $L", columns)
                .endControlFlow()
                .beginControlFlow("for (int ox = 0; ox < $L; ox++)", pool.output().width())
                .addStatement("$T.arraycopy(windows, ox * $L, o, $L, $L)", System.class, stride * LANES,
                        Terms.offset(out.left() * LANES, "ox * " + LANES), LANES)
                .endControlFlow();
        return endRows(method, in).build();
    }

    /**
     * Opens a pooling's loops over channels and output rows, or over channels only when it reduces
     * one band ({@code oy}, a parameter), and sets the output row {@code o} and the window's first
     * input row {@code top}.
     */
    private static MethodSpec.Builder beginRows(MethodSpec.Builder method, PoolLayer pool, Plane in, Plane out) {
        boolean banded = in.band() > 0;
        if (banded) {
            method.addJavadoc("Only output row {@code oy}, from the band of its windows' rows in {@code in}.\n")
                    .addParameter(int.class, "oy");
        }
        method.beginControlFlow("for (int c = 0; c < $L; c++)", pool.input().channels());
        if (!banded) {
            method.beginControlFlow("for (int oy = 0; oy < $L; oy++)", pool.output().height());
        }
        return method.addStatement("float[] o = out[$L]", Terms.offset(out.top(), "c * " + out.rowsPerChannel() + " + oy"))
                .addStatement("int top = c * $L$L", in.rowsPerChannel(), banded ? "" : " + oy * " + pool.stride());
    }

    private static MethodSpec.Builder endRows(MethodSpec.Builder method, Plane in) {
        if (in.band() == 0) {
            method.endControlFlow();
        }
        return method.endControlFlow();
    }

    /** Pooling on lanes, taking {@code Math.max} (or adding) in {@code PoolEmitter}'s order for every lane. */
    private MethodSpec pool(PoolLayer pool, Plane in, Plane out) {
        if (vectorMax(pool)) {
            return maxPool(pool, in, out);
        }
        int size = pool.size();
        int stride = pool.stride();
        boolean unrolled = size <= MAX_UNROLLED_POOL;
        MethodSpec.Builder method = MethodSpec.methodBuilder(lanesName(pool))
                .addModifiers(Modifier.STATIC)
                .addJavadoc("$L on 16 images side by side, in the order of {@code $L}.\n", pool.name(),
                        pool.name() + "Forward")
                .addParameter(float[][].class, "in")
                .addParameter(float[][].class, "out");
        beginRows(method, pool, in, out);
        if (unrolled) {
            for (int ky = 0; ky < size; ky++) {
                method.addStatement("float[] row$L = in[top$L]", ky, Terms.plus(ky));
            }
        }
        method.beginControlFlow("for (int ox = 0; ox < $L; ox++)", pool.output().width())
                .addStatement("int at = ox * $L", stride * LANES)
                .addStatement("int to = $L", Terms.offset(out.left() * LANES, "ox * " + LANES))
                .beginControlFlow("for (int n = 0; n < $L; n++)", LANES)
                .addStatement("int a = at + n");
        boolean max = pool.kind() == PoolKind.MAX;
        if (max) {
            method.addStatement("float max = $L", unrolled ? "row0[a]" : "in[top][a]");
        } else {
            method.addStatement("float sum = 0f");
        }
        if (unrolled) {
            for (int ky = 0; ky < size; ky++) {
                for (int kx = 0; kx < size; kx++) {
                    String tap = "row" + ky + "[a" + Terms.plus(kx * LANES) + "]";
                    if (max) {
                        method.addStatement("max = Math.max(max, $L)", tap);
                    } else {
                        method.addStatement("sum += $L", tap);
                    }
                }
            }
        } else {
            method.beginControlFlow("for (int ky = 0; ky < $L; ky++)", size)
                    .addStatement("float[] row = in[top + ky]")
                    .beginControlFlow("for (int kx = 0; kx < $L; kx++)", size)
                    .addStatement("float v = row[a + kx * $L]", LANES)
                    .addStatement(max ? "max = Math.max(max, v)" : "sum += v")
                    .endControlFlow()
                    .endControlFlow();
        }
        if (max) {
            method.addStatement("o[to + n] = max");
        } else {
            method.addStatement("o[to + n] = sum / $Lf", size * size);
        }
        return endRows(method.endControlFlow().endControlFlow(), in).build();
    }
}
