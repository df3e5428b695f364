package dev.cnnc.processor.emit;

import com.palantir.javapoet.ClassName;
import com.palantir.javapoet.FieldSpec;
import com.palantir.javapoet.MethodSpec;
import com.palantir.javapoet.TypeSpec;
import dev.cnnc.processor.model.LayerModel;
import java.util.LinkedHashMap;
import java.util.Map;
import javax.lang.model.element.Modifier;

/**
 * The inference class's choice of row layout for its stride-1 convolutions: plane rows padded to
 * 16 floats, or exactly the output width (see {@link ConvEmitter}). Both give the same bits; which is
 * faster depends on the JIT (JDK 17's C2 vectorizes the plane loops only with padded rows, JDK 25's
 * runs exact rows twice as fast), so, like the batch kernel, the class tunes on the user's own
 * images: the first per-image forward passes of a JVM alternate the layouts, each call timed, until
 * each has run {@value #DECIDE_IMAGES} and {@value TunedSetting#SHORTEST_TUNING_SECONDS} s have passed;
 * the layout with the lower best average over 64 calls (after its first {@value #WARM_IMAGES}, i.e.
 * compiled code) runs from then on. {@code -Dcnnc.convLayout=padded}
 * or {@code =exact} skips the tuning; {@code convLayout()} says which layout runs and why.
 */
final class ConvLayoutCode {
    /**
     * Forward passes per layout before its times count (the JIT compiles meanwhile). Was 2,048: C2
     * compiles these big methods seconds apart on two busy cores (CIFAR LeNet's conv1Forward fully
     * compiled 3.4 s and ~8,000 images in, JDK 17), and once the plane-start forms had added to the
     * compile queue a JDK 17 run measured padded rows at 285 us (not yet compiled) against exact
     * rows at 158 and kept exact rows, twice as slow. A per-thread trial of the layouts was tried
     * instead and lost: new buffers (each Trainer.fit's workspaces) paid a warm-up each, and a layout
     * that only trials ran was never compiled well enough to win one back.
     */
    static final int WARM_IMAGES = 6144;
    /** Forward passes per layout after which the tuning decides (if it has also run long enough, {@link TunedSetting}). */
    static final int DECIDE_IMAGES = 8192;
    /** Consecutive timed calls of a layout averaged into one sample. */
    private static final int BLOCK = 64;

    /** Each convolution that also has an exact-rows forward, by layer, in layer order. */
    private final Map<LayerModel, ConvEmitter> variants = new LinkedHashMap<>();
    private final ClassName scratchType;

    ConvLayoutCode(Pipeline pipeline, ClassName inferenceType) {
        for (LayerEmitter emitter : pipeline.emitters()) {
            if (emitter instanceof ConvEmitter conv && conv.hasExactRowsVariant()) {
                variants.put(conv.layer(), new ConvEmitter((LayerModel.ConvLayer) conv.layer(), true, 0));
            }
        }
        this.scratchType = inferenceType.nestedClass("Scratch");
    }

    /** Whether the network has a layout to choose (a stride-1 convolution whose width is not a multiple of 16). */
    boolean hasChoice() {
        return !variants.isEmpty();
    }

    /** The exact-rows form of {@code emitter}'s forward, or null if it has none. */
    ConvEmitter variantOf(LayerEmitter emitter) {
        return variants.get(emitter.layer());
    }

    /** Adds {@code convLayout()} and, when there is a choice, the tuned {@code forward} and its state. */
    void addTo(TypeSpec.Builder type) {
        type.addMethod(convLayout());
        if (!hasChoice()) {
            return;
        }
        SETTING.addState(type);
        for (String[] field : new String[][] {
                {"layoutImages", "new long[2]", "Forward passes each layout (0 padded, 1 exact) has run while tuning"},
                {"layoutBlockNanos", "new long[2]", "Each layout's time in its current block of " + BLOCK + " calls"},
                {"layoutBestNanos", "{Long.MAX_VALUE, Long.MAX_VALUE}",
                        "Each layout's best block after its first " + WARM_IMAGES + " calls, per call"}}) {
            type.addField(FieldSpec.builder(long[].class, field[0], Modifier.PRIVATE, Modifier.STATIC, Modifier.FINAL)
                    .initializer(field[1]).addJavadoc("$L; guarded by the lock.\n", field[2]).build());
        }
        type.addMethod(tunedForward());
        type.addMethod(SETTING.readMethod());
        type.addMethod(recordLayout());
    }

