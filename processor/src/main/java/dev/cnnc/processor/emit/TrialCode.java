package dev.cnnc.processor.emit;

import com.palantir.javapoet.ClassName;
import com.palantir.javapoet.CodeBlock;
import com.palantir.javapoet.FieldSpec;
import com.palantir.javapoet.MethodSpec;
import com.palantir.javapoet.TypeSpec;
import javax.lang.model.element.Modifier;

/**
 * The generated {@code Trial} class and the code that uses it: a choice between two forms of a
 * computation that give the same bits, made by each thread's buffers by timing both now and then
 * (the plane starts of {@link PlaneStartCode}).
 *
 * <p>The JVM's first {@value #WARM_CALLS} calls of a choice (counted per class and choice) alternate
 * the two forms, untimed, so that the JIT compiles both: a form that only trials called would take
 * long to be compiled. After that each thread's buffers start with a trial of {@value #CALLS} calls
 * that alternate the forms (the first on even calls), each timed; the lower best time decides until
 * the next trial, which opens the next period. A period lasts {@value #PERIOD} calls and doubles, up
 * to {@value #LONGEST_PERIOD}, while trials keep the choice. Periodic, because the garbage collector
 * may move the buffers (which on JDK 25 changes which plane start is faster) and because an early
 * trial may still have met code the JIT had not finished. New buffers (a new thread, a new training
 * workspace) pay one trial at once, not a warm-up.
 */
final class TrialCode {
    /** Calls of a choice, per JVM, that alternate its forms before any thread times them. */
    static final int WARM_CALLS = 4096;
    /** Calls between trials after a first trial or one that changed the choice. */
    static final int PERIOD = 4096;
    /** Longest period: after each trial that keeps the choice the period doubles, up to this. */
    static final int LONGEST_PERIOD = 16384;
    /** Calls of a trial. */
    static final int CALLS = 32;

    private TrialCode() {}

    static ClassName type(ClassName inferenceType) {
        return inferenceType.nestedClass("Trial");
    }

    /** {@code final Trial <name> = new Trial();} for the Scratch class. */
    static FieldSpec field(ClassName inferenceType, String name, String doc) {
        return FieldSpec.builder(type(inferenceType), name, Modifier.FINAL)
                .initializer("new $T()", type(inferenceType))
                .addJavadoc("$L\n", doc)
                .build();
    }

    /** {@code private static int <name>}: a choice's warm-up count (see the class comment). */
    static FieldSpec warmField(String name) {
        return FieldSpec.builder(int.class, name, Modifier.PRIVATE, Modifier.STATIC)
                .addJavadoc("The JVM's calls of this choice so far, up to $L: these alternate the forms, untimed, so that\n"
                        + "the JIT compiles both before any trial. Updated without a lock: a lost update only\n"
                        + "lengthens the warm-up.\n", WARM_CALLS)
                .build();
    }

    /**
     * The body of a choice's dispatcher: picks the form ({@code boolean second}) from the setting, the
     * JVM-wide warm-up or the thread's {@code trial}, runs {@code run} (which reads {@code second}),
     * times trial calls and advances the trial (only past the warm-up); {@code decided}, if not null,
     * runs when a trial has decided.
     *
     * @param setting  the expression reading the setting, e.g. {@code layoutChoice()}
     * @param trials   the setting's constant for "trials"
     * @param forced   the setting's constant that forces the second form
     * @param warm     the warm-up field ({@link #warmField})
     * @param trial    the expression of the thread's Trial, e.g. {@code s.layoutTrial}
     */
    static CodeBlock dispatch(String setting, String trials, String forced, String warm, String trial, CodeBlock run,
            CodeBlock decided) {
        CodeBlock.Builder code = CodeBlock.builder()
                .addStatement("int setting = $L", setting)
                .addStatement("boolean second")
                .addStatement("boolean counted = false")
                .addStatement("boolean timed = false")
                .beginControlFlow("if (setting != $N)", trials)
                .addStatement("second = setting == $N", forced)
                .nextControlFlow("else if ($N < $L)", warm, WARM_CALLS)
                .addStatement("second = ($N++ & 1) == 1", warm)
                .nextControlFlow("else")
                .addStatement("counted = true")
                .addStatement("timed = $L.timed()", trial)
                .addStatement("second = $L.runsSecond()", trial)
                .endControlFlow()
                .addStatement("long start = timed ? System.nanoTime() : 0L")
                .add(run)
                .add(decided == null ? CodeBlock.builder()
                        .beginControlFlow("if (timed)")
                        .addStatement("$L.record(second, System.nanoTime() - start)", trial)
                        .endControlFlow().build()
                        : CodeBlock.builder()
                        .beginControlFlow("if (timed && $L.record(second, System.nanoTime() - start))", trial)
                        .add(decided)
                        .endControlFlow().build())
                .beginControlFlow("if (counted)")
                .addStatement("$L.advance()", trial)
                .endControlFlow();
        return code.build();
    }

