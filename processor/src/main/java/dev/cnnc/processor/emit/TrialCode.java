package dev.cnnc.processor.emit;

import com.palantir.javapoet.ClassName;
import com.palantir.javapoet.FieldSpec;
import com.palantir.javapoet.MethodSpec;
import com.palantir.javapoet.TypeSpec;
import javax.lang.model.element.Modifier;

/**
 * The generated {@code Trial} class: a choice between two forms of a computation that give the same
 * bits, made by one thread's buffers by timing both now and then. The first {@value #PERIOD} calls
 * alternate the forms (the first form on even calls), so that the JIT compiles both, and the last
 * {@value #CALLS} of them are timed; after that each period starts with a trial of {@value #CALLS}
 * calls that alternate them again, timed. The lower best time of a trial decides until the next. A
 * trial that keeps the choice doubles the period, up to {@value #LONGEST_PERIOD} calls; one that
 * changes it goes back to {@value #PERIOD}. Periodic, not once: the JIT compiles the big convolution methods seconds apart
 * (on JDK 17 a single early decision once measured compiled exact rows against padded rows still
 * interpreted, and kept exact rows, twice as slow), and the garbage collector may move the buffers
 * (which on JDK 25 changes which plane start is faster, see {@link PlaneStartCode}). A form that
 * only trials call would never be compiled; hence the alternating first period. A later trial costs
 * its slower half: on JDK 17, 16 calls of CIFAR LeNet's exact rows at about 60 us more per
 * {@value #LONGEST_PERIOD} calls once the choice is steady, about 0.1%.
 */
final class TrialCode {
    /** Calls of the first period, and between trials after a trial that changed the choice. */
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

    static TypeSpec typeSpec(ClassName inferenceType) {
        return TypeSpec.classBuilder(type(inferenceType))
                .addModifiers(Modifier.STATIC, Modifier.FINAL)
                .addJavadoc("A choice between two forms with the same bits, timed on one thread's buffers: the first $L\n"
                        + "calls alternate them (the last $L timed), then each period starts with a trial of $L calls\n"
                        + "alternating them, timed; the lower best time of a trial decides until the next. Periods\n"
                        + "double while trials keep the choice, up to $L calls.\n", PERIOD, CALLS, CALLS, LONGEST_PERIOD)
                .addField(FieldSpec.builder(int.class, "call")
                        .addJavadoc("Calls since the current period began (a trial first).\n").build())
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
                        .addJavadoc("Whether this call is timed: one of the first period's last $L, or of a later trial.\n",
                                CALLS)
                        .returns(boolean.class)
                        .addStatement("return trials == 0 ? call >= $L : call < $L", PERIOD - CALLS, CALLS).build())
                .addMethod(MethodSpec.methodBuilder("runsSecond")
                        .addJavadoc("The form of this call: alternating in the first period and in trials (the first\n"
                                + "form on even calls), else the one the last trial kept.\n")
                        .returns(boolean.class)
                        .addStatement("return trials == 0 || call < $L ? (call & 1) == 1 : second", CALLS).build())
                .addMethod(MethodSpec.methodBuilder("record")
                        .addJavadoc("One timed trial call; the trial's last call decides (and returns true).\n")
                        .returns(boolean.class)
                        .addParameter(boolean.class, "atSecond")
                        .addParameter(long.class, "nanos")
                        .addStatement("int k = atSecond ? 1 : 0")
                        .addStatement("best[k] = Math.min(best[k], nanos)")
                        .beginControlFlow("if (call != (trials == 0 ? $L : $L))", PERIOD - 1, CALLS - 1)
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