    /** {@code static void forward(p, columns, input, s)}: the chosen layout, or a timed call while tuning. */
    private MethodSpec tunedForward() {
        return MethodSpec.methodBuilder("forward")
                .addModifiers(Modifier.STATIC)
                .addJavadoc("Every layer, with the row layout of {@link #convLayout()}; while that is being tuned, on the\n"
                        + "layout that has run fewer images, timed.\n")
                .addParameter(float[].class, "p")
                .addParameter(float[][][].class, "columns")
                .addParameter(float[].class, "input")
                .addParameter(scratchType, "s")
                .addStatement("int choice = layoutChoice()")
                .beginControlFlow("if (choice != LAYOUT_TUNING)")
                .addStatement("forward(p, columns, input, s, choice == EXACT_ROWS)")
                .addStatement("return")
                .endControlFlow()
                .addStatement("boolean exact")
                .beginControlFlow("synchronized (CONV_LAYOUT_LOCK)")
                .addStatement("exact = layoutImages[1] < layoutImages[0]")
                .endControlFlow()
                .addStatement("long start = System.nanoTime()")
                .addStatement("forward(p, columns, input, s, exact)")
                .addStatement("recordLayout(exact, System.nanoTime() - start)")
                .build();
    }

    /** Reads {@code -Dcnnc.convLayout} on first use: tune (the default), padded or exact. */
    private static final TunedSetting SETTING = new TunedSetting("layoutChoice", "CONV_LAYOUT_LOCK",
            "convLayout", "cnnc.convLayout", "LAYOUT_UNSET", "LAYOUT_TUNING", new String[] {"padded", "PADDED_ROWS"},
            new String[] {"exact", "EXACT_ROWS"}, true);

    /**
     * Adds one timed call; decides once both layouts have run {@link #DECIDE_IMAGES} and the tuning has
     * run {@value TunedSetting#SHORTEST_TUNING_SECONDS} s.
     */
    private static MethodSpec recordLayout() {
        return MethodSpec.methodBuilder("recordLayout")
                .addModifiers(Modifier.PRIVATE, Modifier.STATIC)
                .addParameter(boolean.class, "exact")
                .addParameter(long.class, "nanos")
                .beginControlFlow("synchronized (CONV_LAYOUT_LOCK)")
                .beginControlFlow("if (layoutChoice != LAYOUT_TUNING)")
                .addStatement("return")
                .endControlFlow()
                .addStatement("int k = exact ? 1 : 0")
                .addStatement("layoutImages[k]++")
                .beginControlFlow("if (layoutImages[k] > $L)", WARM_IMAGES)
                .addStatement("layoutBlockNanos[k] += nanos")
                .beginControlFlow("if (layoutImages[k] % $L == 0)", BLOCK)
                .addStatement("layoutBestNanos[k] = Math.min(layoutBestNanos[k], layoutBlockNanos[k] / $L)", BLOCK)
                .addStatement("layoutBlockNanos[k] = 0")
                .endControlFlow()
                .endControlFlow()
                .beginControlFlow("if (layoutImages[0] >= $L && layoutImages[1] >= $L && $L)", DECIDE_IMAGES, DECIDE_IMAGES,
                        SETTING.tunedLongEnough())
                .addCode(SETTING.decide("layoutBestNanos", false, "images", new String[] {"padded rows", "exact rows"}))
                .endControlFlow()
                .endControlFlow()
                .build();
    }

    private MethodSpec convLayout() {
        MethodSpec.Builder method = MethodSpec.methodBuilder("convLayout")
                .addModifiers(Modifier.PUBLIC, Modifier.STATIC)
                .returns(String.class)
                .addJavadoc("How the convolutions lay out their rows in this JVM and why: {@code \"padded\"} (rows of a\n"
                        + "multiple of 16 floats) or {@code \"exact\"} (rows exactly the output width), followed by the\n"
                        + "reason (the timing, the {@code cnnc.convLayout} setting, or why there is no choice), or how\n"
                        + "far the tuning has got. Both layouts give the same bits.\n")
                .addJavadoc("@throws IllegalArgumentException if {@code -Dcnnc.convLayout} is not tune, padded or exact\n");
        if (!hasChoice()) {
            return method.addStatement("return $S", "padded (no choice: no stride-1 convolution has an output width"
                    + " that is not a multiple of 16)").build();
        }
        return method.addCode(SETTING.reportBody("layoutImages",
                "tuning: the first images alternate both layouts (%s with padded rows, %s with exact rows so far)"))
                .build();
    }
}
