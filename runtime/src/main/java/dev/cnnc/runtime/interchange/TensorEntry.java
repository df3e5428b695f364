package dev.cnnc.runtime.interchange;

import java.util.Arrays;

/** One tensor as a safetensors header describes it: name, dtype, shape and its bytes in the data section. */
final class TensorEntry {
    final String name;
    final String dtype;
    final long[] shape;
    /** First byte in the data section (after the header). */
    final long begin;
    /** One past the last byte in the data section. */
    final long end;

    TensorEntry(String name, String dtype, long[] shape, long begin, long end) {
        this.name = name;
        this.dtype = dtype;
        this.shape = shape;
        this.begin = begin;
        this.end = end;
    }

    long byteLength() {
        return end - begin;
    }

    String shapeText() {
        return Arrays.toString(shape);
    }

    String offsetsText() {
        return "[" + begin + ", " + end + "]";
    }

    @Override
    public String toString() {
        return name + " " + dtype + " " + shapeText() + " " + offsetsText();
    }
}
