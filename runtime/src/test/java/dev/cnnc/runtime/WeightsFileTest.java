package dev.cnnc.runtime;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.File;
import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

/** Round trips, and every defect of a weights file is refused with its own message, changing nothing. */
class WeightsFileTest extends RuntimeTestBase {
    /** Header of a SoftmaxRegression(4, 3) file: magic, version, fingerprint, name, architecture, count. */
    private static final int HEADER = 5 + 4 + 8 + 4 + "SoftmaxRegression".length() + 4
            + "input 4\ndense 3 SOFTMAX".length() + 4;

    private final SoftmaxRegressionModel saved = model(1);

    private static SoftmaxRegressionModel model(int seed) {
        SoftmaxRegressionModel model = new SoftmaxRegressionModel(4, 3);
        Init.HE_NORMAL.apply(model, SEED + seed);
        float[] parameters = model.parameters();
        for (int i = 12; i < 15; i++) {
            parameters[i] = 0.25f * i; // non-zero biases
        }
        return model;
    }

    private byte[] savedBytes() throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        WeightsFile.save(saved, out);
        return out.toByteArray();
    }

    /** Loads {@code bytes} into a fresh model, expects failure, checks the model kept its parameters. */
    private String loadFails(byte[] bytes) throws IOException {
        File file = file("broken.weights");
        Files.write(file.toPath(), bytes);
        SoftmaxRegressionModel target = model(2);
        float[] before = target.parameters().clone();
        WeightsFormatException e = assertThrows(WeightsFormatException.class, () -> WeightsFile.load(target, file));
        assertArrayEquals(before, target.parameters(), "parameters changed by a failed load");
        assertTrue(e.getMessage().startsWith(file.getPath() + ": "), e.getMessage());
        return e.getMessage().substring(file.getPath().length() + 2);
    }

    @Test
    void roundTripThroughAFileRestoresEveryBit() throws IOException {
        File file = file("model.weights");
        WeightsFile.save(saved, file);
        SoftmaxRegressionModel loaded = model(2);
        WeightsFile.load(loaded, file);
        assertArrayEquals(DeterminismTest.bits(saved.parameters()), DeterminismTest.bits(loaded.parameters()));
        assertEquals(HEADER + 15 * 4 + 4, file.length());
        assertEquals(1, temporaryDirectory.toFile().list().length, "temporary files left behind");
    }

    @Test
    void roundTripThroughStreams() throws IOException {
        SoftmaxRegressionModel loaded = model(2);
        WeightsFile.load(loaded, new ByteArrayInputStream(savedBytes()), "memory");
        assertArrayEquals(saved.parameters(), loaded.parameters());
    }

    @Test
    void layoutIsLittleEndianAfterTheHeader() throws IOException {
        byte[] bytes = savedBytes();
        assertEquals("CNNCW", new String(bytes, 0, 5, "US-ASCII"));
        assertEquals(1, bytes[5]);
        int firstBits = bytes[HEADER] & 0xFF | (bytes[HEADER + 1] & 0xFF) << 8 | (bytes[HEADER + 2] & 0xFF) << 16
                | (bytes[HEADER + 3] & 0xFF) << 24;
        assertEquals(Float.floatToRawIntBits(saved.parameters()[0]), firstBits);
    }

    @Test
    void wrongMagicIsNotAWeightsFile() throws IOException {
        byte[] bytes = savedBytes();
        bytes[0] = 'X';
        assertEquals("not a cnnc weights file: wrong magic bytes 58 4E 4E 43 57 at byte offset 0,"
                + " expected 43 4E 4E 43 57 (\"CNNCW\")", loadFails(bytes));
    }

    @Test
    void tinyFileIsNotAWeightsFile() throws IOException {
        assertEquals("not a cnnc weights file: shorter than its 5 magic bytes", loadFails(new byte[] {'C', 'N'}));
    }

    @Test
    void unsupportedVersionIsNamed() throws IOException {
        byte[] bytes = savedBytes();
        bytes[5] = 99;
        assertEquals("unsupported weights file format version 99 (this cnnc reads version 1)", loadFails(bytes));
    }

    @Test
    void weightsOfAnotherNetworkShowBothArchitectures() throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        WeightsFile.save(new TanhMlpModel(4, 2, 3), out);
        String message = loadFails(out.toByteArray());
        String expected = String.format("holds the parameters of another network:\n"
                        + "  file:  TanhMlp (fingerprint %016x)\n"
                        + "         input 4\n         dense 2 TANH\n         dense 3 LINEAR\n"
                        + "  model: SoftmaxRegression (fingerprint %016x)\n"
                        + "         input 4\n         dense 3 SOFTMAX",
                TestModels.fnv1a("input 4\ndense 2 TANH\ndense 3 LINEAR"), saved.fingerprint());
        assertEquals(expected, message);
    }

    @Test
    void parameterCountMismatchIsNamed() throws IOException {
        // Same fingerprint, 3 parameters instead of 15, with a valid checksum.
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        CheckedOutput out = new CheckedOutput(bytes);
        out.writeBytes(FileHeader.WEIGHTS_MAGIC);
        out.writeInt(1);
        out.writeLong(saved.fingerprint());
        out.writeString(saved.name());
        out.writeString(saved.architecture());
        out.writeInt(3);
        out.writeFloats(new float[] {1, 2, 3});
        out.finish();
        assertEquals(String.format("holds 3 parameters but SoftmaxRegression has 15 (same fingerprint %016x:"
                + " the file or the model's generator is inconsistent)", saved.fingerprint()),
                loadFails(bytes.toByteArray()));
    }

    @Test
    void truncatedFileNamesTheByteOffset() throws IOException {
        byte[] bytes = savedBytes();
        int cut = HEADER + 5 * 4 + 2; // in the middle of parameter 5
        assertEquals("truncated at byte offset " + cut + " while reading the parameters (float 5 of 15)",
                loadFails(Arrays.copyOf(bytes, cut)));
        assertEquals("truncated at byte offset " + (bytes.length - 1) + " while reading the checksum",
                loadFails(Arrays.copyOf(bytes, bytes.length - 1)));
    }

    @Test
    void flippedBitFailsTheChecksum() throws IOException {
        byte[] bytes = savedBytes();
        bytes[HEADER + 9] ^= 0x10;
        String message = loadFails(bytes);
        assertTrue(message.matches("bad checksum: stored [0-9a-f]{8}, computed [0-9a-f]{8} over bytes 0 to "
                + (bytes.length - 4) + " \\(the file is corrupted\\)"), message);
    }

    @Test
    void trailingBytesAreRefused() throws IOException {
        byte[] bytes = savedBytes();
        assertEquals("unexpected data after the checksum at byte offset " + bytes.length,
                loadFails(Arrays.copyOf(bytes, bytes.length + 3)));
    }

    @Test
    void checkpointIsNotLoadedAsWeights() throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        new Checkpoint(0, saved.parameters().clone(), new Sgd(0.1f).state(), 0, new History()).writeTo(saved, out);
        assertEquals("is a cnnc checkpoint, not a weights file (load it with Checkpoint.load)",
                loadFails(out.toByteArray()));
    }

    @Test
    void writerKilledMidSaveLeavesThePreviousFileAndNoTemporaryFile() throws IOException {
        File file = file("model.weights");
        WeightsFile.save(saved, file);
        byte[] previous = Files.readAllBytes(file.toPath());
        SoftmaxRegressionModel changed = model(3);
        AtomicFile.testWrapper = out -> new FailingStream(out, 40);
        try {
            IOException e = assertThrows(IOException.class, () -> WeightsFile.save(changed, file));
            assertEquals("simulated crash after 40 bytes", e.getMessage());
        } finally {
            AtomicFile.testWrapper = null;
        }
        assertArrayEquals(previous, Files.readAllBytes(file.toPath()));
        assertArrayEquals(new String[] {"model.weights"}, temporaryDirectory.toFile().list());
    }

    @Test
    void saveIntoAMissingDirectoryNamesIt() {
        File file = new File(file("missing"), "model.weights");
        IOException e = assertThrows(IOException.class, () -> WeightsFile.save(saved, file));
        assertEquals("cannot write " + file + ": directory " + file.getAbsoluteFile().getParentFile()
                + " does not exist", e.getMessage());
    }

    /** Passes {@code limit} bytes through, then throws as a dying disk or process would. */
    static final class FailingStream extends FilterOutputStream {
        private final int limit;
        private int written;

        FailingStream(OutputStream out, int limit) {
            super(out);
            this.limit = limit;
        }

        @Override
        public void write(int value) throws IOException {
            if (written == limit) {
                throw new IOException("simulated crash after " + limit + " bytes");
            }
            written++;
            out.write(value);
        }

        @Override
        public void write(byte[] bytes, int offset, int length) throws IOException {
            for (int i = 0; i < length; i++) {
                write(bytes[offset + i]);
            }
        }
    }
}
