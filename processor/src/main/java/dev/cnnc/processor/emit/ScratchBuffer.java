package dev.cnnc.processor.emit;

import com.palantir.javapoet.CodeBlock;
import com.palantir.javapoet.FieldSpec;
import com.palantir.javapoet.TypeName;
import javax.lang.model.element.Modifier;

/**
 * A buffer a layer method needs besides its input and output, allocated once per thread: a flat
 * {@code float[length]} when {@code rows == 0}, else {@code float[rows][]} whose rows of at least
 * {@code length} floats the class's constructor allocates ({@link AlignedRows}; one array per image
 * row is what lets HotSpot's C2 vectorize the row loops); {@link #ints} makes a flat
 * {@code int[length]} instead (indexes, not numbers).
 *
 * @param name     the field and parameter name, e.g. {@code conv1Shifted}
 * @param rows     number of row arrays, or 0 for a flat array
 * @param length   entries per row (or in the flat array)
 * @param doc      what it holds, for the generated field's comment
 * @param integers whether the entries are {@code int} (flat arrays only)
 */
record ScratchBuffer(String name, int rows, int length, String doc, boolean integers) {

    ScratchBuffer {
        if (integers && rows != 0) {
            throw new IllegalArgumentException(name + ": int buffers are flat");
        }
    }

    ScratchBuffer(String name, int rows, int length, String doc) {
        this(name, rows, length, doc, false);
    }

    /** A flat {@code int[length]}. */
    static ScratchBuffer ints(String name, int length, String doc) {
        return new ScratchBuffer(name, 0, length, doc, true);
    }

    TypeName type() {
        if (integers) {
            return TypeName.get(int[].class);
        }
        return rows == 0 ? TypeName.get(float[].class) : TypeName.get(float[][].class);
    }

    /** The field; a row buffer's rows are left to the constructor ({@link AlignedRows#addField}). */
    FieldSpec field() {
        String element = integers ? "int" : "float";
        CodeBlock initializer = rows == 0 ? CodeBlock.of("new $L[$L]", element, length)
                : CodeBlock.of("new float[$L][]", rows);
        return FieldSpec.builder(type(), name, Modifier.FINAL)
                .initializer(initializer)
                .addJavadoc("$L\n", doc)
                .build();
    }
}
