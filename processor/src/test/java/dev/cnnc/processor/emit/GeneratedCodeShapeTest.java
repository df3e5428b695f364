package dev.cnnc.processor.emit;

import static dev.cnnc.Activation.RELU;
import static dev.cnnc.Activation.SOFTMAX;
import static dev.cnnc.Activation.TANH;
import static dev.cnnc.Padding.SAME;
import static dev.cnnc.Padding.VALID;
import static dev.cnnc.PoolKind.AVG;
import static dev.cnnc.PoolKind.MAX;
import static dev.cnnc.processor.emit.NetworkSource.network;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * What the generated classes must look like to run fast and embed anywhere: every method under
 * HotSpot's 8,000-byte JIT limit, and an inference class that refers to nothing outside java.*.
 */
class GeneratedCodeShapeTest {
    /** HotSpot does not JIT-compile methods with more bytecode than this (-XX:-DontCompileHugeMethods). */
    private static final int HUGE_METHOD_LIMIT = 8000;

    static Stream<NetworkSource> networks() {
        return Stream.of(
                network("LeNet", 32, 32, 3).conv(6, 5, 1, VALID, RELU).pool(MAX, 2, 2).conv(16, 5, 1, VALID, RELU)
                        .pool(MAX, 2, 2).dense(120, RELU).dense(84, RELU).dense(10, SOFTMAX),
                network("Wide", 64, 64, 3).conv(32, 5, 2, SAME, RELU).conv(64, 3, 1, SAME, TANH).pool(AVG, 2, 2)
                        .conv(128, 3, 1, VALID, RELU).pool(MAX, 3, 2).dense(256, RELU).dense(100, SOFTMAX),
                network("Deep", 28, 28, 1).conv(8, 3, 1, SAME, RELU).conv(8, 3, 1, SAME, RELU).pool(MAX, 2, 2)
                        .conv(16, 3, 1, SAME, RELU).conv(16, 3, 1, SAME, RELU).pool(MAX, 2, 2)
                        .conv(32, 3, 1, SAME, RELU).pool(AVG, 7, 7).dense(10, SOFTMAX),
                // the largest unrolled kernel, odd channels and filters, padding and leftover positions
                // everywhere: the biggest loop bodies the conv emitter writes
                network("Unrolled", 13, 13, 3).conv(3, 7, 1, SAME, TANH).conv(5, 7, 1, SAME, TANH)
                        .conv(3, 7, 2, SAME, TANH).dense(10, SOFTMAX));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("networks")
    void everyGeneratedMethodStaysUnderTheJitLimit(NetworkSource source) {
        GeneratedNetwork generated = GeneratedNetwork.compile(source);
        assertFalse(generated.classFiles().isEmpty());
        int methods = 0;
        for (Map.Entry<String, byte[]> file : generated.classFiles().entrySet()) {
            if (file.getKey().equals(source.qualifiedName())) {
                continue; // the user's declaration, not ours
            }
            for (Map.Entry<String, Integer> method : ClassFile.parse(file.getValue()).codeLengths.entrySet()) {
                methods++;
                assertTrue(method.getValue() < HUGE_METHOD_LIMIT, () -> file.getKey() + "." + method.getKey()
                        + " has " + method.getValue() + " bytes of bytecode, limit " + HUGE_METHOD_LIMIT);
            }
        }
        assertTrue(methods > 20, "expected the generated methods to be read, found " + methods);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("networks")
    void inferenceClassRefersOnlyToJavaClasses(NetworkSource source) {
        GeneratedNetwork generated = GeneratedNetwork.compile(source);
        String inference = source.qualifiedName() + "Inference";
        int checked = 0;
        for (Map.Entry<String, byte[]> file : generated.classFiles().entrySet()) {
            if (!file.getKey().startsWith(inference)) {
                continue; // the class and its nested classes
            }
            checked++;
            String own = inference.replace('.', '/');
            for (String referenced : ClassFile.parse(file.getValue()).referencedClasses) {
                String element = referenced.replaceFirst("^\\[+L?", "").replaceFirst(";$", "");
                assertTrue(element.startsWith("java/") || element.startsWith(own) || element.length() == 1,
                        () -> file.getKey() + " refers to " + referenced);
            }
        }
        assertTrue(checked >= 2, "the inference class and its scratch holder");
        String text = generated.generatedSource("Inference");
        text.lines().filter(line -> line.startsWith("import "))
                .forEach(line -> assertTrue(line.startsWith("import java."), () -> "generated " + line));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("networks")
    void generatedMethodsCarryTheirShapesInComments(NetworkSource source) {
        GeneratedNetwork generated = GeneratedNetwork.compile(source);
        String inference = generated.generatedSource("Inference");
        String model = generated.generatedSource("Model");
        for (var layer : source.model().layers()) {
            String shapes = layer.name() + ": " + layer.input() + (layer.input().flat() ? " -> " : "");
            assertTrue(inference.contains(shapes), () -> "forward comment of " + layer.name());
            assertTrue(model.contains("Backward of " + shapes), () -> "backward comment of " + layer.name());
        }
        assertTrue(inference.contains("do not edit"));
        assertEquals(1, TestData.occurrences(model, "class " + source.spec().simpleName() + "Model "));
    }
}
