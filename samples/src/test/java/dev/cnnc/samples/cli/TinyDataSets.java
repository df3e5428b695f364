package dev.cnnc.samples.cli;

import java.io.ByteArrayOutputStream;
import java.io.File;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.util.Random;
import java.util.zip.GZIPOutputStream;

/**
 * Small data sets in the official binary formats, written by the tests: Fashion-MNIST-style IDX
 * files (gzip, as Zalando ships them) and CIFAR-10 binary batches. Each class draws a bright bar at
 * its own place over seeded noise, so a network can tell the classes apart after a little training.
 */
final class TinyDataSets {
    private TinyDataSets() {
    }

    /** {@code train-*-idx?-ubyte.gz} and {@code t10k-*} with {@code trainCount} and {@code testCount} 28x28 images. */
    static File fashionMnist(File directory, int trainCount, int testCount) throws IOException {
        Files.createDirectories(directory.toPath());
        writeIdxSplit(directory, "train", trainCount, 1);
        writeIdxSplit(directory, "t10k", testCount, 2);
        return directory;
    }

    /** {@code data_batch_1..5.bin} of {@code perBatch} records each and {@code test_batch.bin} of {@code testCount}. */
    static File cifar10(File directory, int perBatch, int testCount) throws IOException {
        Files.createDirectories(directory.toPath());
        for (int batch = 1; batch <= 5; batch++) {
            Files.write(new File(directory, "data_batch_" + batch + ".bin").toPath(), cifarRecords(perBatch, batch));
        }
        Files.write(new File(directory, "test_batch.bin").toPath(), cifarRecords(testCount, 9));
        return directory;
    }

    /** A 28x28 grey image of class {@code label}: a bright vertical bar at column 2 + 2 * label, over noise. */
    static byte[] greyImage(int label, Random random) {
        byte[] pixels = new byte[28 * 28];
        for (int y = 0; y < 28; y++) {
            for (int x = 0; x < 28; x++) {
                boolean bar = x >= 2 + 2 * label && x < 4 + 2 * label && y >= 4 && y < 24;
                pixels[y * 28 + x] = (byte) (bar ? 200 + random.nextInt(56) : random.nextInt(40));
            }
        }
        return pixels;
    }

    private static void writeIdxSplit(File directory, String split, int count, long seed) throws IOException {
        Random random = new Random(seed);
        ByteArrayOutputStream images = new ByteArrayOutputStream();
        images.writeBytes(header(0x00000803, count, 28, 28));
        ByteArrayOutputStream labels = new ByteArrayOutputStream();
        labels.writeBytes(header(0x00000801, count));
        for (int i = 0; i < count; i++) {
            int label = i % 10;
            images.writeBytes(greyImage(label, random));
            labels.write(label);
        }
        gzip(new File(directory, split + "-images-idx3-ubyte.gz"), images.toByteArray());
        gzip(new File(directory, split + "-labels-idx1-ubyte.gz"), labels.toByteArray());
    }

    private static byte[] cifarRecords(int count, long seed) {
        Random random = new Random(seed);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (int i = 0; i < count; i++) {
            int label = i % 10;
            out.write(label);
            for (int c = 0; c < 3; c++) {
                for (int y = 0; y < 32; y++) {
                    for (int x = 0; x < 32; x++) {
                        boolean bar = y >= 3 * label && y < 3 * label + 2 && c == label % 3;
                        out.write(bar ? 220 + random.nextInt(36) : random.nextInt(60));
                    }
                }
            }
        }
        return out.toByteArray();
    }

    static byte[] header(int magic, int... sizes) {
        ByteBuffer header = ByteBuffer.allocate(4 + 4 * sizes.length);
        header.putInt(magic);
        for (int size : sizes) {
            header.putInt(size);
        }
        return header.array();
    }

    static void gzip(File file, byte[] bytes) throws IOException {
        try (OutputStream out = new GZIPOutputStream(Files.newOutputStream(file.toPath()))) {
            out.write(bytes);
        }
    }
}
