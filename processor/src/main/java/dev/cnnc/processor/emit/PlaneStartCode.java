package dev.cnnc.processor.emit;

import com.palantir.javapoet.ClassName;
import com.palantir.javapoet.CodeBlock;
import com.palantir.javapoet.FieldSpec;
import com.palantir.javapoet.MethodSpec;
import com.palantir.javapoet.TypeSpec;
import dev.cnnc.processor.model.LayerModel;
import java.util.ArrayList;
import java.util.List;
import javax.lang.model.element.Modifier;

/**
 * Where the exact-rows convolutions store their output planes, and the padded layout's sliced ones
 * ({@link ConvEmitter#sliced()}) their planes and tap windows: from index 0 of their arrays, or from
 * index {@value ConvEmitter#MOVED_PLANE_START}. Both forms compute the same sums in the same order.
 *
 * <p>Why: on JDK 25 (Intel Xeon, AVX-512) CIFAR LeNet's conv2, whose plane loops are 100 floats long,
 * ran 12.7-13.7 us per image when the first output plane's data sat at an address of 16 or 24 modulo
 * 32 bytes, and 21.5-24 us at 0 or 8 (40 placements, probed with the addresses read through
 * {@code Unsafe}; conv1's 784-float loops do not care). Java cannot choose an array's address, and
 * the garbage collector moves arrays, but starting the planes 16 bytes further into the same arrays
 * flips the residue: exactly one of the two starts is fast for any placement (same arrays, both
 * starts: 12.8-14.7 against 21.2-22.7 us). JDK 17 runs the sliced form (whose plane loops are 100
 * floats too) by the same rule: 16.0-16.5 against 20.5-21 us at one start or the other over 63
 * placements; there the windows must move with the planes, since JDK 17 vectorizes a loop only when
 * all its arrays are indexed alike. So each thread's buffers time both starts in periodic
 * trials ({@link TrialCode}: the buffers may have moved since the last one) and keep the faster.
 * {@code -Dcnnc.planeStart=0} or {@code =4} fixes a start instead; {@code planeStarts()} reports the
 * calling thread's.
 */
final class PlaneStartCode {
    /**
     * A convolution's two forms in one layout: planes from index 0 (the layout's own) and from the moved
     * start.
     *
     * @param key   what the generated fields are named after: the layer's name for exact rows, with
     *              {@code Windows} for the sliced form
     * @param label how {@code planeStarts()} names them
     */
    private record Forms(ConvEmitter atZero, ConvEmitter moved, String key, String label) {
        LayerModel layer() {
            return atZero.layer();
        }

        /** {@code <key>PlaneStart}: the Scratch field holding one thread's choice. */
        String stateField() {
            return key + "PlaneStart";
        }

        /** {@code <key>PlaneWarmCalls}: the JVM-wide warm-up count. */
        String warmField() {
            return key + "PlaneWarmCalls";
        }

        /** {@code <layer>ForwardExactPlaced} or {@code <layer>ForwardPlaced}: the dispatcher. */
        String dispatcherName() {
            return atZero.forwardName() + "Placed";
        }

        /** Both forms restricted to {@code part}, choosing by the same per-thread trial. */
        Forms share(ConvEmitter.Share part) {
            return new Forms(atZero.share(part), moved.share(part), key, label);
        }
    }

    /** Every convolution form with two starts, in layer order, exact rows before tap windows. */
    private final List<Forms> forms = new ArrayList<>();
    private final ClassName inferenceType;
    private final ClassName scratchType;

    PlaneStartCode(ConvLayoutCode layout, Pipeline pipeline, ClassName inferenceType) {
        for (LayerEmitter emitter : pipeline.emitters()) {
            ConvEmitter exact = layout.variantOf(emitter);
            if (exact != null) {
                LayerModel.ConvLayer conv = (LayerModel.ConvLayer) emitter.layer();
                forms.add(new Forms(exact, new ConvEmitter(conv, true, ConvEmitter.MOVED_PLANE_START), conv.name(),
                        conv.name()));
            }
        }
        for (LayerEmitter emitter : pipeline.emitters()) {
            if (emitter instanceof ConvEmitter padded && padded.sliced()) {
                LayerModel.ConvLayer conv = (LayerModel.ConvLayer) emitter.layer();
                forms.add(new Forms(padded, new ConvEmitter(conv, false, ConvEmitter.MOVED_PLANE_START),
                        conv.name() + "Windows", conv.name() + " windows"));
            }
        }
        this.inferenceType = inferenceType;
        this.scratchType = inferenceType.nestedClass("Scratch");
    }

