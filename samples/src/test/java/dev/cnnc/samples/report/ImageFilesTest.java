package dev.cnnc.samples.report;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.File;
import java.io.FileNotFoundException;
import java.io.IOException;
import java.nio.file.Files;
import java.util.Base64;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ImageFilesTest {
    @TempDir
    File dir;

    @Test
    void greyPngRoundTripsExactly() throws Exception {
        float[] image = {0f, 51 / 255f, 1f, 7 / 255f, 128 / 255f, 200 / 255f};
        File file = new File(dir, "grey.png");

        ImageFiles.writePng(image, 0, 1, 2, 3, file);

        assertArrayEquals(image, ImageFiles.readChw(file, 1, 2, 3));
        assertArrayEquals(new String[] {"grey.png"}, dir.list(), "no temporary file left");
    }

    @Test
    void rgbPngRoundTripsExactlyInChwOrder() throws Exception {
        float[] image = {
            0f, 1f, 0f, 0f,          // red plane
            1f, 0f, 10 / 255f, 0f,   // green plane
            0f, 0f, 1f, 99 / 255f};  // blue plane
        File file = new File(dir, "rgb.png");

        ImageFiles.writePng(image, 0, 3, 2, 2, file);

        assertArrayEquals(image, ImageFiles.readChw(file, 3, 2, 2));
        BufferedImage decoded = ImageIO.read(file);
        assertEquals(0x00ff00, decoded.getRGB(0, 0) & 0xffffff, "top-left pixel is pure green");
    }

    @Test
    void writingScalesFromMinimumToMaximum() throws Exception {
        File file = new File(dir, "edges.png");

        ImageFiles.writePng(new float[] {-2f, 0f, 2f, 1f}, 0, 1, 2, 2, file);

        assertArrayEquals(new float[] {0f, 128 / 255f, 1f, 191 / 255f}, ImageFiles.readChw(file, 1, 2, 2));
    }

    @Test
    void writingAConstantImageGivesMidGrey() throws Exception {
        File file = new File(dir, "flat.png");

        ImageFiles.writePng(new float[] {5f, 5f}, 0, 1, 1, 2, file);

        assertArrayEquals(new float[] {128 / 255f, 128 / 255f}, ImageFiles.readChw(file, 1, 1, 2));
    }

    @Test
    void colourImageReadAsGreyUsesLumaAndGreyAsColourRepeatsThePlane() throws Exception {
        File colour = new File(dir, "colour.png");
        ImageFiles.writePng(new float[] {1f, 0f, 0f, 0f, 0f, 1f}, 0, 3, 1, 2, colour);
        File grey = new File(dir, "grey.png");
        ImageFiles.writePng(new float[] {0f, 1f}, 0, 1, 1, 2, grey);

        assertArrayEquals(new float[] {0.299f, 0.114f}, ImageFiles.readChw(colour, 1, 1, 2), 1e-6f);
        assertArrayEquals(new float[] {0f, 1f, 0f, 1f, 0f, 1f}, ImageFiles.readChw(grey, 3, 1, 2));
    }

    @Test
    void bilinearUpscaleUsesHalfPixelCentres() {
        float[] image = {0, 1, 2, 3};

        float[] resized = ImageFiles.resizeBilinear(image, 1, 2, 2, 4, 4);

        // sample positions per axis: -0.25 -> 0, 0.25, 0.75, 1.25 -> 1 (as PyTorch, align_corners=False)
        assertArrayEquals(new float[] {
            0f, 0.25f, 0.75f, 1f,
            0.5f, 0.75f, 1.25f, 1.5f,
            1.5f, 1.75f, 2.25f, 2.5f,
            2f, 2.25f, 2.75f, 3f}, resized);
    }

    @Test
    void bilinearHalvingAveragesBlocksOfFourPerChannel() {
        float[] image = {
            0, 2, 4, 6,
            2, 4, 6, 8,
            10, 10, 0, 0,
            10, 10, 0, 0,
            1, 1, 1, 1,
            1, 1, 1, 1,
            1, 1, 1, 1,
            1, 1, 1, 1};

        assertArrayEquals(new float[] {2, 6, 10, 0, 1, 1, 1, 1}, ImageFiles.resizeBilinear(image, 2, 4, 4, 2, 2));
    }

    @Test
    void readResizesToTheNetworkInput() throws Exception {
        BufferedImage big = new BufferedImage(56, 56, BufferedImage.TYPE_BYTE_GRAY);
        for (int y = 0; y < 56; y++) {
            for (int x = 28; x < 56; x++) {
                big.getRaster().setSample(x, y, 0, 255);
            }
        }
        File file = new File(dir, "half-white.png");
        ImageIO.write(big, "png", file);

        float[] small = ImageFiles.readChw(file, 1, 28, 28);

        assertEquals(28 * 28, small.length);
        assertEquals(0f, small[13]);
        assertEquals(1f, small[14]);
    }

    @Test
    void jpegIsRead() throws Exception {
        BufferedImage white = new BufferedImage(8, 8, BufferedImage.TYPE_INT_RGB);
        for (int y = 0; y < 8; y++) {
            for (int x = 0; x < 8; x++) {
                white.setRGB(x, y, 0xffffff);
            }
        }
        File file = new File(dir, "white.jpg");
        ImageIO.write(white, "jpeg", file);

        float[] chw = ImageFiles.readChw(file, 3, 4, 4);

        for (float value : chw) {
            assertEquals(1f, value, 2 / 255f);
        }
    }

    @Test
    void unreadableAndMissingFilesAreNamed() throws Exception {
        File text = new File(dir, "notes.png");
        Files.writeString(text.toPath(), "not an image");
        File missing = new File(dir, "missing.png");

        IOException unreadable = assertThrows(IOException.class, () -> ImageFiles.readChw(text, 1, 28, 28));
        FileNotFoundException absent = assertThrows(FileNotFoundException.class,
            () -> ImageFiles.readChw(missing, 1, 28, 28));

        assertEquals(text.getPath() + ": not an image in a format this Java can read (PNG, JPEG, BMP, GIF)",
            unreadable.getMessage());
        assertEquals(missing.getPath() + ": no such image file", absent.getMessage());
    }

    @Test
    void toImageUpscalesEachPixelToABlock() throws Exception {
        BufferedImage image = ImageFiles.toImage(new float[] {0f, 1f}, 0, 1, 1, 2, 0f, 1f, 3);

        assertEquals(6, image.getWidth());
        assertEquals(3, image.getHeight());
        assertEquals(0, image.getRaster().getSample(2, 2, 0));
        assertEquals(255, image.getRaster().getSample(3, 0, 0));
        String uri = ImageFiles.pngDataUri(image);
        assertTrue(uri.startsWith("data:image/png;base64,"), uri);
        BufferedImage decoded = ImageIO.read(new ByteArrayInputStream(
            Base64.getDecoder().decode(uri.substring("data:image/png;base64,".length()))));
        assertEquals(255, decoded.getRaster().getSample(5, 2, 0));
    }

    /** A PNG of one IHDR claiming {@code width x height} RGBA pixels, one small IDAT and IEND. */
    private static byte[] pngClaiming(int width, int height) throws IOException {
        java.io.ByteArrayOutputStream bytes = new java.io.ByteArrayOutputStream();
        java.io.DataOutputStream out = new java.io.DataOutputStream(bytes);
        out.write(new byte[] {(byte) 0x89, 'P', 'N', 'G', 13, 10, 26, 10});
        java.nio.ByteBuffer header = java.nio.ByteBuffer.allocate(13).putInt(width).putInt(height)
            .put(new byte[] {8, 6, 0, 0, 0});
        pngChunk(out, "IHDR", header.array());
        java.io.ByteArrayOutputStream compressed = new java.io.ByteArrayOutputStream();
        try (java.util.zip.DeflaterOutputStream deflater = new java.util.zip.DeflaterOutputStream(compressed)) {
            deflater.write(new byte[100]);
        }
        pngChunk(out, "IDAT", compressed.toByteArray());
        pngChunk(out, "IEND", new byte[0]);
        return bytes.toByteArray();
    }

    private static void pngChunk(java.io.DataOutputStream out, String type, byte[] data) throws IOException {
        out.writeInt(data.length);
        byte[] name = type.getBytes(java.nio.charset.StandardCharsets.US_ASCII);
        out.write(name);
        out.write(data);
        java.util.zip.CRC32 crc = new java.util.zip.CRC32();
        crc.update(name);
        crc.update(data);
        out.writeInt((int) crc.getValue());
    }

    @Test
    void headerClaimingHugeImageIsRefusedBeforeDecoding() throws Exception {
        // 69 bytes claiming 15000 x 15000 RGBA: ImageIO alone allocates 900 MB before it finds the data missing.
        File file = new File(dir, "huge.png");
        Files.write(file.toPath(), pngClaiming(15_000, 15_000));
        IOException e = assertThrows(IOException.class, () -> ImageFiles.readChw(file, 3, 28, 28));
        assertEquals(file.getPath() + ": the header claims 15000x15000 pixels, more than the 33554432 this reader"
            + " decodes; shrink the image first", e.getMessage());

        Files.write(file.toPath(), pngClaiming(4000, 4000));
        e = assertThrows(IOException.class, () -> ImageFiles.readChw(file, 3, 28, 28));
        assertEquals(file.getPath() + ": the header claims 4000x4000 pixels, more than a file of 69 bytes can hold;"
            + " the file is truncated or corrupt", e.getMessage());
    }

    @Test
    void truncatedBmpNamesTheFile() throws Exception {
        // Found by ImageFilesFuzzTest: the BMP decoder throws a bare EOFException without a message.
        BufferedImage image = new BufferedImage(4, 3, BufferedImage.TYPE_INT_RGB);
        java.io.ByteArrayOutputStream bmp = new java.io.ByteArrayOutputStream();
        assertTrue(ImageIO.write(image, "bmp", bmp));
        File file = new File(dir, "cut.bmp");
        Files.write(file.toPath(), java.util.Arrays.copyOf(bmp.toByteArray(), bmp.size() - 20));
        IOException e = assertThrows(IOException.class, () -> ImageFiles.readChw(file, 3, 3, 4));
        assertEquals(file.getPath() + ": not a readable image (java.io.EOFException)", e.getMessage());
    }

    @Test
    void arraysTooShortForTheImageAreRefusedByName() {
        assertEquals("a 1x2x3 image at offset 0 needs 6 floats, the array holds 5", assertThrows(
            IllegalArgumentException.class, () -> ImageFiles.resizeBilinear(new float[5], 1, 2, 3, 4, 4)).getMessage());
        assertEquals("a 3x2x2 image at offset 4 needs 12 floats, the array holds 12", assertThrows(
            IllegalArgumentException.class, () -> ImageFiles.writePng(new float[12], 4, 3, 2, 2, new File(dir, "x.png")))
            .getMessage());
        assertEquals("4 values at offset -1 do not fit in an array of 8", assertThrows(IllegalArgumentException.class,
            () -> ImageFiles.range(new float[8], -1, 4)).getMessage());
        assertEquals("image size must be positive, got 1x0x3", assertThrows(IllegalArgumentException.class,
            () -> ImageFiles.toImage(new float[3], 0, 1, 0, 3, 0f, 1f, 1)).getMessage());
        assertArrayEquals(new String[0], dir.list(), "no file written");
    }
}
