package dev.cnnc.runtime.data;

import java.io.BufferedInputStream;
import java.io.Closeable;
import java.io.EOFException;
import java.io.File;
import java.io.FileInputStream;
import java.io.FileNotFoundException;
import java.io.IOException;
import java.io.InputStream;
import java.util.zip.GZIPInputStream;

/**
 * Reads a data file front to back, raw or gzip (recognised by its magic bytes 1f 8b, not by its
 * name), counting the bytes delivered so that every problem can be reported with its offset.
 * Errors of the gzip decoder become {@link DataFileException}s at the offset where they happened.
 */
final class DataFileInput implements Closeable {
    private static final int BUFFER_BYTES = 1 << 16;

    private final File file;
    private final boolean compressed;
    private final InputStream in;
    private long position;

    private DataFileInput(File file, boolean compressed, InputStream in) {
        this.file = file;
        this.compressed = compressed;
        this.in = in;
    }

    /** Opens {@code file}, decompressing it on the fly when it starts with the gzip magic. */
    static DataFileInput open(File file) throws IOException {
        if (!file.isFile()) {
            throw new FileNotFoundException(file.getPath() + ": no such file"
                + (file.isDirectory() ? " (it is a directory)" : ""));
        }
        BufferedInputStream buffered = new BufferedInputStream(new FileInputStream(file), BUFFER_BYTES);
        try {
            buffered.mark(2);
            int first = buffered.read();
            int second = buffered.read();
            buffered.reset();
            if (first == 0x1f && second == 0x8b) {
                try {
                    return new DataFileInput(file, true, new GZIPInputStream(buffered, BUFFER_BYTES));
                } catch (IOException e) {
                    throw new DataFileException(file, 0, false, "unreadable gzip header: " + e.getMessage(), e);
                }
            }
            return new DataFileInput(file, false, buffered);
        } catch (IOException | RuntimeException e) {
            buffered.close();
            throw e;
        }
    }

    File file() {
        return file;
    }

    /** Whether the file is gzip; offsets then count decompressed bytes. */
    boolean isCompressed() {
        return compressed;
    }

    /** Bytes delivered so far: the offset of the next byte. */
    long position() {
        return position;
    }

    /** The length of the file on disk (for a gzip file: the compressed length). */
    long fileLength() {
        return file.length();
    }

    /**
     * Reads up to {@code length} bytes; returns how many, or -1 at the end of the data.
     */
    int read(byte[] buffer, int offset, int length) throws IOException {
        int count;
        try {
            count = in.read(buffer, offset, length);
        } catch (EOFException e) {
            throw error(position, "the gzip stream ends early, the file is truncated (" + e.getMessage() + ")", e);
        } catch (IOException e) {
            throw error(position, (compressed ? "corrupt gzip data: " : "read error: ") + e.getMessage(), e);
        }
        if (count > 0) {
            position += count;
        }
        return count;
    }

    /**
     * Reads exactly {@code length} bytes or fails with a "truncated" error naming {@code what} was
     * being read, the offset where the data ended and the offset it had to reach.
     */
    void readFully(byte[] buffer, int offset, int length, String what) throws IOException {
        long start = position;
        int done = 0;
        while (done < length) {
            int count = read(buffer, offset + done, length - done);
            if (count < 0) {
                throw error(position, "the file ends in the middle of the " + what + " (bytes " + start + " to "
                    + (start + length - 1) + "); it is truncated", null);
            }
            done += count;
        }
    }

    /** Whether the data has ended (reads one byte ahead if not; only for a final check). */
    boolean atEnd() throws IOException {
        byte[] one = new byte[1];
        int count = read(one, 0, 1);
        if (count > 0) {
            position -= count;
            return false;
        }
        return true;
    }

    /** An exception at {@code offset} of this file. */
    DataFileException error(long offset, String problem, Throwable cause) {
        return new DataFileException(file, offset, compressed, problem, cause);
    }

    @Override
    public void close() throws IOException {
        in.close();
    }
}
