package dev.cnnc.runtime.data;

import java.io.ByteArrayOutputStream;
import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.util.Arrays;
import java.util.zip.GZIPOutputStream;

/** Builds small data files in the official binary formats for the reader tests. */
final class DataFiles {
    private DataFiles() {
    }

    /** An IDX header: magic then the sizes, big-endian. */
    static byte[] idxHeader(int magic, int... sizes) {
        ByteBuffer header = ByteBuffer.allocate(4 + 4 * sizes.length);
        header.putInt(magic);
        for (int size : sizes) {
            header.putInt(size);
        }
        return header.array();
    }

    /** A complete IDX images file of {@code count} images of {@code height x width} bytes. */
    static byte[] idxImages(int height, int width, int[]... images) {
        byte[] header = idxHeader(IdxReader.IMAGES_MAGIC, images.length, height, width);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes(header);
        for (int[] image : images) {
            if (image.length != height * width) {
                throw new IllegalArgumentException("image of " + image.length + " bytes, not " + height * width);
            }
            for (int value : image) {
                out.write(value);
            }
        }
        return out.toByteArray();
    }

    /** A complete IDX labels file. */
    static byte[] idxLabels(int... labels) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes(idxHeader(IdxReader.LABELS_MAGIC, labels.length));
        for (int label : labels) {
            out.write(label);
        }
        return out.toByteArray();
    }

    static byte[] concat(byte[]... parts) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (byte[] part : parts) {
            out.writeBytes(part);
        }
        return out.toByteArray();
    }

    static byte[] gzip(byte[] data) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (GZIPOutputStream out = new GZIPOutputStream(bytes)) {
            out.write(data);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return bytes.toByteArray();
    }

    static byte[] prefix(byte[] data, int length) {
        return Arrays.copyOf(data, length);
    }

    static File write(File directory, String name, byte[] content) {
        File file = new File(directory, name);
        try {
            Files.write(file.toPath(), content);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return file;
    }

    /**
     * One CIFAR-10 record: the label byte then 3072 pixel bytes, where the byte of channel c, row y,
     * column x is {@link #cifarPixel(int, int, int, int)} of the record's {@code seed}.
     */
    static byte[] cifarRecord(int label, int seed) {
        byte[] record = new byte[Cifar10Reader.RECORD_BYTES];
        record[0] = (byte) label;
        for (int c = 0; c < 3; c++) {
            for (int y = 0; y < 32; y++) {
                for (int x = 0; x < 32; x++) {
                    record[1 + c * 1024 + y * 32 + x] = (byte) cifarPixel(seed, c, y, x);
                }
            }
        }
        return record;
    }

    /** The pixel byte the test records hold: distinct per channel, row and column. */
    static int cifarPixel(int seed, int c, int y, int x) {
        return (seed * 31 + c * 85 + y * 7 + x) & 0xff;
    }
}
