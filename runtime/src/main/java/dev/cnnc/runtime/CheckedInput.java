package dev.cnnc.runtime;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.zip.CRC32;

/**
 * Little-endian reader for {@link CheckedOutput}'s files: keeps the byte offset and a CRC32, and
 * turns every defect into a {@link WeightsFormatException} that names the source and the offset.
 */
final class CheckedInput {
    private final InputStream in;
    private final String source;
    private final CRC32 crc = new CRC32();
    private final byte[] scratch = new byte[8];
    private long offset;

    CheckedInput(InputStream in, String source) {
        this.in = in instanceof BufferedInputStream ? in : new BufferedInputStream(in, 65536);
        this.source = source;
    }

    String source() {
        return source;
    }

    long offset() {
        return offset;
    }

    WeightsFormatException error(String problem) {
        return new WeightsFormatException(source + ": " + problem);
    }

    byte[] readBytes(int count, String what) throws IOException {
        byte[] bytes = new byte[count];
        readFully(bytes, count, what);
        return bytes;
    }

    int readInt(String what) throws IOException {
        readFully(scratch, 4, what);
        return littleEndianInt(scratch);
    }

    long readLong(String what) throws IOException {
        readFully(scratch, 8, what);
        return (littleEndianInt(scratch) & 0xFFFFFFFFL)
                | ((long) (scratch[4] & 0xFF | (scratch[5] & 0xFF) << 8 | (scratch[6] & 0xFF) << 16
                | (scratch[7] & 0xFF) << 24) << 32);
    }

    double readDouble(String what) throws IOException {
        return Double.longBitsToDouble(readLong(what));
    }

    /** A count field: must lie in {@code [0, max]}, else the file is corrupt. */
    int readCount(String what, int max) throws IOException {
        long at = offset;
        int value = readInt(what);
        if (value < 0 || value > max) {
            throw error("corrupt " + what + " " + value + " at byte offset " + at + " (expected 0 to " + max + ")");
        }
        return value;
    }

    String readString(String what, int maxBytes) throws IOException {
        int length = readCount("length of the " + what, maxBytes);
        return new String(readBytes(length, what), CheckedOutput.UTF_8);
    }

    /** Fills {@code values} with floats; {@code what} names them in the truncation message. */
    void readFloats(float[] values, String what) throws IOException {
        for (int i = 0; i < values.length; i++) {
            readFully(scratch, 4, what + " (float " + i + " of " + values.length + ")");
            values[i] = Float.intBitsToFloat(littleEndianInt(scratch));
        }
    }

    /** Reads {@code count} floats into the checksum only (data that will not be used). */
    void skipFloats(int count, String what) throws IOException {
        byte[] block = new byte[4096];
        long remaining = 4L * count;
        while (remaining > 0) {
            int length = (int) Math.min(block.length, remaining);
            readFully(block, length, what);
            remaining -= length;
        }
    }

    /**
     * Reads the stored CRC32, compares it with the CRC of everything read so far, and checks that
     * nothing follows it.
     */
    void verifyChecksumAndEnd() throws IOException {
        long computed = crc.getValue();
        long at = offset;
        int got = 0;
        while (got < 4) {
            int n = in.read(scratch, got, 4 - got);
            if (n < 0) {
                throw error("truncated at byte offset " + (at + got) + " while reading the checksum");
            }
            got += n;
        }
        long stored = littleEndianInt(scratch) & 0xFFFFFFFFL;
        if (stored != computed) {
            throw error(String.format("bad checksum: stored %08x, computed %08x over bytes 0 to %d"
                    + " (the file is corrupted)", stored, computed, at));
        }
        if (in.read() >= 0) {
            throw error("unexpected data after the checksum at byte offset " + (at + 4));
        }
    }

    private void readFully(byte[] target, int count, String what) throws IOException {
        int got = 0;
        while (got < count) {
            int n = in.read(target, got, count - got);
            if (n < 0) {
                throw error("truncated at byte offset " + (offset + got) + " while reading " + what);
            }
            got += n;
        }
        crc.update(target, 0, count);
        offset += count;
    }

    private static int littleEndianInt(byte[] bytes) {
        return bytes[0] & 0xFF | (bytes[1] & 0xFF) << 8 | (bytes[2] & 0xFF) << 16 | (bytes[3] & 0xFF) << 24;
    }
}
