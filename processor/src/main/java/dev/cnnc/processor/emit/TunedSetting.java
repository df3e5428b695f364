package dev.cnnc.processor.emit;

import com.palantir.javapoet.CodeBlock;
import com.palantir.javapoet.FieldSpec;
import com.palantir.javapoet.MethodSpec;
import com.palantir.javapoet.TypeSpec;
import javax.lang.model.element.Modifier;

/**
 * A choice between two equivalent kernels that the generated inference class makes by timing them
 * ({@code tune}, the default) or that {@code -D<property>} forces. The batch kernel and the row layout
 * are tuned once per JVM ({@link BatchInferenceCode}, {@link ConvLayoutCode}: {@link #decide},
 * {@link #reportBody}); the plane start by each thread's trials ({@link PlaneStartCode},
 * {@link TrialCode}). All three read their setting the same way; this writes that method and the
 * shared state.
 *
 * @param field       the volatile int field holding the choice, and the name of the method that reads it
 * @param lock        the lock guarding the tuning state
 * @param description the String field saying why the choice runs
 * @param property    the system property, e.g. {@code cnnc.batchKernel}
 * @param unset       constant of "not read yet"
 * @param tuning      constant of "timing both"
 * @param first       the first forced value and its constant, e.g. {@code {"lanes", "LANES"}}
 * @param second      the second forced value and its constant
 * @param clocked     whether the tuning keeps the time it began, to run at least
 *                    {@value #SHORTEST_TUNING_SECONDS} s ({@link #tunedLongEnough()}); the per-thread trials do not
 */
