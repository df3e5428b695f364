package dev.cnnc.samples.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.cnnc.runtime.fuzz.ByteMutator;
import dev.cnnc.runtime.fuzz.ParserFuzz;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.util.zip.CRC32;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Fuzzes {@link ImageFiles#readChw} with mutated PNG (half of them with every chunk CRC repaired,
 * so the mutation reaches the decoder: sizes, bit depths, colour types, compressed data), JPEG,
 * BMP and GIF files and random bytes. Allowed: a CHW array of the requested size with values in
 * [0, 1], or an {@link IOException} naming the file; memory must stay near what the file can hold.
 */
class ImageFilesFuzzTest {
    @TempDir
    File directory;

    @BeforeAll
    static void noDiskCache() {
        ImageIO.setUseCache(false);
    }

    private static byte[] encode(BufferedImage image, String format) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        assertTrue(ImageIO.write(image, format, out), "no " + format + " writer");
        return out.toByteArray();
    }

    private static BufferedImage pattern(int type, int width, int height) {
        BufferedImage image = new BufferedImage(width, height, type);
        for (int y = 0; y < height; y++) {
            for (int x = 0; x < width; x++) {
                image.setRGB(x, y, (x * 40 + y * 7) << 24 | x * 50 << 16 | y * 60 << 8 | (x ^ y) * 30);
            }
        }
        return image;
    }

    static ByteMutator seeds() throws IOException {
        return new ByteMutator(
            encode(pattern(BufferedImage.TYPE_BYTE_GRAY, 5, 4), "png"),
            encode(pattern(BufferedImage.TYPE_INT_ARGB, 5, 4), "png"),
            encode(pattern(BufferedImage.TYPE_USHORT_GRAY, 3, 3), "png"),
            encode(pattern(BufferedImage.TYPE_INT_RGB, 8, 8), "jpg"),
            encode(pattern(BufferedImage.TYPE_INT_RGB, 4, 3), "bmp"),
            encode(pattern(BufferedImage.TYPE_BYTE_INDEXED, 4, 4), "gif"));
    }

    /** Recomputes the CRC of every PNG chunk that lies wholly inside the data; other inputs are returned as they are. */
    static byte[] repairPngChunks(byte[] png) {
        if (png.length < 8 || (png[0] & 0xff) != 0x89 || png[1] != 'P') {
            return png;
        }
        byte[] repaired = png.clone();
        int at = 8;
        while (at + 12 <= repaired.length) {
            long length = (repaired[at] & 0xffL) << 24 | (repaired[at + 1] & 0xff) << 16 | (repaired[at + 2] & 0xff) << 8
                | repaired[at + 3] & 0xff;
            if (at + 12 + length > repaired.length) {
                break;
            }
            CRC32 crc = new CRC32();
            crc.update(repaired, at + 4, 4 + (int) length);
            int end = at + 8 + (int) length;
            long value = crc.getValue();
            for (int i = 0; i < 4; i++) {
                repaired[end + i] = (byte) (value >>> (24 - 8 * i));
            }
            at = end + 4;
        }
        return repaired;
    }

    @Test
    void imagesDecodeToTheRequestedShapeOrAreRefusedNamingTheFile() throws IOException {
        File file = new File(directory, "fuzzed-image");
        ByteMutator mutator = seeds();
        ParserFuzz.Generator generator = random -> {
            ByteMutator.Mutant mutant = mutator.next(random);
            return random.nextBoolean() ? mutant
                : new ByteMutator.Mutant(repairPngChunks(mutant.bytes), mutant.edits + "; PNG CRCs repaired");
        };
        ParserFuzz.Report report = new ParserFuzz("ImageFiles.readChw", IOException.class, file.getPath())
            .allowance(input -> (32L << 20) + 4096L * 16 * input.length)
            .run(600, generator, input -> {
                Files.write(file.toPath(), input);
                int channels = input.length % 2 == 0 ? 1 : 3;
                float[] chw = ImageFiles.readChw(file, channels, 6, 7);
                assertEquals(channels * 6 * 7, chw.length);
                for (float value : chw) {
                    assertTrue(value >= 0 && value <= 1, "value " + value);
                }
            });
        assertTrue(report.loaded > 0 && report.rejected > 0, report.toString());
    }
}
