package dev.cnnc.processor.emit;

import com.palantir.javapoet.MethodSpec;
import dev.cnnc.processor.model.NetworkModel;
import javax.lang.model.element.Modifier;

/** The argument checks at the generated classes' public entries: shape mistakes fail with the expected layout. */
final class InputChecks {
    private InputChecks() {}

    /** {@code static void checkLength(String what, float[] array, int expected)}. */
    static MethodSpec checkLength(NetworkModel network) {
        return MethodSpec.methodBuilder("checkLength")
                .addModifiers(Modifier.STATIC)
                .addParameter(String.class, "what")
                .addParameter(float[].class, "array")
                .addParameter(int.class, "expected")
                .beginControlFlow("if (array == null)")
                .addStatement("throw new $T(what + $S)", NullPointerException.class, " is null")
                .endControlFlow()
                .beginControlFlow("if (array.length != expected)")
                .addStatement("throw new $T($S + what + $S + expected + $S + array.length + $S)",
                        IllegalArgumentException.class, network.simpleName() + ": ", " must hold ", " floats, got ",
                        " (an input is " + network.input().chw() + ", an output " + network.output().size()
                                + " floats)")
                .endControlFlow()
                .build();
    }

    /** {@code static void checkRange(String what, float[] array, int offset, int length)}. */
    static MethodSpec checkRange(NetworkModel network) {
        return MethodSpec.methodBuilder("checkRange")
                .addModifiers(Modifier.STATIC)
                .addParameter(String.class, "what")
                .addParameter(float[].class, "array")
                .addParameter(int.class, "offset")
                .addParameter(int.class, "length")
                .beginControlFlow("if (array == null)")
                .addStatement("throw new $T(what + $S)", NullPointerException.class, " is null")
                .endControlFlow()
                .beginControlFlow("if (offset < 0 || offset > array.length - length)")
                .addStatement("throw new $T($S + what + $S + offset + $S + length + $S + array.length + $S)",
                        IllegalArgumentException.class, network.simpleName() + ": ", " at offset ", " needs ",
                        " floats but the array holds ", " (an input is " + network.input().chw() + ")")
                .endControlFlow()
                .build();
    }

    /**
     * {@code static void checkBatch(String what, float[] array, int count, int size)}: {@code array}
     * holds at least {@code count} items of {@code size} floats (in long arithmetic, so a huge count
     * cannot overflow past the check). Batch methods check everything before they write anything.
     */
    static MethodSpec checkBatch(NetworkModel network) {
        return MethodSpec.methodBuilder("checkBatch")
                .addModifiers(Modifier.STATIC)
                .addParameter(String.class, "what")
                .addParameter(float[].class, "array")
                .addParameter(int.class, "count")
                .addParameter(int.class, "size")
                .beginControlFlow("if (array == null)")
                .addStatement("throw new $T(what + $S)", NullPointerException.class, " is null")
                .endControlFlow()
                .beginControlFlow("if (count < 0 || (long) count * size > array.length)")
                .addStatement("throw new $T($S + what + $S + array.length + $S + count + $S + size + $S)",
                        IllegalArgumentException.class, network.simpleName() + ": ", " holds ", " floats, but count ",
                        " needs count x ", " (an input is " + network.input().chw() + ", an output "
                                + network.output().size() + " floats)")
                .endControlFlow()
                .build();
    }
}
