package dev.cnnc.processor.emit;

import com.palantir.javapoet.FieldSpec;
import com.palantir.javapoet.TypeSpec;
import dev.cnnc.processor.model.NetworkModel;
import dev.cnnc.processor.model.SummaryTable;
import javax.lang.model.element.Modifier;

/** The constants both generated classes expose: sizes, fingerprint and the summary table. */
final class ShapeConstants {
    private ShapeConstants() {}

    static void add(TypeSpec.Builder type, NetworkModel network) {
        constant(type, int.class, "PARAMS", "$L", network.params(), "Number of parameters (weights and biases).");
        constant(type, int.class, "INPUT_SIZE", "$L", network.input().size(),
                "Floats per input image: " + network.input().chw() + ".");
        constant(type, int.class, "INPUT_CHANNELS", "$L", network.input().channels(), "Input channels.");
        constant(type, int.class, "INPUT_HEIGHT", "$L", network.input().height(), "Input height.");
        constant(type, int.class, "INPUT_WIDTH", "$L", network.input().width(), "Input width.");
        constant(type, int.class, "OUTPUT_SIZE", "$L", network.output().size(), "Floats per output.");
        constant(type, long.class, "FINGERPRINT", "$LL", network.fingerprint(),
                "Hash of {@link #ARCHITECTURE}; weight files carry it.");
        constant(type, String.class, "ARCHITECTURE", "$S", network.architecture(),
                "Every layer kind, attribute and shape, in order.");
        constant(type, String.class, "SUMMARY", "$S", SummaryTable.render(network),
                "The model summary printed at compile time.");
    }

    private static void constant(TypeSpec.Builder type, Class<?> fieldType, String name, String format, Object value,
                                 String doc) {
        type.addField(FieldSpec.builder(fieldType, name, Modifier.PUBLIC, Modifier.STATIC, Modifier.FINAL)
                .initializer(format, value)
                .addJavadoc(doc + "\n")
                .build());
    }
}
