package dev.cnnc.runtime.interchange;

import java.io.IOException;

/**
 * A safetensors file that cannot be loaded into the model at hand. The message names the source,
 * the tensor or the byte offset and shows what was expected next to what was found; {@link #problem()}
 * tells the kind of defect to code that wants to react to it.
 */
public final class SafetensorsFormatException extends IOException {
    private static final long serialVersionUID = 1L;

    /** The kinds of defect, roughly in the order a file is checked. */
    public enum Problem {
        /** The 8-byte header length is too small, absurdly large or larger than the file. */
        HEADER_LENGTH,
        /** The header is not valid UTF-8 or not valid JSON. */
        HEADER_JSON,
        /** Valid JSON, but not a safetensors header (missing or mistyped field, bad metadata). */
        HEADER_STRUCTURE,
        /** A tensor's {@code data_offsets} do not fit its dtype and shape, overlap another or leave a gap. */
        OFFSETS,
        /** A tensor the model expects is absent. */
        MISSING_TENSOR,
        /** A tensor the model does not have (allowed with {@link SafetensorsOptions#allowExtraTensors()}). */
        EXTRA_TENSOR,
        /** A tensor of the model stored with another dtype than F32, or a dtype unknown to safetensors. */
        DTYPE,
        /** A tensor of the model stored with another shape. */
        SHAPE,
        /** The file was written by cnnc for another architecture (same shapes, different network). */
        FINGERPRINT,
        /** The data section ends before the last tensor. */
        TRUNCATED_DATA,
        /** Bytes follow the last tensor. */
        TRAILING_DATA
    }

    private final Problem problem;

    SafetensorsFormatException(Problem problem, String message) {
        super(message);
        this.problem = problem;
    }

    public Problem problem() {
        return problem;
    }
}
