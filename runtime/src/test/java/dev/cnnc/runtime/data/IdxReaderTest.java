package dev.cnnc.runtime.data;

import static dev.cnnc.runtime.data.DataFiles.concat;
import static dev.cnnc.runtime.data.DataFiles.gzip;
import static dev.cnnc.runtime.data.DataFiles.idxHeader;
import static dev.cnnc.runtime.data.DataFiles.idxImages;
import static dev.cnnc.runtime.data.DataFiles.idxLabels;
import static dev.cnnc.runtime.data.DataFiles.prefix;
import static dev.cnnc.runtime.data.DataFiles.write;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.File;
import java.io.FileNotFoundException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class IdxReaderTest {
    @TempDir
    File dir;

    private static final int[] FIRST = {0, 51, 102, 153, 204, 255};
    private static final int[] SECOND = {255, 0, 1, 2, 3, 4};

    @Test
    void rawImagesAreReadRowMajorAndScaledToUnitRange() throws Exception {
        File file = write(dir, "images-idx3-ubyte", idxImages(2, 3, FIRST, SECOND));

        IdxReader.Images images = IdxReader.readImages(file);

        assertEquals(2, images.count());
        assertEquals(2, images.height());
        assertEquals(3, images.width());
        assertArrayEquals(new float[] {0f, 0.2f, 0.4f, 0.6f, 0.8f, 1f, 1f, 0f, 1 / 255f, 2 / 255f, 3 / 255f, 4 / 255f},
            images.pixels());
    }

    @Test
    void gzipIsRecognisedByItsMagicBytesNotByTheName() throws Exception {
        File gzipWithoutSuffix = write(dir, "images-idx3-ubyte", gzip(idxImages(2, 3, FIRST, SECOND)));
        File rawWithGzSuffix = write(dir, "raw.gz", idxImages(2, 3, FIRST, SECOND));

        assertArrayEquals(IdxReader.readImages(rawWithGzSuffix).pixels(), IdxReader.readImages(gzipWithoutSuffix).pixels());
        assertEquals(0.2f, IdxReader.readImages(gzipWithoutSuffix).pixels()[1]);
    }

    @Test
    void labelsAreReadAsUnsignedBytes() throws Exception {
        File raw = write(dir, "labels", idxLabels(9, 0, 255, 3));
        File zipped = write(dir, "labels.gz", gzip(idxLabels(9, 0, 255, 3)));

        assertArrayEquals(new int[] {9, 0, 255, 3}, IdxReader.readLabels(raw));
        assertArrayEquals(new int[] {9, 0, 255, 3}, IdxReader.readLabels(zipped));
    }

    @Test
    void readJoinsImagesAndLabelsIntoOneChannelSet() throws Exception {
        File images = write(dir, "i", idxImages(2, 3, FIRST, SECOND));
        File labels = write(dir, "l", idxLabels(7, 2));

        LabeledImages set = IdxReader.read(images, labels, ClassNames.fashionMnist());

        assertEquals("2 images of 1x2x3, 10 classes", set.toString());
        assertArrayEquals(new int[] {7, 2}, set.labels());
        assertEquals("Sneaker", set.className(set.label(0)));
        assertEquals(1f, set.image(1)[0]);
    }

    @Test
    void readSplitFindsRawGzipAndDottedNames() throws Exception {
        write(dir, "train-images-idx3-ubyte.gz", gzip(idxImages(2, 3, FIRST)));
        write(dir, "train-labels.idx1-ubyte", idxLabels(4));

        LabeledImages set = IdxReader.readSplit(dir, "train", ClassNames.mnist());

        assertEquals(1, set.count());
        assertEquals(4, set.label(0));
        FileNotFoundException missing = assertThrows(FileNotFoundException.class,
            () -> IdxReader.readSplit(dir, "t10k", ClassNames.mnist()));
        assertEquals(dir.getPath() + ": no t10k-images-idx3-ubyte or t10k-images-idx3-ubyte.gz in this directory",
            missing.getMessage());
    }

    @Test
    void labelsFileGivenAsImagesIsABadMagicAtByteZero() {
        File labels = write(dir, "train-labels-idx1-ubyte", idxLabels(1, 2));

        DataFileException error = assertThrows(DataFileException.class, () -> IdxReader.readImages(labels));

        assertEquals(labels.getPath() + ", byte 0: magic number 0x00000801, expected 0x00000803 (IDX unsigned-byte, "
            + "3 dimensions: images); this is a labels file, pass it as the labels", error.getMessage());
        assertEquals(labels.getPath(), error.fileName());
        assertEquals(0, error.offset());
    }

    @Test
    void imagesFileGivenAsLabelsIsABadMagic() {
        File images = write(dir, "imgs.gz", gzip(idxImages(2, 3, FIRST)));

        DataFileException error = assertThrows(DataFileException.class, () -> IdxReader.readLabels(images));

        assertEquals(images.getPath() + ", byte 0 of the decompressed data: magic number 0x00000803, expected "
            + "0x00000801 (IDX unsigned-byte, 1 dimension: labels); this is an images file, pass it as the images",
            error.getMessage());
        assertTrue(error.isOffsetInDecompressedData());
    }

    @Test
    void floatDataTypeIsRejected() {
        File file = write(dir, "floats", concat(idxHeader(0x00000D03, 1, 1, 1), new byte[4]));

        DataFileException error = assertThrows(DataFileException.class, () -> IdxReader.readImages(file));

        assertTrue(error.getMessage().endsWith("data type 0x0D is not unsigned byte (0x08)"), error.getMessage());
    }

    @Test
    void aPngIsNotAnIdxFile() {
        File file = write(dir, "picture.png", new byte[] {(byte) 0x89, 'P', 'N', 'G', 13, 10, 26, 10});

        DataFileException error = assertThrows(DataFileException.class, () -> IdxReader.readImages(file));

        assertTrue(error.getMessage().startsWith(file.getPath() + ", byte 0: not an IDX file: magic number 0x89504E47"),
            error.getMessage());
    }

    @Test
    void truncatedHeaderNamesWhereTheFileEnds() {
        byte[] tenBytes = prefix(idxImages(2, 3, FIRST), 10);
        File raw = write(dir, "raw", tenBytes);
        File zipped = write(dir, "zipped", gzip(tenBytes));
        File empty = write(dir, "empty", new byte[0]);

        DataFileException rawError = assertThrows(DataFileException.class, () -> IdxReader.readImages(raw));
        DataFileException zippedError = assertThrows(DataFileException.class, () -> IdxReader.readImages(zipped));
        DataFileException emptyError = assertThrows(DataFileException.class, () -> IdxReader.readImages(empty));

        assertEquals(raw.getPath() + ", byte 10: the file ends in the middle of the IDX header (3 sizes after the "
            + "magic) (bytes 4 to 15); it is truncated", rawError.getMessage());
        assertEquals(10, zippedError.offset());
        assertTrue(zippedError.getMessage().startsWith(zipped.getPath() + ", byte 10 of the decompressed data: "),
            zippedError.getMessage());
        assertEquals(empty.getPath() + ", byte 0: the file ends in the middle of the IDX magic number (bytes 0 to 3); "
            + "it is truncated", emptyError.getMessage());
    }

    @Test
    void truncatedRawDataIsFoundFromTheFileLengthBeforeReading() {
        byte[] whole = idxImages(2, 3, FIRST, SECOND);
        File file = write(dir, "cut", prefix(whole, whole.length - 2));

        DataFileException error = assertThrows(DataFileException.class, () -> IdxReader.readImages(file));

        assertEquals(file.getPath() + ", byte 26: the file ends here but its header announces 2 x 2 x 3 (2 images) "
            + "ending at byte 28; the file is truncated after 1 complete images", error.getMessage());
        assertEquals(26, error.offset());
    }

    @Test
    void truncatedGzipDataNamesTheDecompressedOffset() {
        byte[] whole = idxImages(2, 3, FIRST, SECOND);
        File file = write(dir, "cut.gz", gzip(prefix(whole, whole.length - 7)));

        DataFileException error = assertThrows(DataFileException.class, () -> IdxReader.readImages(file));

        assertEquals(file.getPath() + ", byte 21 of the decompressed data: the data ends here but the header announces "
            + "2 x 2 x 3 (2 images) ending at byte 28; the file is truncated after 0 complete images", error.getMessage());
    }

    @Test
    void aCutGzipStreamIsReportedWithItsFile() {
        byte[] compressed = gzip(idxImages(2, 3, FIRST, SECOND));
        File file = write(dir, "half.gz", prefix(compressed, compressed.length - 12));

        DataFileException error = assertThrows(DataFileException.class, () -> IdxReader.readImages(file));

        assertTrue(error.getMessage().startsWith(file.getPath() + ", byte "), error.getMessage());
        assertTrue(error.getMessage().contains("truncated"), error.getMessage());
    }

    @Test
    void bytesAfterTheLastItemAreAnError() {
        File raw = write(dir, "long", concat(idxLabels(1, 2), new byte[] {3}));
        File zipped = write(dir, "long.gz", gzip(concat(idxLabels(1, 2), new byte[] {3})));

        DataFileException rawError = assertThrows(DataFileException.class, () -> IdxReader.readLabels(raw));
        DataFileException zippedError = assertThrows(DataFileException.class, () -> IdxReader.readLabels(zipped));

        assertEquals(raw.getPath() + ", byte 10: 1 bytes follow the last of the 2 labels that the header announces; "
            + "the header or the file is wrong", rawError.getMessage());
        assertEquals(zipped.getPath() + ", byte 10 of the decompressed data: 1 bytes follow the last of the 2 labels "
            + "that the header announces; the header or the file is wrong", zippedError.getMessage());
    }

    @Test
    void hugeClaimedSizesFailBeforeAnythingIsAllocated() {
        File images = write(dir, "huge-images", concat(idxHeader(IdxReader.IMAGES_MAGIC, 0x7fffffff, 28, 28), new byte[10]));
        File labels = write(dir, "huge-labels", idxHeader(IdxReader.LABELS_MAGIC, 0x80000000));
        File fittingClaim = write(dir, "claim", concat(idxHeader(IdxReader.LABELS_MAGIC, 2_000_000_000), new byte[3]));
        File fittingClaimZipped = write(dir, "claim.gz",
            gzip(concat(idxHeader(IdxReader.LABELS_MAGIC, 2_000_000_000), new byte[3])));

        DataFileException imagesError = assertThrows(DataFileException.class, () -> IdxReader.readImages(images));
        DataFileException labelsError = assertThrows(DataFileException.class, () -> IdxReader.readLabels(labels));
        DataFileException claimError = assertThrows(DataFileException.class, () -> IdxReader.readLabels(fittingClaim));
        DataFileException zippedError = assertThrows(DataFileException.class,
            () -> IdxReader.readLabels(fittingClaimZipped));

        assertEquals(images.getPath() + ", byte 4: the header claims 2147483647 x 28 x 28 = 1683627179248 bytes, more "
            + "than one Java array can hold; the header is corrupt", imagesError.getMessage());
        assertEquals(labels.getPath() + ", byte 4: the header claims 2147483648 = 2147483648 bytes, more than one Java "
            + "array can hold; the header is corrupt", labelsError.getMessage());
        assertEquals(11, claimError.offset());
        assertTrue(claimError.getMessage().contains("truncated after 3 complete labels"), claimError.getMessage());
        assertEquals(11, zippedError.offset());
        assertTrue(zippedError.isOffsetInDecompressedData());
    }

    @Test
    void zeroSizedImagesAreRejected() {
        File file = write(dir, "flat", idxHeader(IdxReader.IMAGES_MAGIC, 5, 0, 28));

        DataFileException error = assertThrows(DataFileException.class, () -> IdxReader.readImages(file));

        assertEquals(file.getPath() + ", byte 8: the header gives images of 0x28 pixels", error.getMessage());
    }

    @Test
    void countMismatchNamesBothFiles() {
        File images = write(dir, "train-images", idxImages(2, 3, FIRST, SECOND));
        File labels = write(dir, "t10k-labels", idxLabels(1, 2, 3));

        DataFileException error = assertThrows(DataFileException.class,
            () -> IdxReader.read(images, labels, ClassNames.mnist()));

        assertEquals(labels.getPath() + ": its header (byte 4) counts 3 labels but the images file " + images.getPath()
            + " counts 2 images; pass the labels file that belongs to these images", error.getMessage());
    }

    @Test
    void labelOutOfRangeNamesItemAndOffset() {
        File labels = write(dir, "labels", idxLabels(1, 2, 10));

        DataFileException error = assertThrows(DataFileException.class, () -> IdxReader.readLabels(labels, 10));

        assertEquals(labels.getPath() + ", byte 10: label 10 of item 2 is not in [0, 10)", error.getMessage());
    }

    @Test
    void missingFileIsNamed() {
        File missing = new File(dir, "nothing-here");

        FileNotFoundException error = assertThrows(FileNotFoundException.class, () -> IdxReader.readImages(missing));

        assertEquals(missing.getPath() + ": no such file", error.getMessage());
        assertFalse(missing.exists());
    }
}
