package dev.cnnc.processor.emit;

import com.palantir.javapoet.ClassName;
import com.palantir.javapoet.CodeBlock;
import com.palantir.javapoet.FieldSpec;
import com.palantir.javapoet.MethodSpec;
import com.palantir.javapoet.TypeSpec;
import dev.cnnc.processor.model.LayerModel;
import java.util.LinkedHashMap;
import java.util.Map;
import javax.lang.model.element.Modifier;

/**
 * Where the exact-rows convolutions store their output planes: from index 0 of their arrays, or from
 * index {@value ConvEmitter#MOVED_PLANE_START}. Both forms compute the same sums in the same order.
 *
 * <p>Why: on JDK 25 (Intel Xeon, AVX-512) CIFAR LeNet's conv2, whose plane loops are 100 floats long,
 * ran 12.7-13.7 us per image when the first output plane's data sat at an address of 16 or 24 modulo
 * 32 bytes, and 21.5-24 us at 0 or 8 (40 placements, probed with the addresses read through
 * {@code Unsafe}; conv1's 784-float loops do not care). Java cannot choose an array's address, and
 * the garbage collector moves arrays, but starting the planes 16 bytes further into the same arrays
 * flips the residue: exactly one of the two starts is fast for any placement (same arrays, both
 * starts: 12.8-14.7 against 21.2-22.7 us). So each thread's buffers time both starts in periodic
 * trials ({@link TrialCode}: the buffers may have moved since the last one) and keep the faster.
 * {@code -Dcnnc.planeStart=0} or {@code =4} fixes a start instead; {@code planeStarts()} reports the
 * calling thread's.
 */
final class PlaneStartCode {
    /** An exact-rows convolution's two forms: planes from index 0 (the layout's own) and from the moved start. */
    private record Forms(ConvEmitter atZero, ConvEmitter moved) {}

    /** Each exact-rows convolution's two forms, in layer order. */
    private final Map<LayerModel, Forms> forms = new LinkedHashMap<>();
    private final ClassName inferenceType;
    private final ClassName scratchType;

    PlaneStartCode(ConvLayoutCode layout, Pipeline pipeline, ClassName inferenceType) {
        for (LayerEmitter emitter : pipeline.emitters()) {
            ConvEmitter exact = layout.variantOf(emitter);
            if (exact != null) {
                forms.put(emitter.layer(), new Forms(exact,
                        new ConvEmitter((LayerModel.ConvLayer) emitter.layer(), true, ConvEmitter.MOVED_PLANE_START)));
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
        for (Forms pair : forms.values()) {
            type.addField(TrialCode.warmField(warmField(pair.atZero().layer())));
            type.addMethod(pair.moved().forward());
            type.addMethod(dispatcher(pair));
        }
    }

    /** The Scratch field holding {@code layer}'s choice on one thread, or null if it has no exact rows. */
    FieldSpec scratchField(LayerModel layer) {
        if (!forms.containsKey(layer)) {
            return null;
        }
        return TrialCode.field(inferenceType, stateField(layer),
                layer.name() + ": where these buffers' exact-rows planes start (see planeStarts())");
    }

    /** {@code <layer>ForwardExactPlaced(p, in, out, s)}: what {@code forward} calls with exact rows. */
    CodeBlock call(LayerModel layer, String in, String out) {
        return CodeBlock.of("$N(p, $L, $L, s)", dispatcherName(layer), in, out);
    }

    private static String stateField(LayerModel layer) {
        return layer.name() + "PlaneStart";
    }

    private static String warmField(LayerModel layer) {
        return layer.name() + "PlaneWarmCalls";
    }

    private static String dispatcherName(LayerModel layer) {
        return layer.name() + "ForwardExactPlaced";
    }

    /** Reads {@code -Dcnnc.planeStart} on first use: trials on every thread (the default), 0 or 4. */
    private static final TunedSetting SETTING = new TunedSetting("planeStartChoice", "PLANE_START_LOCK",
            "planeStartSetting", "cnnc.planeStart", "PLANE_START_UNSET", "PLANE_START_TRIALS",
            new String[] {"0", "PLANES_AT_0"}, new String[] {"" + ConvEmitter.MOVED_PLANE_START, "PLANES_AT_MOVED"});

    /** {@code static void <layer>ForwardExactPlaced(...)}: the start in use, or a timed trial call. */
    private MethodSpec dispatcher(Forms pair) {
        LayerModel layer = pair.atZero().layer();
        return MethodSpec.methodBuilder(dispatcherName(layer))
                .addModifiers(Modifier.STATIC)
                .addJavadoc("$L with exact rows, its output planes from index 0 or $L of their arrays: the start this\n"
                        + "thread's buffers run faster, or during a trial the other one, timed (see {@link #planeStarts()}).\n",
                        layer.name(), ConvEmitter.MOVED_PLANE_START)
                .addParameter(float[].class, "p")
                .addParameter(float[].class, "in")
                .addParameter(float[].class, "out")
                .addParameter(scratchType, "s")
                .addCode(TrialCode.dispatch("planeStartChoice()", "PLANE_START_TRIALS", "PLANES_AT_MOVED",
                        warmField(layer), "s." + stateField(layer), CodeBlock.builder()
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

    /** {@code public String planeStarts()}: the calling thread's start of every exact-rows convolution, and why. */
    private MethodSpec report() {
        MethodSpec.Builder method = MethodSpec.methodBuilder("planeStarts")
                .addModifiers(Modifier.PUBLIC)
                .returns(String.class)
                .addJavadoc("Where the calling thread's buffers start each exact-rows convolution's output planes (see\n"
                        + "{@link #convLayout()}): at 0 or " + ConvEmitter.MOVED_PLANE_START + " floats into their arrays,"
                        + " whichever its last trial\n"
                        + "timed faster, or as {@code -Dcnnc.planeStart} sets. Both starts give the same bits; on JDK 25\n"
                        + "one of them runs short plane loops about 40% faster, depending on where the arrays lie.\n")
                .addJavadoc("@throws IllegalArgumentException if {@code -Dcnnc.planeStart} is not tune, 0 or "
                        + ConvEmitter.MOVED_PLANE_START + "\n");
        if (forms.isEmpty()) {
            return method.addStatement("return $S", "none (no convolution has an exact-rows form: see convLayout())")
                    .build();
        }
        method.beginControlFlow("if (planeStartChoice() != PLANE_START_TRIALS)");
        String names = String.join(", ", forms.keySet().stream().map(LayerModel::name).toList());
        method.beginControlFlow("synchronized (PLANE_START_LOCK)")
                .addStatement("return $S + planeStartSetting", names + " at ")
                .endControlFlow()
                .endControlFlow()
                .addStatement("Scratch s = scratch.get()");
        CodeBlock.Builder text = CodeBlock.builder();
        for (LayerModel layer : forms.keySet()) {
            text.add(text.isEmpty() ? "$S + planeStart(s.$N)" : " + $S + planeStart(s.$N)",
                    (text.isEmpty() ? "" : ", ") + layer.name() + " ", stateField(layer));
        }
        return method.addStatement("return $L", text.build()).build();
    }
}
