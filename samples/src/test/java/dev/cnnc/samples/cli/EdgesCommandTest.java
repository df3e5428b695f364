package dev.cnnc.samples.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.cnnc.samples.report.ImageFiles;
import java.awt.image.BufferedImage;
import java.io.File;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The lecture's edge filters, set into the generated EdgeFiltersModel, on the lecture's example and on image files. */
class EdgesCommandTest {
    private static final int SIZE = 256;
    private static final int OUT = SIZE - 2;

    @TempDir
    File dir;

    /** The lecture's 6x6 examples in the top-left corner: the filtered 4x4 corner must be the lecture's answer. */
    @Test
    void lecturesExamplesGiveZeroThirtyThirtyZero() {
        float[] leftBright = new float[SIZE * SIZE];
        float[] topBright = new float[SIZE * SIZE];
        for (int y = 0; y < 6; y++) {
            for (int x = 0; x < 6; x++) {
                leftBright[y * SIZE + x] = x < 3 ? 10 : 0;
                topBright[y * SIZE + x] = y < 3 ? 10 : 0;
            }
        }
        float[] vertical = EdgesCommand.filter(leftBright);
        float[] horizontal = EdgesCommand.filter(topBright);
        for (int y = 0; y < 4; y++) {
            assertArrayEquals(new float[] {0, 30, 30, 0}, corner(vertical, 0, y), "vertical edges, row " + y);
        }
        float[][] expectedRows = {{0, 0, 0, 0}, {30, 30, 30, 30}, {30, 30, 30, 30}, {0, 0, 0, 0}};
        for (int y = 0; y < 4; y++) {
            assertArrayEquals(expectedRows[y], corner(horizontal, OUT * OUT, y), "horizontal edges, row " + y);
        }
    }

    @Test
    void writesTheInputAndBothFilteredImagesOfAnImageFile() throws Exception {
        // A white square on black: its left and right sides are vertical edges, top and bottom horizontal.
        float[] square = new float[64 * 64];
        for (int y = 16; y < 48; y++) {
            for (int x = 16; x < 48; x++) {
                square[y * 64 + x] = 1;
            }
        }
        File image = new File(dir, "square.png");
        ImageFiles.writePng(square, 0, 1, 64, 64, image);
        File out = new File(dir, "edges");
        CliRun run = CliRun.of("edges", "--out", out.getPath(), image.getPath());
        assertEquals(0, run.status(), run.transcript());
        BufferedImage vertical = ImageIO.read(new File(out, "vertical-edges.png"));
        BufferedImage horizontal = ImageIO.read(new File(out, "horizontal-edges.png"));
        assertEquals(OUT, vertical.getWidth());
        assertEquals(OUT, horizontal.getHeight());
        assertTrue(new File(out, "input.png").isFile());
        // Mid-row of the square: the left side (dark to light going right) is negative, so darker than flat grey.
        int middle = OUT / 2;
        int flat = grey(vertical, middle, 10);
        assertTrue(grey(vertical, middle, 62) < flat && grey(vertical, middle, 190) > flat,
            "vertical edges of the square's sides: " + grey(vertical, middle, 62) + ", flat " + flat + ", "
                + grey(vertical, middle, 190));
        assertEquals(grey(horizontal, middle, 10), grey(horizontal, middle, middle), "no horizontal edge inside the square");
    }

    @Test
    void withoutAnImageItUsesAFashionMnistTestImage() throws Exception {
        File data = TinyDataSets.fashionMnist(new File(dir, "data"), 10, 10);
        File out = new File(dir, "edges");
        CliRun run = CliRun.of("edges", "--data", data.getPath(), "--index", "3", "--out", out.getPath());
        assertEquals(0, run.status(), run.transcript());
        assertEquals(3, out.list().length, run.transcript());
        CliRun bad = CliRun.of("edges", "--data", data.getPath(), "--index", "10", "--out", out.getPath());
        assertEquals(1, bad.status(), bad.transcript());
        assertTrue(bad.err().contains("--index 10 is not a test image; there are 10"), bad.transcript());
    }

    private static float[] corner(float[] planes, int planeOffset, int row) {
        float[] values = new float[4];
        System.arraycopy(planes, planeOffset + row * OUT, values, 0, 4);
        return values;
    }

    private static int grey(BufferedImage image, int y, int x) {
        return image.getRGB(x, y) & 0xff;
    }
}
