package dev.cnnc.runtime.data;

import java.io.File;
import java.io.IOException;

/**
 * A data file that cannot be used as it is: wrong magic number, truncated header or data, a label out
 * of range, a count that does not match its partner file. The message always names the file and,
 * when the problem sits at a place in the file, the byte offset, e.g.
 * {@code data/train-images-idx3-ubyte.gz, byte 16 of the decompressed data: ...}.
 *
 * <p>For gzip files the offset counts bytes of the decompressed stream (that is where IDX offsets
 * are defined); {@link #isOffsetInDecompressedData()} says which kind it is.
 */
public class DataFileException extends IOException {
    private static final long serialVersionUID = 1L;

    /** Offset value meaning "the problem concerns the file as a whole". */
    public static final long NO_OFFSET = -1;

    private final String fileName;
    private final long offset;
    private final boolean offsetInDecompressedData;

    /**
     * @param file    the file at fault
     * @param offset  byte offset of the problem in the file, or {@link #NO_OFFSET}
     * @param problem what is wrong and, where possible, how to fix it
     */
    public DataFileException(File file, long offset, String problem) {
        this(file, offset, false, problem, null);
    }

    /**
     * @param file         the file at fault
     * @param offset       byte offset of the problem, or {@link #NO_OFFSET}
     * @param decompressed whether {@code offset} counts bytes of the decompressed (gzip) stream
     * @param problem      what is wrong and, where possible, how to fix it
     * @param cause        the underlying exception, or {@code null}
     */
    public DataFileException(File file, long offset, boolean decompressed, String problem, Throwable cause) {
        super(describe(file, offset, decompressed) + ": " + problem, cause);
        this.fileName = file.getPath();
        this.offset = offset;
        this.offsetInDecompressedData = decompressed;
    }

    private static String describe(File file, long offset, boolean decompressed) {
        if (offset < 0) {
            return file.getPath();
        }
        return file.getPath() + ", byte " + offset + (decompressed ? " of the decompressed data" : "");
    }

    /** The path of the file at fault, as given to the reader. */
    public String fileName() {
        return fileName;
    }

    /** Byte offset of the problem, or {@link #NO_OFFSET} when it concerns the whole file. */
    public long offset() {
        return offset;
    }

    /** Whether {@link #offset()} counts bytes of the decompressed stream of a gzip file. */
    public boolean isOffsetInDecompressedData() {
        return offsetInDecompressedData;
    }
}
