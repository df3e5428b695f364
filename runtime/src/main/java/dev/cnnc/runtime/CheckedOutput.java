package dev.cnnc.runtime;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.Charset;
import java.util.zip.CRC32;

/**
 * Little-endian writer that keeps a CRC32 of everything written; {@link #finish()} appends the CRC.
 * The layout of cnnc's binary files is fixed little-endian so it matches PyTorch/NumPy float32 dumps.
 */
final class CheckedOutput {
    static final Charset UTF_8 = Charset.forName("UTF-8");

    private final OutputStream out;
    private final CRC32 crc = new CRC32();
    private final byte[] buffer = new byte[8192];
    private int position;

    CheckedOutput(OutputStream out) {
        this.out = out;
    }

    void writeBytes(byte[] bytes) throws IOException {
        for (byte value : bytes) {
            writeByte(value);
        }
    }

    void writeByte(int value) throws IOException {
        if (position == buffer.length) {
            flushBuffer();
        }
        buffer[position++] = (byte) value;
    }

    void writeInt(int value) throws IOException {
        writeByte(value);
        writeByte(value >>> 8);
        writeByte(value >>> 16);
        writeByte(value >>> 24);
    }

    void writeLong(long value) throws IOException {
        writeInt((int) value);
        writeInt((int) (value >>> 32));
    }

    void writeDouble(double value) throws IOException {
        writeLong(Double.doubleToRawLongBits(value));
    }

    /** The bits exactly, NaN payloads included. */
    void writeFloats(float[] values) throws IOException {
        for (float value : values) {
            writeInt(Float.floatToRawIntBits(value));
        }
    }

    /** Length (int) then UTF-8 bytes. */
    void writeString(String value) throws IOException {
        byte[] bytes = value.getBytes(UTF_8);
        writeInt(bytes.length);
        writeBytes(bytes);
    }

    /** Writes the CRC32 of everything before it and flushes. */
    void finish() throws IOException {
        flushBuffer();
        int checksum = (int) crc.getValue();
        byte[] tail = {(byte) checksum, (byte) (checksum >>> 8), (byte) (checksum >>> 16), (byte) (checksum >>> 24)};
        out.write(tail);
        out.flush();
    }

    private void flushBuffer() throws IOException {
        crc.update(buffer, 0, position);
        out.write(buffer, 0, position);
        position = 0;
    }
}
