package dev.cnnc.processor.emit;

import com.palantir.javapoet.ClassName;
import com.palantir.javapoet.CodeBlock;
import com.palantir.javapoet.MethodSpec;
import com.palantir.javapoet.TypeSpec;
import java.util.ArrayList;
import java.util.List;
import javax.lang.model.element.Modifier;

/**
 * How the generated buffer classes ({@code Scratch}, {@code Lanes}, the model's {@code Buffers}) and
 * the dense layers' transposed weights get their row arrays: every row array of a class is allocated
 * in its constructor, one right after the other, and is {@link #paddedLength padded} to a whole
 * number of 64-byte cache lines. Arrays allocated back to back then lie at one offset within a line
 * (unless a thread-local allocation buffer runs out between two of them), so the pre-loop C2 runs to
 * align a vector loop's store aligns its loads as well, and AVX-512's 64-byte loads do not straddle
 * two lines. Left to chance (rows of 896 or 1024 floats take 16 bytes more than whole lines, so each
 * row starts 16 bytes further on than the one before), CIFAR LeNet's conv1 took 9.2-11 us per image
 * where rows that share their offset take 7.5, on JDK 17 and 25 (docs/PERFORMANCE.md).
 *
 * <p>The padding assumes HotSpot's default 16-byte array header (64-bit, compressed class
 * pointers). Under another header size the rows are still allocated back to back but lie at
 * different offsets, as unpadded rows do.
 */
final class AlignedRows {
    /** A float[]'s header in floats on 64-bit HotSpot with compressed class pointers. */
    private static final int HEADER_FLOATS = 4;
    /** Floats in a 64-byte cache line. */
    private static final int LINE_FLOATS = 16;
    /** The helper every constructor calls, a static method of the inference class. */
    static final String HELPER = "allocateRows";

    private final ClassName inferenceClass;
    private final List<ScratchBuffer> rowBuffers = new ArrayList<>();

    /** @param inferenceClass the class that holds {@link #helper()} */
    AlignedRows(ClassName inferenceClass) {
        this.inferenceClass = inferenceClass;
    }

    /** The smallest length of at least {@code length} floats whose array, header included, fills whole lines. */
    static int paddedLength(int length) {
        int lines = (HEADER_FLOATS + length + LINE_FLOATS - 1) / LINE_FLOATS;
        return lines * LINE_FLOATS - HEADER_FLOATS;
    }

    /** Adds {@code buffer}'s field to {@code type}; a row buffer's rows come from {@link #constructor}. */
    void addField(TypeSpec.Builder type, ScratchBuffer buffer) {
        type.addField(buffer.field());
        if (buffer.rows() > 0) {
            rowBuffers.add(buffer);
        }
    }

    /** The class's constructor: its row buffers' rows, in the order their fields were added. */
    MethodSpec constructor(Modifier... modifiers) {
        MethodSpec.Builder constructor = MethodSpec.constructorBuilder().addModifiers(modifiers);
        if (!rowBuffers.isEmpty()) {
            constructor.addComment("every row right after the one before, each a whole number of cache lines (see $N)",
                    HELPER);
        }
        for (ScratchBuffer buffer : rowBuffers) {
            constructor.addStatement(allocate(CodeBlock.of("$N", buffer.name()), buffer.length()));
        }
        return constructor.build();
    }

    /** {@code allocateRows(rows, <padded length>)}, naming the helper through the inference class. */
    CodeBlock allocate(CodeBlock rows, int length) {
        return CodeBlock.of("$T.$N($L, $L)", inferenceClass, HELPER, rows, paddedLength(length));
    }

    /** {@code static float[][] allocateRows(float[][] rows, int length)}, for the inference class. */
    static MethodSpec helper() {
        return MethodSpec.methodBuilder(HELPER)
                .addModifiers(Modifier.STATIC)
                .returns(float[][].class)
                .addJavadoc("Fills {@code rows} with new arrays of {@code length} floats, one after the other, and returns it.\n"
                        + "The generated buffer classes allocate all their rows this way in their constructors, with\n"
                        + "lengths that make each array (its 16-byte header included) a whole number of 64-byte lines:\n"
                        + "rows allocated back to back then share their offset within a line, so a vector loop whose\n"
                        + "store C2 aligns has every load aligned too.\n")
                .addParameter(float[][].class, "rows")
                .addParameter(int.class, "length")
                .beginControlFlow("for (int r = 0; r < rows.length; r++)")
                .addStatement("rows[r] = new float[length]")
                .endControlFlow()
                .addStatement("return rows")
                .build();
    }
}
