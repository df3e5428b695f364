package dev.cnnc.processor.emit;

import static dev.cnnc.Activation.RELU;
import static dev.cnnc.Activation.SOFTMAX;
import static dev.cnnc.Padding.SAME;
import static dev.cnnc.Padding.VALID;
import static dev.cnnc.PoolKind.MAX;
import static dev.cnnc.processor.emit.NetworkSource.network;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.reflect.Constructor;
import java.lang.reflect.Field;
import java.lang.reflect.Method;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * Row buffers are allocated in their class's constructor, back to back, each row a whole number of
 * 64-byte lines with HotSpot's 16-byte array header ({@link AlignedRows}): the generated classes'
 * every {@code float[][]} holds rows of a padded length, and the constructors allocate nothing else
 * between them.
 */
class AlignedRowsTest {
    private static final NetworkSource NETWORK = network("AlignedNet", 32, 32, 3).conv(6, 5, 1, VALID, RELU)
            .pool(MAX, 2, 2).conv(16, 5, 1, VALID, RELU).pool(MAX, 2, 2).conv(8, 3, 1, SAME, RELU)
            .dense(30, RELU).dense(10, SOFTMAX);

    @Test
    void paddedLengthsFillWholeLines() {
        for (int length = 1; length <= 3000; length++) {
            int padded = AlignedRows.paddedLength(length);
            assertEquals(0, (padded + 4) % 16, "length " + length);
            assertTrue(padded >= length && padded < length + 16, "length " + length + " -> " + padded);
        }
        assertEquals(908, AlignedRows.paddedLength(896));
        assertEquals(1036, AlignedRows.paddedLength(1024));
        assertEquals(140, AlignedRows.paddedLength(140));
    }

    @Test
    void everyRowOfEveryBufferClassIsPadded() throws Exception {
        GeneratedNetwork generated = GeneratedNetwork.compile(NETWORK);
        Class<?> inference = generated.load("Inference");
        List<String> checked = new ArrayList<>();
        checked.addAll(paddedRows(construct(generated.load("Inference$Scratch"))));
        checked.addAll(paddedRows(construct(generated.load("Inference$Lanes"))));
        checked.addAll(paddedRows(generated.model().newWorkspace()));
        Method newColumns = inference.getDeclaredMethod("newColumns");
        newColumns.setAccessible(true);
        float[][][] columns = (float[][][]) newColumns.invoke(null);
        for (int layer = 0; layer < columns.length; layer++) {
            checked.add(assertPadded("columns[" + layer + "]", columns[layer]));
        }
        // the convolutions' shifted copies and planes, the lanes, the backward's windows, the dense columns
        for (String name : List.of("conv1Shifted", "conv1Planes", "conv3Slices", "conv5PlanesExact", "input",
                "pool2Out", "conv3Windows", "conv5WeightSums", "columns[1]")) {
            assertTrue(checked.contains(name), name + " not among " + checked);
        }
    }

    @Test
    void constructorsAllocateTheRowsOneAfterAnother() {
        String source = GeneratedNetwork.compile(NETWORK).generatedSource("Inference");
        Matcher constructor = Pattern.compile("\n        Scratch\\(\\) \\{\n(.*?)\n        }\n", Pattern.DOTALL)
                .matcher(source);
        assertTrue(constructor.find(), source);
        String[] statements = constructor.group(1).strip().split("\n");
        assertTrue(statements[0].strip().startsWith("// every row right after the one before"), constructor.group(1));
        assertTrue(statements.length > 10, constructor.group(1));
        for (int i = 1; i < statements.length; i++) {
            assertTrue(statements[i].strip().matches("AlignedNetInference\\.allocateRows\\(\\w+, \\d+\\);"),
                    statements[i]);
        }
        assertTrue(source.contains("final float[][] conv1Shifted = new float[15][];"), source);
        assertTrue(source.contains("AlignedNetInference.allocateRows(conv1Shifted, 1036);\n"
                + "            AlignedNetInference.allocateRows(conv1Planes, 908);"), source);
    }

    private static Object construct(Class<?> type) throws ReflectiveOperationException {
        Constructor<?> constructor = type.getDeclaredConstructor();
        constructor.setAccessible(true);
        return constructor.newInstance();
    }

    /** Checks every {@code float[][]} field of {@code buffers}; answers their names. */
    private static List<String> paddedRows(Object buffers) throws IllegalAccessException {
        List<String> names = new ArrayList<>();
        for (Field field : buffers.getClass().getDeclaredFields()) {
            if (field.getType() == float[][].class) {
                field.setAccessible(true);
                names.add(assertPadded(field.getName(), (float[][]) field.get(buffers)));
            }
        }
        assertTrue(!names.isEmpty(), buffers.getClass() + " has no row buffers");
        return names;
    }

    private static String assertPadded(String name, float[][] rows) {
        assertNotNull(rows, name);
        for (float[] row : rows) {
            assertNotNull(row, name);
            assertEquals(rows[0].length, row.length, name);
            assertEquals(AlignedRows.paddedLength(row.length), row.length, name + ": " + row.length + " floats");
        }
        return name;
    }
}
