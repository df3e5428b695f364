package dev.cnnc.runtime.data;

import java.io.File;
import java.io.FileNotFoundException;
import java.io.IOException;

/**
 * Reads IDX files, the format of MNIST and Fashion-MNIST ({@code train-images-idx3-ubyte},
 * {@code train-labels-idx1-ubyte}, {@code t10k-...}), raw or gzip.
 *
 * <p>Format: a 4-byte magic {@code 00 00 08 D} (two zero bytes, data type 0x08 = unsigned byte,
 * {@code D} dimensions), then {@code D} big-endian 32-bit sizes, then the bytes, last dimension
 * fastest. Images are {@code 0x00000803} (count, rows, columns), labels {@code 0x00000801} (count).
 *
 * <p>Every claim of the header is checked against the data before anything the size of the data is
 * allocated: a raw file against its length, a gzip file by decompressing it once to count its bytes
 * (in a small buffer) before a second pass decodes it into the result. So a corrupt header claiming
 * 2<sup>31</sup> images gives a {@link DataFileException} naming the file and offset, not an
 * {@link OutOfMemoryError}, and reading needs no more memory than the result itself: the 60,000
 * Fashion-MNIST training images (188 MB of floats) load and train within {@code -Xmx256m}.
 */
public final class IdxReader {
    /** Magic of an unsigned-byte IDX file of 3 dimensions: images (count, rows, columns). */
    public static final int IMAGES_MAGIC = 0x00000803;
    /** Magic of an unsigned-byte IDX file of 1 dimension: labels (count). */
    public static final int LABELS_MAGIC = 0x00000801;

    private static final int UNSIGNED_BYTE = 0x08;
    private static final int CHUNK_BYTES = 1 << 16;
    /** Largest array the JVMs allocate reliably. */
    private static final long MAX_ARRAY = Integer.MAX_VALUE - 8;

    private IdxReader() {
    }

    /** The images of one IDX file: {@code count} grey images of {@code height x width}. */
    public static final class Images {
        private final int count;
        private final int height;
        private final int width;
        private final float[] pixels;

        Images(int count, int height, int width, float[] pixels) {
            this.count = count;
            this.height = height;
            this.width = width;
            this.pixels = pixels;
        }

        public int count() {
            return count;
        }

        public int height() {
            return height;
        }

        public int width() {
            return width;
        }

        /** The live array: {@code count * height * width} floats in [0, 1] (byte / 255), row-major. */
        public float[] pixels() {
            return pixels;
        }
    }

    /**
     * Reads an images file ({@code idx3-ubyte}, raw or gzip) and scales each byte to [0, 1].
     *
     * @throws DataFileException naming the file and byte offset if the file is not an IDX images
     *                           file, is truncated, has bytes after the last image or claims more
     *                           than one array can hold
     */
    public static Images readImages(File file) throws IOException {
        DataFileInput in = DataFileInput.open(file);
        try {
            long[] dims = readHeader(in, 3, "images");
            long count = dims[0];
            long height = dims[1];
            long width = dims[2];
            if (height == 0 || width == 0) {
                throw in.error(8, "the header gives images of " + height + "x" + width + " pixels", null);
            }
            checkDataLength(in, dims, "image", height * width);
            final float[] pixels = new float[(int) (count * height * width)];
            readData(in, dims, new Chunks() {
                @Override
                public void accept(byte[] chunk, int length, int first) {
                    for (int i = 0; i < length; i++) {
                        pixels[first + i] = (chunk[i] & 0xff) / 255f;
                    }
                }
            });
            return new Images((int) count, (int) height, (int) width, pixels);
        } finally {
            in.close();
        }
    }

    /** Reads a labels file ({@code idx1-ubyte}, raw or gzip) without a range check. */
    public static int[] readLabels(File file) throws IOException {
        return readLabels(file, 256);
    }

