package dev.cnnc.runtime.data;

import java.io.BufferedReader;
import java.io.File;
import java.io.FileInputStream;
import java.io.FileNotFoundException;
import java.io.IOException;
import java.io.InputStreamReader;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads the binary version of CIFAR-10 ({@code cifar-10-binary.tar.gz}, extracted:
 * {@code cifar-10-batches-bin/data_batch_1.bin} ... {@code data_batch_5.bin}, {@code test_batch.bin},
 * {@code batches.meta.txt}).
 *
 * <p>Format: a batch file is a sequence of 3,073-byte records, each one label byte (0 to 9) then a
 * 32x32 RGB image as 3,072 bytes in CHW order: 1,024 red values, 1,024 green, 1,024 blue, each
 * plane row by row. That is exactly cnnc's input layout, so pixels are copied, not rearranged, and
 * scaled from bytes to [0, 1].
 *
 * <p>The record count comes from the file lengths, which must be multiples of 3,073, so the image
 * array is allocated only for data that exists.
 */
public final class Cifar10Reader {
    public static final int CHANNELS = 3;
    public static final int HEIGHT = 32;
    public static final int WIDTH = 32;
    /** Bytes of one image: 3 x 32 x 32. */
    public static final int IMAGE_BYTES = CHANNELS * HEIGHT * WIDTH;
    /** Bytes of one record: the label byte then the image. */
    public static final int RECORD_BYTES = 1 + IMAGE_BYTES;
    /** Directory inside the official archive. */
    public static final String ARCHIVE_DIRECTORY = "cifar-10-batches-bin";
    /** File of the class names, one per line, in label order. */
    public static final String CLASS_NAMES_FILE = "batches.meta.txt";

    private static final int TRAINING_BATCHES = 5;
    private static final String TEST_BATCH = "test_batch.bin";

    private Cifar10Reader() {
    }

    /**
     * Reads the five training batches {@code data_batch_1.bin} ... {@code data_batch_5.bin} (50,000
     * images in the official set) with the class names of the directory.
     *
     * @param directory the extracted {@code cifar-10-batches-bin} directory, or the directory that
     *                  contains it
     */
    public static LabeledImages readTrainingSet(File directory) throws IOException {
        File batches = resolveDirectory(directory);
        File[] files = new File[TRAINING_BATCHES];
        for (int i = 0; i < TRAINING_BATCHES; i++) {
            files[i] = new File(batches, "data_batch_" + (i + 1) + ".bin");
        }
        return read(files, readClassNames(batches));
    }

    /** Reads {@code test_batch.bin} (10,000 images) with the class names of the directory. */
    public static LabeledImages readTestSet(File directory) throws IOException {
        File batches = resolveDirectory(directory);
        return read(new File[] {new File(batches, TEST_BATCH)}, readClassNames(batches));
    }

    /**
     * Returns {@code directory} if it holds the batch files, else its {@code cifar-10-batches-bin}
     * subdirectory if that does.
     *
     * @throws FileNotFoundException naming the directory and what is missing
     */
    public static File resolveDirectory(File directory) throws FileNotFoundException {
        if (new File(directory, TEST_BATCH).isFile() || new File(directory, "data_batch_1.bin").isFile()) {
            return directory;
        }
        File inner = new File(directory, ARCHIVE_DIRECTORY);
        if (new File(inner, TEST_BATCH).isFile() || new File(inner, "data_batch_1.bin").isFile()) {
            return inner;
        }
        throw new FileNotFoundException(directory.getPath() + ": no CIFAR-10 batches (data_batch_1.bin, "
            + TEST_BATCH + ") here or in " + ARCHIVE_DIRECTORY + "/; extract the binary version, "
            + "cifar-10-binary.tar.gz, into it");
    }