    /** Adds the moved forms, the per-layer dispatchers, the setting, the Trial class and {@code planeStarts()}. */
    void addTo(TypeSpec.Builder type) {
        type.addMethod(report());
        if (forms.isEmpty()) {
            return;
        }
        SETTING.addState(type);
        type.addMethod(SETTING.readMethod());
        type.addType(TrialCode.typeSpec(inferenceType));
        type.addMethod(describe());
        for (Forms pair : forms) {
            type.addField(TrialCode.warmField(pair.warmField()));
            type.addMethod(pair.moved().forward());
            type.addMethod(dispatcher(pair));
        }
    }

    /** The Scratch fields holding {@code layer}'s choices on one thread (none if it has one start only). */
    List<FieldSpec> scratchFields(LayerModel layer) {
        List<FieldSpec> fields = new ArrayList<>();
        for (Forms pair : forms) {
            if (pair.layer().equals(layer)) {
                fields.add(TrialCode.field(inferenceType, pair.stateField(), pair.label()
                        + ": where these buffers' planes start (see planeStarts())"));
            }
        }
        return fields;
    }

    /**
     * What {@code forward} calls for {@code emitter} (a layer's form in one layout): its dispatcher,
     * {@code <layer>Forward[Exact]Placed(p, in, out, s)}, or null if the form has one start only.
     */
    CodeBlock call(LayerEmitter emitter, String in, String out) {
        Forms pair = formsOf(emitter);
        return pair == null ? null : CodeBlock.of("$N(p, $L, $L, s)", pair.dispatcherName(), in, out);
    }

    /** The pair of forms whose plane-0 form is {@code emitter}, or null. */
    private Forms formsOf(LayerEmitter emitter) {
        for (Forms pair : forms) {
            if (pair.atZero() == emitter) {
                return pair;
            }
        }
        return null;
    }

    /**
     * The methods that compute {@code part} of {@code emitter}'s output (a layer's form in one layout):
     * the share at either plane start and their dispatcher, or just the share's forward method if the
     * form has one start only.
     */
    List<MethodSpec> shareMethods(ConvEmitter emitter, ConvEmitter.Share part) {
        Forms pair = formsOf(emitter);
        if (pair == null) {
            return List.of(emitter.share(part).forward());
        }
        Forms shared = pair.share(part);
        return List.of(shared.atZero().forward(), shared.moved().forward(), dispatcher(shared));
    }

    /** A call of {@code part} of {@code emitter}'s output with the buffers of {@code scratch} (a Scratch). */
    CodeBlock shareCall(ConvEmitter emitter, ConvEmitter.Share part, String in, String out, String scratch) {
        Forms pair = formsOf(emitter);
        if (pair == null) {
            return emitter.share(part).forwardCall(in, out, scratch);
        }
        return CodeBlock.of("$N(p, $L, $L, $L)", pair.share(part).dispatcherName(), in, out, scratch);
    }

    /** Reads {@code -Dcnnc.planeStart} on first use: trials on every thread (the default), 0 or 4. */
    private static final TunedSetting SETTING = new TunedSetting("planeStartChoice", "PLANE_START_LOCK",
            "planeStartSetting", "cnnc.planeStart", "PLANE_START_UNSET", "PLANE_START_TRIALS",
            new String[] {"0", "PLANES_AT_0"}, new String[] {"" + ConvEmitter.MOVED_PLANE_START, "PLANES_AT_MOVED"}, false);

