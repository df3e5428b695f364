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
                         int right) {
        int rowsPerChannel() {
            return top + height + bottom;
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
        return new Plane(name, shape.channels(), shape.height(), shape.width(), top, left, bottom, right);
    }

    // ---------------------------------------------------------------- buffers

    /** {@code static final class Lanes}: one lane buffer per feature map, allocated per thread on first use. */
    TypeSpec lanesClass(ClassName type) {
        TypeSpec.Builder lanes = TypeSpec.classBuilder(type)
                .addModifiers(Modifier.STATIC, Modifier.FINAL)
                .addJavadoc("One thread's feature maps of 16 images side by side: rows [c * rows + y][x * 16 + image],\n"
                        + "with zero rows and columns where the next convolution reads padding.\n");
        for (int t = 0; t <= spatialEnd; t++) {
            Plane plane = plane(t);
            lanes.addField(new ScratchBuffer(plane.name(), plane.rows(), plane.rowLength(),
                    plane.name() + ": " + plane.channels() + " channels x " + plane.rowsPerChannel() + " rows of "
                            + (plane.left() + plane.width() + plane.right()) + " columns x 16 images"
                            + (plane.top() + plane.left() + plane.bottom() + plane.right() > 0
                            ? " (padding top " + plane.top() + ", left " + plane.left() + ", bottom " + plane.bottom()
                            + ", right " + plane.right() + ")" : "")).field());
        }
        for (int i = 0; i < spatialEnd; i++) {
            if (pipeline.emitters().get(i).layer() instanceof PoolLayer pool && vectorMax(pool)) {
                int length = plane(i).rowLength();
                lanes.addField(new ScratchBuffer(pool.name() + "Rows", 0, length,
                        pool.name() + ": the maximum over each window's rows, one output row at a time").field());
                lanes.addField(new ScratchBuffer(pool.name() + "Windows", 0, length,
                        pool.name() + ": the maximum over each window whose left column is x, at x * 16").field());
            }
        }
        return lanes.build();
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
            method.addComment("$L: $L -> $L", layer.name(), layer.input(), layer.output());
            if (layer instanceof ConvLayer) {
                method.addStatement("$N(p, l.$N, l.$N)", lanesName(layer), plane(i).name(), plane(i + 1).name());
            } else if (vectorMax((PoolLayer) layer)) {
                method.addStatement("$N(l.$N, l.$N, l.$N, l.$N)", lanesName(layer), plane(i).name(),
                        plane(i + 1).name(), layer.name() + "Rows", layer.name() + "Windows");
            } else {
                method.addStatement("$N(l.$N, l.$N)", lanesName(layer), plane(i).name(), plane(i + 1).name());
            }
        }
        return method.build();
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
                .addParameter(float[][].class, "in")
                .addParameter(float[][].class, "out");
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
        method.beginControlFlow("for (int oy = 0; oy < $L; oy++)", conv.output().height());
        for (int j = 0; j < count; j++) {
            method.addStatement("float[] out$L = out[$L]", j,
                    Terms.offset(out.top(), "(f + " + j + ") * " + out.rowsPerChannel() + " + oy"))
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
        method.endControlFlow();
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
                .addParameter(float[][].class, "out")
                .addParameter(float[].class, "rows")
                .addParameter(float[].class, "windows")
                .beginControlFlow("for (int c = 0; c < $L; c++)", pool.input().channels())
                .beginControlFlow("for (int oy = 0; oy < $L; oy++)", pool.output().height())
                .addStatement("float[] o = out[$L]", Terms.offset(out.top(), "c * " + out.rowsPerChannel() + " + oy"))
                .addStatement("int top = c * $L + oy * $L", in.rowsPerChannel(), stride)
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
        return method.beginControlFlow("for (int i = 0; i < $L; i++)", windows)
                .addStatement("windows[i] = $L", columns)
                .endControlFlow()
                .beginControlFlow("for (int ox = 0; ox < $L; ox++)", pool.output().width())
                .addStatement("$T.arraycopy(windows, ox * $L, o, $L, $L)", System.class, stride * LANES,
                        Terms.offset(out.left() * LANES, "ox * " + LANES), LANES)
                .endControlFlow()
                .endControlFlow()
                .endControlFlow()
                .build();
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
                .addParameter(float[][].class, "out")
                .beginControlFlow("for (int c = 0; c < $L; c++)", pool.input().channels())
                .beginControlFlow("for (int oy = 0; oy < $L; oy++)", pool.output().height())
                .addStatement("float[] o = out[$L]", Terms.offset(out.top(), "c * " + out.rowsPerChannel() + " + oy"))
                .addStatement("int top = c * $L + oy * $L", in.rowsPerChannel(), stride);
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
        return method.endControlFlow().endControlFlow().endControlFlow().endControlFlow().build();
    }
}
