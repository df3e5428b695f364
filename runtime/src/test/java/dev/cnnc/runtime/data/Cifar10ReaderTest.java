package dev.cnnc.runtime.data;

import static dev.cnnc.runtime.data.DataFiles.cifarPixel;
import static dev.cnnc.runtime.data.DataFiles.cifarRecord;
import static dev.cnnc.runtime.data.DataFiles.concat;
import static dev.cnnc.runtime.data.DataFiles.prefix;
import static dev.cnnc.runtime.data.DataFiles.write;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.File;
import java.io.FileNotFoundException;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class Cifar10ReaderTest {
    @TempDir
    File dir;

    @Test
    void recordsAreCopiedInChwOrderAndScaled() throws Exception {
        File batch = write(dir, "test_batch.bin", concat(cifarRecord(3, 0), cifarRecord(9, 1), cifarRecord(0, 2)));

        LabeledImages set = Cifar10Reader.read(new File[] {batch}, ClassNames.cifar10());

        assertEquals("3 images of 3x32x32, 10 classes", set.toString());
        assertArrayEquals(new int[] {3, 9, 0}, set.labels());
        float[] second = set.image(1);
        for (int c = 0; c < 3; c++) {
            for (int y = 0; y < 32; y++) {
                for (int x = 0; x < 32; x++) {
                    float expected = cifarPixel(1, c, y, x) / 255f;
                    assertEquals(expected, second[c * 1024 + y * 32 + x], "channel " + c + " row " + y + " column " + x);
                }
            }
        }
        assertEquals("truck", set.className(set.label(1)));
    }

    @Test
    void trainingSetConcatenatesTheFiveBatchesInOrder() throws Exception {
        File batches = new File(dir, Cifar10Reader.ARCHIVE_DIRECTORY);
        batches.mkdir();
        for (int b = 1; b <= 5; b++) {
            write(batches, "data_batch_" + b + ".bin", concat(cifarRecord(b, b), cifarRecord(b - 1, 10 + b)));
        }
        write(batches, "test_batch.bin", cifarRecord(7, 7));

        LabeledImages train = Cifar10Reader.readTrainingSet(dir);
        LabeledImages test = Cifar10Reader.readTestSet(batches);

        assertArrayEquals(new int[] {1, 0, 2, 1, 3, 2, 4, 3, 5, 4}, train.labels());
        assertEquals(cifarPixel(13, 2, 31, 31) / 255f, train.images()[train.imageOffset(5) + 3071]);
        assertArrayEquals(new int[] {7}, test.labels());
        assertEquals(batches, Cifar10Reader.resolveDirectory(dir));
    }

    @Test
    void classNamesComeFromBatchesMetaWhenPresent() throws Exception {
        assertArrayEquals(ClassNames.cifar10(), Cifar10Reader.readClassNames(dir));
        write(dir, "batches.meta.txt",
            "plane\ncar\nbird\ncat\ndeer\ndog\nfrog\nhorse\nship\n truck \n\n\n".getBytes(StandardCharsets.UTF_8));

        String[] names = Cifar10Reader.readClassNames(dir);

        assertArrayEquals(new String[] {"plane", "car", "bird", "cat", "deer", "dog", "frog", "horse", "ship", "truck"},
            names);
    }

    @Test
    void batchesMetaWithTheWrongNumberOfNamesIsAnError() {
        File meta = write(dir, "batches.meta.txt", "cat\ndog\n".getBytes(StandardCharsets.UTF_8));

        DataFileException error = assertThrows(DataFileException.class, () -> Cifar10Reader.readClassNames(dir));

        assertEquals(meta.getPath() + ": holds 2 class names [cat, dog], CIFAR-10 has 10 (one per line)",
            error.getMessage());
    }

    @Test
    void incompleteRecordIsNamedWithItsOffset() {
        byte[] whole = concat(cifarRecord(1, 1), cifarRecord(2, 2), cifarRecord(3, 3));
        File batch = write(dir, "data_batch_1.bin", prefix(whole, whole.length - 100));

        DataFileException error = assertThrows(DataFileException.class,
            () -> Cifar10Reader.read(new File[] {batch}, ClassNames.cifar10()));

        assertEquals(batch.getPath() + ", byte 6146: the file length 9119 is not a multiple of the record size 3073 "
            + "(1 label byte + 3072 pixel bytes): record 2 starting here is incomplete; the file is truncated or not a "
            + "CIFAR-10 batch", error.getMessage());
        assertEquals(6146, error.offset());
    }

    @Test
    void labelOutOfRangeNamesRecordAndOffset() {
        File good = write(dir, "data_batch_1.bin", cifarRecord(1, 1));
        File bad = write(dir, "data_batch_2.bin", concat(cifarRecord(1, 1), cifarRecord(10, 2)));

        DataFileException error = assertThrows(DataFileException.class,
            () -> Cifar10Reader.read(new File[] {good, bad}, ClassNames.cifar10()));

        assertEquals(bad.getPath() + ", byte 3073: record 1 has label 10, not in [0, 10); the file is corrupt or not a "
            + "CIFAR-10 batch", error.getMessage());
    }

    @Test
    void missingBatchesAreNamed() {
        FileNotFoundException noBatches = assertThrows(FileNotFoundException.class,
            () -> Cifar10Reader.readTrainingSet(dir));
        write(dir, "data_batch_1.bin", cifarRecord(1, 1));
        FileNotFoundException noSecond = assertThrows(FileNotFoundException.class,
            () -> Cifar10Reader.readTrainingSet(dir));

        assertEquals(dir.getPath() + ": no CIFAR-10 batches (data_batch_1.bin, test_batch.bin) here or in "
            + "cifar-10-batches-bin/; extract the binary version, cifar-10-binary.tar.gz, into it", noBatches.getMessage());
        assertEquals(new File(dir, "data_batch_2.bin").getPath() + ": no such CIFAR-10 batch file", noSecond.getMessage());
    }
}
