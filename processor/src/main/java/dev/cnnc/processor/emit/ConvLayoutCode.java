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
 * runs exact rows up to twice as fast), so each thread's buffers time both in periodic trials on the
 * user's own images ({@link TrialCode}) and keep the faster. A single tuning on a JVM's first images
 * (what this did before) raced the JIT: C2 compiled the big convolution methods seconds apart, and on
 * JDK 17 it once measured compiled exact rows against not-yet-compiled padded ones and kept exact rows,
 * twice as slow, for good. {@code -Dcnnc.convLayout=padded} or {@code =exact} fixes the layout;
 * {@code convLayout()} says which layout the last trial kept and why.
 */
final class ConvLayoutCode {
    /** Each convolution that also has an exact-rows forward, by layer, in layer order. */
    private final Map<LayerModel, ConvEmitter> variants = new LinkedHashMap<>();
    private final ClassName inferenceType;
    private final ClassName scratchType;

    ConvLayoutCode(Pipeline pipeline, ClassName inferenceType) {
        for (LayerEmitter emitter : pipeline.emitters()) {
            if (emitter instanceof ConvEmitter conv && conv.hasExactRowsVariant()) {
                variants.put(conv.layer(), new ConvEmitter((LayerModel.ConvLayer) conv.layer(), true, 0));
            }
        }
        this.inferenceType = inferenceType;
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

    /** Adds {@code convLayout()} and, when there is a choice, the trial-taking {@code forward}, its state and the Trial class. */
    void addTo(TypeSpec.Builder type) {
        type.addMethod(convLayout());
        if (!hasChoice()) {
            return;
        }
        SETTING.addState(type);
        type.addField(FieldSpec.builder(long[].class, "lastLayoutTrial", Modifier.PRIVATE, Modifier.STATIC, Modifier.FINAL)
                .initializer("new long[4]")
                .addJavadoc("The last finished layout trial on any thread: best nanoseconds per image with padded and\n"
                        + "with exact rows, 1 if it kept exact rows, and the trials finished; guarded by the lock.\n")
                .build());
        type.addType(TrialCode.typeSpec(inferenceType));
        type.addMethod(tunedForward());
        type.addMethod(SETTING.readMethod());
        type.addMethod(recordLayout());
    }

    /** The Scratch field of the thread's layout trials, or null without a choice. */
    FieldSpec scratchField() {
        return hasChoice() ? TrialCode.field(inferenceType, "layoutTrial",
                "Which row layout these buffers run (see convLayout())") : null;
    }

    /** {@code static void forward(p, columns, input, s)}: the layout these buffers keep, or a timed trial call. */
    private MethodSpec tunedForward() {
        return MethodSpec.methodBuilder("forward")
                .addModifiers(Modifier.STATIC)
                .addJavadoc("Every layer, with the row layout these buffers' last trial kept (see {@link #convLayout()}),\n"
                        + "or while trials alternate the layouts the one of the turn, timed in trials.\n")
                .addParameter(float[].class, "p")
                .addParameter(float[][][].class, "columns")
                .addParameter(float[].class, "input")
                .addParameter(scratchType, "s")
                .addStatement("$T trial = s.layoutTrial", TrialCode.type(inferenceType))
                .addStatement("int setting = layoutChoice()")
                .addStatement("boolean timed = setting == LAYOUT_TRIALS && trial.timed()")
                .addStatement("boolean exact = setting == LAYOUT_TRIALS ? trial.runsSecond() : setting == EXACT_ROWS")
                .addStatement("long start = timed ? System.nanoTime() : 0L")
                .addStatement("forward(p, columns, input, s, exact)")
                .beginControlFlow("if (timed && trial.record(exact, System.nanoTime() - start))")
                .addStatement("recordLayout(trial)")
                .endControlFlow()
                .addStatement("trial.advance()")
                .build();
    }

    /** Reads {@code -Dcnnc.convLayout} on first use: trials (the default), padded or exact. */
    private static final TunedSetting SETTING = new TunedSetting("layoutChoice", "CONV_LAYOUT_LOCK",
            "convLayout", "cnnc.convLayout", "LAYOUT_UNSET", "LAYOUT_TRIALS", new String[] {"padded", "PADDED_ROWS"},
            new String[] {"exact", "EXACT_ROWS"});

    /** Keeps a finished trial for the report; allocates nothing (the report string is built when asked for). */
    private MethodSpec recordLayout() {
        return MethodSpec.methodBuilder("recordLayout")
                .addModifiers(Modifier.PRIVATE, Modifier.STATIC)
                .addParameter(TrialCode.type(inferenceType), "trial")
                .beginControlFlow("synchronized (CONV_LAYOUT_LOCK)")
                .addStatement("lastLayoutTrial[0] = trial.best[2]")
                .addStatement("lastLayoutTrial[1] = trial.best[3]")
                .addStatement("lastLayoutTrial[2] = trial.second ? 1 : 0")
                .addStatement("lastLayoutTrial[3]++")
                .endControlFlow()
                .build();
    }

    private MethodSpec convLayout() {
        MethodSpec.Builder method = MethodSpec.methodBuilder("convLayout")
                .addModifiers(Modifier.PUBLIC, Modifier.STATIC)
                .returns(String.class)
                .addJavadoc("How the convolutions lay out their rows in this JVM and why: {@code \"padded\"} (rows of a\n"
                        + "multiple of 16 floats) or {@code \"exact\"} (rows exactly the output width), followed by the\n"
                        + "reason: the last trial's times (each thread's buffers time both layouts now and then and keep\n"
                        + "the faster), the {@code cnnc.convLayout} setting, or why there is no choice. Both layouts give\n"
                        + "the same bits.\n")
                .addJavadoc("@throws IllegalArgumentException if {@code -Dcnnc.convLayout} is not tune, padded or exact\n");
        if (!hasChoice()) {
            return method.addStatement("return $S", "padded (no choice: no stride-1 convolution has an output width"
                    + " that is not a multiple of 16)").build();
        }
        return method.beginControlFlow("if (layoutChoice() != LAYOUT_TRIALS)")
                .beginControlFlow("synchronized (CONV_LAYOUT_LOCK)")
                .addStatement("return convLayout")
                .endControlFlow()
                .endControlFlow()
                .beginControlFlow("synchronized (CONV_LAYOUT_LOCK)")
                .beginControlFlow("if (lastLayoutTrial[3] == 0)")
                .addStatement("return $S", "trials: none has finished yet (each thread alternates both layouts on its first "
                        + TrialCode.PERIOD + " images, then times both every " + TrialCode.PERIOD + " to "
                        + TrialCode.LONGEST_PERIOD + ")")
                .endControlFlow()
                .addStatement("return (lastLayoutTrial[2] == 1 ? $S : $S) + $S + lastLayoutTrial[0] / 100 / 10.0 + $S"
                                + " + lastLayoutTrial[1] / 100 / 10.0 + $S + System.getProperty($S) + $S + lastLayoutTrial[3]"
                                + " + $S", "exact", "padded", " (last trial: padded rows ", " us, exact rows ",
                        " us per image at best; Java ", "java.version", "; trials finished: ", ")")
                .endControlFlow()
                .build();
    }
}