    /** {@code static void <layer>ForwardExactPlaced(...)}: the start in use, or a timed trial call. */
    private MethodSpec dispatcher(Forms pair) {
        return MethodSpec.methodBuilder(pair.dispatcherName())
                .addModifiers(Modifier.STATIC)
                .addJavadoc("$L $L, from index 0 or $L of their arrays: the start this\n"
                        + "thread's buffers run faster, or during a trial the other one, timed (see {@link #planeStarts()}).\n",
                        pair.layer().name(), pair.atZero().sliced() ? "on tap windows, its output planes and windows"
                                : "with exact rows, its output planes", ConvEmitter.MOVED_PLANE_START)
                .addParameter(float[].class, "p")
                .addParameter(float[].class, "in")
                .addParameter(float[].class, "out")
                .addParameter(scratchType, "s")
                .addCode(TrialCode.dispatch("planeStartChoice()", "PLANE_START_TRIALS", "PLANES_AT_MOVED",
                        pair.warmField(), "s." + pair.stateField(), CodeBlock.builder()
                                .beginControlFlow("if (second)")
                                .addStatement(pair.moved().forwardCall("in", "out", "s"))
                                .nextControlFlow("else")
                                .addStatement(pair.atZero().forwardCall("in", "out", "s"))
                                .endControlFlow()
                                .build(), null))
                .build();
    }

    /** {@code private static String planeStart(Trial trial)}: one convolution's part of the report. */
    private MethodSpec describe() {
        return MethodSpec.methodBuilder("planeStart")
                .addModifiers(Modifier.PRIVATE, Modifier.STATIC)
                .returns(String.class)
                .addJavadoc("{@code at 4 (last trial on this thread: 21.6 us at 0, 12.9 us at 4)}, or that no trial has finished.\n")
                .addParameter(TrialCode.type(inferenceType), "trial")
                .beginControlFlow("if (trial.trials == 0)")
                .addStatement("return $S", "at 0 (no trial has finished on this thread)")
                .endControlFlow()
                .addStatement("return $S + (trial.second ? $L : 0) + $S + trial.best[2] / 100 / 10.0 + $S"
                                + " + trial.best[3] / 100 / 10.0 + $S", "at ", ConvEmitter.MOVED_PLANE_START,
                        " (last trial on this thread: ", " us at 0, ", " us at " + ConvEmitter.MOVED_PLANE_START + ")")
                .build();
    }

    /** {@code public String planeStarts()}: the calling thread's start of every form with two, and why. */
    private MethodSpec report() {
        MethodSpec.Builder method = MethodSpec.methodBuilder("planeStarts")
                .addModifiers(Modifier.PUBLIC)
                .returns(String.class)
                .addJavadoc("Where the calling thread's buffers start each exact-rows convolution's output planes, and\n"
                        + "each tap-window (\"windows\") form's planes and windows (see {@link #convLayout()}): at 0 or "
                        + ConvEmitter.MOVED_PLANE_START + " floats\n"
                        + "into their arrays, whichever its last trial timed faster, or as {@code -Dcnnc.planeStart} sets.\n"
                        + "Both starts give the same bits; one of them runs short plane loops 20-40% faster,\n"
                        + "depending on where the arrays lie.\n")
                .addJavadoc("@throws IllegalArgumentException if {@code -Dcnnc.planeStart} is not tune, 0 or "
                        + ConvEmitter.MOVED_PLANE_START + "\n");
        if (forms.isEmpty()) {
            return method.addStatement("return $S", "none (no convolution has an exact-rows or tap-window form: see convLayout())")
                    .build();
        }
        method.beginControlFlow("if (planeStartChoice() != PLANE_START_TRIALS)");
        String names = String.join(", ", forms.stream().map(Forms::label).toList());
        method.beginControlFlow("synchronized (PLANE_START_LOCK)")
                .addStatement("return $S + planeStartSetting", names + " at ")
                .endControlFlow()
                .endControlFlow()
                .addStatement("Scratch s = scratch.get()");
        CodeBlock.Builder text = CodeBlock.builder();
        for (Forms pair : forms) {
            text.add(text.isEmpty() ? "$S + planeStart(s.$N)" : " + $S + planeStart(s.$N)",
                    (text.isEmpty() ? "" : ", ") + pair.label() + " ", pair.stateField());
        }
        return method.addStatement("return $L", text.build()).build();
    }
}