    static TypeSpec typeSpec(ClassName inferenceType) {
        return TypeSpec.classBuilder(type(inferenceType))
                .addModifiers(Modifier.STATIC, Modifier.FINAL)
                .addJavadoc("A choice between two forms with the same bits, timed on one thread's buffers: each period\n"
                        + "starts with a trial of $L calls alternating them, timed; the lower best time decides until the\n"
                        + "next. Periods last $L calls and double while trials keep the choice, up to $L.\n", CALLS,
                        PERIOD, LONGEST_PERIOD)
                .addField(FieldSpec.builder(int.class, "call")
                        .addJavadoc("Calls since the current period began (its trial first).\n").build())
                .addField(FieldSpec.builder(boolean.class, "second")
                        .addJavadoc("Whether the second form runs outside trials.\n").build())
                .addField(FieldSpec.builder(int.class, "trials")
                        .addJavadoc("Trials finished.\n").build())
                .addField(FieldSpec.builder(int.class, "period")
                        .initializer("$L", PERIOD)
                        .addJavadoc("Calls of the current period.\n").build())
                .addField(FieldSpec.builder(long[].class, "best", Modifier.FINAL)
                        .initializer("{Long.MAX_VALUE, Long.MAX_VALUE, 0L, 0L}")
                        .addJavadoc("Best nanoseconds per call of the first and the second form in the running trial,\n"
                                + "then in the last finished one.\n").build())
                .addMethod(MethodSpec.methodBuilder("timed")
                        .addJavadoc("Whether this call belongs to a trial (and is timed).\n")
                        .returns(boolean.class)
                        .addStatement("return call < $L", CALLS).build())
                .addMethod(MethodSpec.methodBuilder("runsSecond")
                        .addJavadoc("The form of this call: in a trial alternating (the first form on even calls), else\n"
                                + "the one the last trial kept.\n")
                        .returns(boolean.class)
                        .addStatement("return call < $L ? (call & 1) == 1 : second", CALLS).build())
                .addMethod(MethodSpec.methodBuilder("record")
                        .addJavadoc("One timed trial call; the trial's last call decides (and returns true).\n")
                        .returns(boolean.class)
                        .addParameter(boolean.class, "atSecond")
                        .addParameter(long.class, "nanos")
                        .addStatement("int k = atSecond ? 1 : 0")
                        .addStatement("best[k] = Math.min(best[k], nanos)")
                        .beginControlFlow("if (call != $L)", CALLS - 1)
                        .addStatement("return false")
                        .endControlFlow()
                        .addStatement("boolean faster = best[1] < best[0]")
                        .addStatement("period = trials > 0 && faster == second ? Math.min(2 * period, $L) : $L",
                                LONGEST_PERIOD, PERIOD)
                        .addStatement("second = faster")
                        .addStatement("trials++")
                        .addStatement("best[2] = best[0]")
                        .addStatement("best[3] = best[1]")
                        .addStatement("best[0] = Long.MAX_VALUE")
                        .addStatement("best[1] = Long.MAX_VALUE")
                        .addStatement("return true")
                        .build())
                .addMethod(MethodSpec.methodBuilder("advance")
                        .addStatement("call = call == period - 1 ? 0 : call + 1").build())
                .build();
    }
}