    /**
     * Reads a labels file ({@code idx1-ubyte}, raw or gzip) and checks each label is below
     * {@code classCount}.
     *
     * @throws DataFileException naming the file and offset of a bad header, truncated data or a
     *                           label out of range
     */
    public static int[] readLabels(File file, int classCount) throws IOException {
        DataFileInput in = DataFileInput.open(file);
        try {
            long[] dims = readHeader(in, 1, "labels");
            checkDataLength(in, dims, "label", 1);
            final int[] labels = new int[(int) dims[0]];
            final DataFileInput input = in;
            readData(in, dims, new Chunks() {
                @Override
                public void accept(byte[] chunk, int length, int first) throws DataFileException {
                    for (int i = 0; i < length; i++) {
                        int label = chunk[i] & 0xff;
                        int index = first + i;
                        if (label >= classCount) {
                            throw input.error(headerLength(1) + index, "label " + label + " of item " + index
                                + " is not in [0, " + classCount + ")", null);
                        }
                        labels[index] = label;
                    }
                }
            });
            return labels;
        } finally {
            in.close();
        }
    }

    /**
     * Reads an images file and its labels file into one set of 1-channel images.
     *
     * @param classNames the name of each label; labels must be below {@code classNames.length}
     * @throws DataFileException if either file is bad, or if their counts differ (the message names
     *                           both files)
     */
    public static LabeledImages read(File imagesFile, File labelsFile, String[] classNames) throws IOException {
        Images images = readImages(imagesFile);
        int[] labels = readLabels(labelsFile, classNames.length);
        if (labels.length != images.count()) {
            throw new DataFileException(labelsFile, DataFileException.NO_OFFSET, false,
                "its header (byte 4) counts " + labels.length + " labels but the images file " + imagesFile.getPath()
                    + " counts " + images.count() + " images; pass the labels file that belongs to these images",
                null);
        }
        return new LabeledImages(images.pixels(), labels, 1, images.height(), images.width(), classNames);
    }

    /**
     * Reads one split of an MNIST-style directory: {@code <split>-images-idx3-ubyte} and
     * {@code <split>-labels-idx1-ubyte}, each raw or with {@code .gz}, with {@code -} or {@code .}
     * before {@code idx}. MNIST and Fashion-MNIST name their splits {@code train} and {@code t10k}.
     *
     * @throws FileNotFoundException naming the directory and the names tried
     */
    public static LabeledImages readSplit(File directory, String split, String[] classNames) throws IOException {
        File images = locate(directory, split + "-images", "idx3-ubyte");
        File labels = locate(directory, split + "-labels", "idx1-ubyte");
        return read(images, labels, classNames);
    }

    /**
     * Finds {@code <stem>-<suffix>} in {@code directory}, also as {@code <stem>.<suffix>} and either
     * one with {@code .gz}.
     */
    static File locate(File directory, String stem, String suffix) throws FileNotFoundException {
        String[] candidates = {
            stem + "-" + suffix, stem + "-" + suffix + ".gz", stem + "." + suffix, stem + "." + suffix + ".gz"};
        for (String name : candidates) {
            File file = new File(directory, name);
            if (file.isFile()) {
                return file;
            }
        }
        throw new FileNotFoundException(directory.getPath() + ": no " + candidates[0] + " or " + candidates[1]
            + (directory.isDirectory() ? " in this directory" : " (the directory does not exist)"));
    }

    private static long headerLength(int dimensions) {
        return 4 + 4L * dimensions;
    }

    /** Reads and checks the magic, then reads the sizes as unsigned numbers. */
    private static long[] readHeader(DataFileInput in, int dimensions, String kind) throws IOException {
        byte[] header = new byte[(int) headerLength(dimensions)];
        in.readFully(header, 0, 4, "IDX magic number");
        int magic = bigEndianInt(header, 0);
        int expected = 0x00000800 | dimensions;
        if (magic != expected) {
            throw in.error(0, describeBadMagic(header, magic, expected, dimensions, kind), null);
        }
        in.readFully(header, 4, 4 * dimensions, "IDX header (" + dimensions + " sizes after the magic)");
        long[] sizes = new long[dimensions];
        double product = 1;
        for (int d = 0; d < dimensions; d++) {
            sizes[d] = bigEndianInt(header, 4 + 4 * d) & 0xffffffffL;
            product *= sizes[d];
        }
        if (product > MAX_ARRAY) {
            throw in.error(4, "the header claims " + describeSizes(sizes) + " = " + (long) product
                + " bytes, more than one Java array can hold; the header is corrupt", null);
        }
        return sizes;
    }

