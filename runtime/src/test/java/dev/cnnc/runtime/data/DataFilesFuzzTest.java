package dev.cnnc.runtime.data;

import static dev.cnnc.runtime.data.DataFiles.cifarRecord;
import static dev.cnnc.runtime.data.DataFiles.concat;
import static dev.cnnc.runtime.data.DataFiles.gzip;
import static dev.cnnc.runtime.data.DataFiles.idxImages;
import static dev.cnnc.runtime.data.DataFiles.idxLabels;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.cnnc.runtime.fuzz.ByteMutator;
import dev.cnnc.runtime.fuzz.ParserFuzz;
import java.io.ByteArrayInputStream;
import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.util.zip.GZIPInputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Fuzzes the data readers with mutated IDX files (raw; gzip of a mutant, so the mutation reaches
 * the IDX header; and mutated gzip bytes) and mutated CIFAR-10 batches, cross-fed, plus random
 * bytes. Allowed: a load whose arrays agree with its header, or a {@link DataFileException} naming
 * the file. Memory must follow the data actually present, never the header's claim.
 */
class DataFilesFuzzTest {
    @TempDir
    File directory;

    private static final int[] PIXELS = {0, 51, 102, 153, 204, 255};

    private static ByteMutator idxSeeds() {
        byte[] images = idxImages(2, 3, PIXELS, PIXELS, PIXELS);
        byte[] labels = idxLabels(3, 1, 4, 1, 5, 9, 2, 6);
        return new ByteMutator(images, labels, idxImages(1, 1, new int[] {7}), gzip(images), gzip(labels));
    }

    /** Raw mutants, and a third of them gzip-compressed after mutation. */
    private static ParserFuzz.Generator idxGenerator() {
        ByteMutator mutator = idxSeeds();
        return random -> {
            ByteMutator.Mutant mutant = mutator.next(random);
            return random.nextInt(3) == 0 ? new ByteMutator.Mutant(gzip(mutant.bytes), mutant.edits + "; gzip") : mutant;
        };
    }

    /** 8 MiB plus 64 bytes per byte of the larger of the file and its decompressed data. */
    private static long allowance(byte[] input) {
        return (8L << 20) + 64L * Math.max(input.length, decompressedLength(input));
    }

    /** Decompressed length of a gzip input as far as it decodes (capped at 64 MiB), else 0. */
    private static long decompressedLength(byte[] input) {
        if (input.length < 2 || (input[0] & 0xff) != 0x1f || (input[1] & 0xff) != 0x8b) {
            return 0;
        }
        long total = 0;
        byte[] buffer = new byte[8192];
        try (InputStream in = new GZIPInputStream(new ByteArrayInputStream(input))) {
            for (int n = in.read(buffer); n >= 0 && total < (64 << 20); n = in.read(buffer)) {
                total += n;
            }
        } catch (IOException | RuntimeException e) {
            // as far as it decodes
        }
        return total;
    }

    private File write(byte[] input) throws IOException {
        File file = new File(directory, "fuzzed-idx-ubyte");
        Files.write(file.toPath(), input);
        return file;
    }

    @Test
    void idxImagesLoadConsistentlyOrAreRefusedWithFileAndOffset() {
        File file = new File(directory, "fuzzed-idx-ubyte");
        ParserFuzz.Report report = new ParserFuzz("IdxReader.readImages", DataFileException.class, file.getPath())
            .allowance(DataFilesFuzzTest::allowance)
            .run(2000, idxGenerator(), input -> {
                IdxReader.Images images = IdxReader.readImages(write(input));
                assertEquals((long) images.count() * images.height() * images.width(), images.pixels().length);
                for (float pixel : images.pixels()) {
                    assertTrue(pixel >= 0 && pixel <= 1, "pixel " + pixel);
                }
            });
        assertTrue(report.loaded > 0 && report.rejected > 0, report.toString());
    }

    @Test
    void idxLabelsLoadInRangeOrAreRefusedWithFileAndOffset() {
        File file = new File(directory, "fuzzed-idx-ubyte");
        ParserFuzz.Report report = new ParserFuzz("IdxReader.readLabels", DataFileException.class, file.getPath())
            .allowance(DataFilesFuzzTest::allowance)
            .run(2000, idxGenerator(), input -> {
                for (int label : IdxReader.readLabels(write(input), 10)) {
                    assertTrue(label >= 0 && label < 10, "label " + label);
                }
            });
        assertTrue(report.loaded > 0 && report.rejected > 0, report.toString());
    }

    @Test
    void cifarBatchesLoadConsistentlyOrAreRefusedWithFileAndOffset() {
        File file = new File(directory, "fuzzed_batch.bin");
        ByteMutator mutator = new ByteMutator(concat(cifarRecord(3, 1), cifarRecord(9, 2)), cifarRecord(0, 3),
            gzip(cifarRecord(1, 4)), idxLabels(1, 2, 3));
        ParserFuzz.Report report = new ParserFuzz("Cifar10Reader.read", DataFileException.class, file.getPath())
            .run(1000, mutator::next, input -> {
                Files.write(file.toPath(), input);
                LabeledImages images = Cifar10Reader.read(new File[] {file}, ClassNames.cifar10());
                assertEquals(input.length / Cifar10Reader.RECORD_BYTES, images.count());
                assertEquals(images.count() * Cifar10Reader.IMAGE_BYTES, images.images().length);
                for (float pixel : images.images()) {
                    assertTrue(pixel >= 0 && pixel <= 1, "pixel " + pixel);
                }
            });
        assertTrue(report.loaded > 0 && report.rejected > 0, report.toString());
    }

    @Test
    void normalizationFilesLoadValidStatisticsOrAreRefusedNamingTheFile() throws IOException {
        File file = new File(directory, "fuzzed.normalization");
        new Normalization(new float[] {0.4914f, 0.4822f, 0.4465f}, new float[] {0.247f, 0.2435f, 0.2616f}).save(file);
        byte[] rgb = Files.readAllBytes(file.toPath());
        new Normalization(new float[] {0.2860f}, new float[] {0.3530f}).save(file);
        byte[] grey = Files.readAllBytes(file.toPath());
        ParserFuzz.Report report = new ParserFuzz("Normalization.load", DataFileException.class, file.getPath())
            .run(2000, new ByteMutator(rgb, grey)::next, input -> {
                Files.write(file.toPath(), input);
                Normalization normalization = Normalization.load(file);
                // Loaded: its statistics are usable (finite means, positive finite stds), so it round-trips.
                assertEquals(normalization.toString(), Normalization.parse(normalization.toString()).toString());
            });
        assertTrue(report.loaded > 0 && report.rejected > 0, report.toString());
    }
}
