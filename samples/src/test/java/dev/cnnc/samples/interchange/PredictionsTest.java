package dev.cnnc.samples.interchange;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PredictionsTest {
    private static final String DIGEST = "0123456789abcdef".repeat(4);

    @TempDir
    Path directory;

    @Test
    void probabilitiesBecomeLogScoresAndTheFirstLargestClass() {
        Predictions p = Predictions.fromProbabilities("cnnc", DIGEST,
                new float[][] {{0.25f, 0.5f, 0.25f}, {0.4f, 0.2f, 0.4f}, {0f, 1f, 0f}});
        assertArrayEquals(new int[] {1, 0, 1}, p.predicted(), "ties go to the first class, as classify()");
        assertEquals((float) Math.log(0.5), p.scores()[0][1]);
        assertEquals(Float.NEGATIVE_INFINITY, p.scores()[2][0]);
        assertEquals(3, p.classCount());
    }

    @Test
    void writeThenReadGivesTheSameFloats() throws IOException {
        float[][] scores = {{-0.1f, -2.3025851f, Float.NEGATIVE_INFINITY}, {-1e-7f, -17.000002f, -3.4e38f}};
        Predictions written = new Predictions("cnnc test", DIGEST, new int[] {0, 0}, scores);
        Path file = directory.resolve("p.predictions");
        written.write(file);
        Predictions read = Predictions.read(file);
        assertEquals("cnnc test", read.producer());
        assertEquals(DIGEST, read.inputsSha256());
        assertArrayEquals(written.predicted(), read.predicted());
        for (int i = 0; i < scores.length; i++) {
            assertArrayEquals(scores[i], read.scores()[i], 0f, "row " + i);
        }
        try (var files = Files.list(directory)) {
            assertEquals(1, files.count(), "no temporary file left");
        }
    }

    /** The text torch_interchange.py writes: Python's repr of each float, '-inf' for minus infinity. */
    @Test
    void readsPythonsSpelling() throws IOException {
        Path file = write("# from Python", "format cnnc-predictions 1", "producer pytorch 1.13",
                "inputs-sha256 " + DIGEST, "images 2", "classes 3",
                "0 2 -13.81551 -1e-05 -inf", "1 0 -0.0 -2.5 -3.0000002");
        Predictions p = Predictions.read(file);
        assertEquals("pytorch 1.13", p.producer());
        assertArrayEquals(new int[] {2, 0}, p.predicted());
        assertArrayEquals(new float[] {-13.81551f, -1e-05f, Float.NEGATIVE_INFINITY}, p.scores()[0], 0f);
        assertEquals(-3.0000002f, p.scores()[1][2]);
    }

    @Test
    void defectsNameTheFileAndLine() throws IOException {
        String[] header = {"format cnnc-predictions 1", "producer x", "inputs-sha256 " + DIGEST, "images 2", "classes 3"};
        assertError("p.predictions:7: expected INDEX PREDICTED and 3 scores, found 4 fields",
                write(concat(header, "0 1 -1 -2 -3", "1 1 -1 -2")));
        assertError("p.predictions:7: image index 2, expected 1", write(concat(header, "0 1 -1 -2 -3", "2 1 -1 -2 -3")));
        assertError("p.predictions:6: predicted class 3 but there are 3 classes", write(concat(header, "0 3 -1 -2 -3")));
        assertError("p.predictions:6: score 'x' is not a number", write(concat(header, "0 1 -1 x -3")));
        assertError("p.predictions: its header says 2 images but 1 lines follow", write(concat(header, "0 1 -1 -2 -3")));
        assertError("p.predictions:1: expected 'format cnnc-predictions 1', found 'hello'", write("hello"));
        assertError("p.predictions: needs an 'inputs-sha256' line",
                write("format cnnc-predictions 1", "inputs-sha256 xyz", "images 1", "classes 2", "0 1 -1 -2"));
    }

    private void assertError(String expected, Path file) {
        IOException e = assertThrows(IOException.class, () -> Predictions.read(file));
        assertTrue(e.getMessage().contains(expected), "expected '" + expected + "' in: " + e.getMessage());
        assertTrue(e.getMessage().startsWith(file.toString()), e.getMessage());
    }

    private static String[] concat(String[] head, String... tail) {
        String[] all = java.util.Arrays.copyOf(head, head.length + tail.length);
        System.arraycopy(tail, 0, all, head.length, tail.length);
        return all;
    }

    private Path write(String... lines) throws IOException {
        Path file = directory.resolve("p.predictions");
        Files.write(file, java.util.List.of(lines));
        return file;
    }
}