    /**
     * The class names from {@code batches.meta.txt} in {@code directory} (non-blank lines, trimmed),
     * or the built-in {@link ClassNames#cifar10()} when the file is absent.
     *
     * @throws DataFileException if the file exists but does not hold exactly 10 names
     */
    public static String[] readClassNames(File directory) throws IOException {
        File file = new File(directory, CLASS_NAMES_FILE);
        if (!file.isFile()) {
            return ClassNames.cifar10();
        }
        List<String> names = new ArrayList<String>();
        BufferedReader reader = new BufferedReader(new InputStreamReader(new FileInputStream(file), "UTF-8"));
        try {
            for (String line = reader.readLine(); line != null; line = reader.readLine()) {
                if (line.trim().length() > 0) {
                    names.add(line.trim());
                }
            }
        } finally {
            reader.close();
        }
        if (names.size() != 10) {
            throw new DataFileException(file, DataFileException.NO_OFFSET,
                "holds " + names.size() + " class names " + names + ", CIFAR-10 has 10 (one per line)");
        }
        return names.toArray(new String[0]);
    }

    /**
     * Reads the records of {@code files}, in order, into one set.
     *
     * @param classNames name of each label; a label byte must be below {@code classNames.length}
     * @throws DataFileException naming the file and offset when a file's length is not a multiple
     *                           of 3,073 (the offset of the incomplete record) or a label is out of
     *                           range (the record number and its offset)
     */
    public static LabeledImages read(File[] files, String[] classNames) throws IOException {
        long totalRecords = 0;
        for (File file : files) {
            if (!file.isFile()) {
                throw new FileNotFoundException(file.getPath() + ": no such CIFAR-10 batch file");
            }
            long length = file.length();
            if (length % RECORD_BYTES != 0) {
                long incomplete = length - length % RECORD_BYTES;
                throw new DataFileException(file, incomplete, "the file length " + length
                    + " is not a multiple of the record size " + RECORD_BYTES + " (1 label byte + 3072 pixel bytes): record "
                    + incomplete / RECORD_BYTES + " starting here is incomplete; the file is truncated or not a CIFAR-10 batch");
            }
            totalRecords += length / RECORD_BYTES;
        }
        if (totalRecords * IMAGE_BYTES > Integer.MAX_VALUE - 8) {
            throw new IOException(totalRecords + " CIFAR-10 records are more than one float array can hold; read fewer files");
        }
        int count = (int) totalRecords;
        float[] images = new float[count * IMAGE_BYTES];
        int[] labels = new int[count];
        byte[] record = new byte[RECORD_BYTES];
        int index = 0;
        for (File file : files) {
            index = readRecords(file, classNames.length, record, images, labels, index);
        }
        return new LabeledImages(images, labels, CHANNELS, HEIGHT, WIDTH, classNames);
    }

    /** Reads the records of one file into the arrays from image {@code first}; returns the next index. */
    private static int readRecords(File file, int classCount, byte[] record, float[] images, int[] labels, int first)
        throws IOException {
        long recordsInFile = file.length() / RECORD_BYTES;
        DataFileInput in = DataFileInput.open(file);
        try {
            if (in.isCompressed()) {
                throw in.error(0, "the file is gzip-compressed; CIFAR-10 batches are read as extracted from "
                    + "cifar-10-binary.tar.gz", null);
            }
            int index = first;
            for (long r = 0; r < recordsInFile; r++) {
                long offset = r * RECORD_BYTES;
                in.readFully(record, 0, RECORD_BYTES, "record " + r);
                int label = record[0] & 0xff;
                if (label >= classCount) {
                    throw in.error(offset, "record " + r + " has label " + label + ", not in [0, " + classCount
                        + "); the file is corrupt or not a CIFAR-10 batch", null);
                }
                labels[index] = label;
                int base = index * IMAGE_BYTES;
                for (int i = 0; i < IMAGE_BYTES; i++) {
                    images[base + i] = (record[1 + i] & 0xff) / 255f;
                }
                index++;
            }
            return index;
        } finally {
            in.close();
        }
    }
}