record TunedSetting(String field, String lock, String description, String property, String unset,
        String tuning, String[] first, String[] second, boolean clocked) {

    /**
     * Shortest tuning, in seconds from its first call, before a decision. The image counts alone let a
     * JDK 17 run decide on code that C2 had not compiled yet: with both cores busy running the model, its
     * compiler threads got to the padded rows after the tuning had timed them at 118 us (C2's code: 28)
     * against exact rows' 116.5, and the caller then ran scalar exact rows at 90 us per image for good.
     * C2 compiled CIFAR LeNet's conv1Forward 3.4 s in on such a machine.
     */
    static final int SHORTEST_TUNING_SECONDS = 5;
    /** {@link #SHORTEST_TUNING_SECONDS} in nanoseconds, as the generated code compares it. */
    static final long SHORTEST_TUNING_NANOS = SHORTEST_TUNING_SECONDS * 1_000_000_000L;

    /**
     * The lock, the choice field, its four constants (unset 0, tuning 1, first 2, second 3), the
     * description field and, if clocked, when the tuning began; the tuning's own counters are the caller's.
     */
    void addState(TypeSpec.Builder type) {
        type.addField(FieldSpec.builder(Object.class, lock, Modifier.PRIVATE, Modifier.STATIC, Modifier.FINAL)
                .initializer("new Object()").build());
        type.addField(FieldSpec.builder(int.class, field, Modifier.PRIVATE, Modifier.STATIC, Modifier.VOLATILE)
                .addJavadoc("$L, $L, $L or $L; set under the lock.\n", unset, tuning, first[1], second[1]).build());
        String[][] constants = {{unset, "0"}, {tuning, "1"}, {first[1], "2"}, {second[1], "3"}};
        for (String[] constant : constants) {
            type.addField(FieldSpec.builder(int.class, constant[0], Modifier.PRIVATE, Modifier.STATIC, Modifier.FINAL)
                    .initializer(constant[1]).build());
        }
        type.addField(FieldSpec.builder(String.class, description, Modifier.PRIVATE, Modifier.STATIC)
                .addJavadoc("Why the choice runs; guarded by the lock.\n").build());
        if (clocked) {
            type.addField(FieldSpec.builder(long.class, startField(), Modifier.PRIVATE, Modifier.STATIC)
                    .addJavadoc("{@code System.nanoTime()} when the tuning began; guarded by the lock.\n").build());
        }
    }

    /** {@code private static int <field>()}: the choice, reading {@code -D<property>} on first use. */
    MethodSpec readMethod() {
        return MethodSpec.methodBuilder(field)
                .addModifiers(Modifier.PRIVATE, Modifier.STATIC)
                .returns(int.class)
                .addJavadoc("Reads {@code -D$L} on first use: tune (the default), $L or $L.\n", property, first[0],
                        second[0])
                .addStatement("int choice = $N", field)
                .beginControlFlow("if (choice != $N)", unset)
                .addStatement("return choice")
                .endControlFlow()
                .beginControlFlow("synchronized ($N)", lock)
                .beginControlFlow("if ($N == $N)", field, unset)
                .addStatement("String setting = System.getProperty($S, $S)", property, "tune")
                .beginControlFlow("if (setting.equals($S))", "tune")
                .addStatement("$N = $N", field, tuning)
                .addCode(clocked ? CodeBlock.of("$N = System.nanoTime();\n", startField()) : CodeBlock.of(""))
                .nextControlFlow("else if (setting.equals($S) || setting.equals($S))", first[0], second[0])
                .addStatement("$N = setting + $S", description, " (set by -D" + property + ")")
                .addStatement("$N = setting.equals($S) ? $N : $N", field, first[0], first[1], second[1])
                .nextControlFlow("else")
                .addStatement("throw new $T($S + setting + $S)", IllegalArgumentException.class,
                        "-D" + property + " must be tune, " + first[0] + " or " + second[0] + ", not \"", "\"")
                .endControlFlow()
                .endControlFlow()
                .addStatement("return $N", field)
                .endControlFlow()
                .build();
    }

    /**
     * The public report's body: reads the setting (so a bad value fails here too), then returns how far
     * the tuning has got ({@code progress} with the two counts of {@code counts} in its {@code %s}
     * places) or, once decided, why the choice runs.
     */
    CodeBlock reportBody(String counts, String progress) {
        String[] parts = progress.split("%s", -1);
        return CodeBlock.builder()
                .addStatement("$N()", field)
                .beginControlFlow("synchronized ($N)", lock)
                .beginControlFlow("if ($N == $N)", field, tuning)
                .addStatement("return $S + $N[0] + $S + $N[1] + $S", parts[0], counts, parts[1], counts, parts[2])
                .endControlFlow()
                .addStatement("return $N", description)
                .endControlFlow()
                .build();
    }

    /** The field holding when the tuning began. */
    private String startField() {
        return field + "TuningStart";
    }

    /**
     * A condition that holds once {@value #SHORTEST_TUNING_SECONDS} s have passed since the tuning began
     * (to be read under the lock), so that the JIT has compiled both kernels before their times decide.
     */
    CodeBlock tunedLongEnough() {
        if (!clocked) {
            throw new IllegalStateException(field + " keeps no tuning clock");
        }
        return CodeBlock.of("System.nanoTime() - $N >= $LL", startField(), SHORTEST_TUNING_NANOS);
    }

    /**
     * The decision: the second kernel if {@code best[1]} is lower than {@code best[0]} (on a tie too, if
     * {@code tieToSecond}), else the first; the description names it and both best times, e.g.
     * {@code "images (tuned on the first batches: lanes 51.0 us, one by one 40.2 us per image at best;
     * Java 25.0.3)"}.
     *
     * @param best   the long[2] of best nanoseconds per image, first kernel then second
     * @param what   what the tuning ran on, e.g. {@code "batches"}
     * @param labels how the description names the first and the second kernel's time
     */
    CodeBlock decide(String best, boolean tieToSecond, String what, String[] labels) {
        return CodeBlock.builder()
                .addStatement("boolean second = $N[1] $L $N[0]", best, tieToSecond ? "<=" : "<", best)
                .addStatement("$N = (second ? $S : $S) + $S + $N[0] / 100 / 10.0 + $S + $N[1] / 100 / 10.0 + $S"
                                + " + System.getProperty($S) + $S", description, second[0], first[0],
                        " (tuned on the first " + what + ": " + labels[0] + " ", best, " us, " + labels[1] + " ", best,
                        " us per image at best; Java ", "java.version", ")")
                .addStatement("$N = second ? $N : $N", field, second[1], first[1])
                .build();
    }
}