    private static String describeBadMagic(byte[] header, int magic, int expected, int dimensions, String kind) {
        String found = String.format("magic number 0x%08X, expected 0x%08X (IDX unsigned-byte, %d dimension%s: %s)",
            magic, expected, dimensions, dimensions == 1 ? "" : "s", kind);
        if (header[0] != 0 || header[1] != 0) {
            return "not an IDX file: " + found;
        }
        if (header[2] != UNSIGNED_BYTE) {
            return found + "; data type 0x" + String.format("%02X", header[2] & 0xff)
                + " is not unsigned byte (0x08)";
        }
        if (header[3] == 1 && dimensions == 3) {
            return found + "; this is a labels file, pass it as the labels";
        }
        if (header[3] == 3 && dimensions == 1) {
            return found + "; this is an images file, pass it as the images";
        }
        return found + "; the file has " + header[3] + " dimensions";
    }

    private static String describeSizes(long[] sizes) {
        StringBuilder text = new StringBuilder();
        for (int d = 0; d < sizes.length; d++) {
            text.append(d == 0 ? "" : " x ").append(sizes[d]);
        }
        return text.toString();
    }

    /** Receives the data bytes in order: {@code chunk[0 .. length)} are data bytes {@code first ...}. */
    private interface Chunks {
        void accept(byte[] chunk, int length, int first) throws IOException;
    }

    /**
     * Checks that exactly {@code product(dims)} data bytes follow the header, before anything that
     * size is allocated: a raw file by its length; a gzip file by decompressing a second stream of
     * it to its end in a small buffer (memory follows nothing the header claims).
     */
    private static void checkDataLength(DataFileInput in, long[] dims, String item, long itemBytes)
        throws IOException {
        long count = dims[0];
        long header = headerLength(dims.length);
        long end = header + count * itemBytes;
        long length;
        DataFileInput counter = null;
        try {
            if (in.isCompressed()) {
                counter = DataFileInput.open(in.file());
                byte[] buffer = new byte[CHUNK_BYTES];
                while (counter.read(buffer, 0, buffer.length) >= 0) {
                    // only counting
                }
                length = counter.position();
            } else {
                length = in.fileLength();
            }
            DataFileInput at = counter == null ? in : counter;
            if (length < end) {
                throw at.error(length, (in.isCompressed() ? "the data ends here but the header" : "the file ends here"
                    + " but its header") + " announces " + describeSizes(dims) + " (" + count + " " + item + "s) ending at byte " + end
                    + "; the file is truncated after " + Math.max(0, length - header) / itemBytes + " complete " + item
                    + "s", null);
            }
            if (length > end) {
                throw at.error(end, (length - end) + " bytes follow the last of the " + count + " " + item
                    + "s that the header announces; the header or the file is wrong", null);
            }
        } finally {
            if (counter != null) {
                counter.close();
            }
        }
    }

    /** Reads the data bytes after the header in small chunks and hands them on in order. */
    private static void readData(DataFileInput in, long[] dims, Chunks sink) throws IOException {
        long total = dims[0];
        for (int d = 1; d < dims.length; d++) {
            total *= dims[d];
        }
        byte[] chunk = new byte[(int) Math.min(total, CHUNK_BYTES)];
        long done = 0;
        while (done < total) {
            int wanted = (int) Math.min(chunk.length, total - done);
            in.readFully(chunk, 0, wanted, "data");
            sink.accept(chunk, wanted, (int) done);
            done += wanted;
        }
    }

    private static int bigEndianInt(byte[] bytes, int offset) {
        return (bytes[offset] & 0xff) << 24 | (bytes[offset + 1] & 0xff) << 16
            | (bytes[offset + 2] & 0xff) << 8 | bytes[offset + 3] & 0xff;
    }
}
