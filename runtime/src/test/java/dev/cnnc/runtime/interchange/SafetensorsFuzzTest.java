package dev.cnnc.runtime.interchange;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.cnnc.runtime.fuzz.ByteMutator;
import dev.cnnc.runtime.fuzz.ParserFuzz;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.File;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Fuzzes the safetensors reader: whole-file mutants, and mutants of the JSON header alone with
 * the 8-byte length repaired (so the mutation reaches the JSON parser and the dtype, shape and
 * offset checks), read from a file (length known) and from a stream (length unknown), plus random
 * bytes. Allowed: a load, or a {@link SafetensorsFormatException} naming the source with the model
 * unchanged.
 */
class SafetensorsFuzzTest {
    @TempDir
    File directory;

    private static byte[] cnncWritten() throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        Safetensors.write(TinyModel.withRamp(0.5f, 0.25f), out);
        return out.toByteArray();
    }

    /** Splits a file into its header and data, mutates one of them, and joins them with a true length. */
    private static ParserFuzz.Generator generator() throws IOException {
        final byte[][] files = {SafetensorsBytes.validTiny(), cnncWritten()};
        final ByteMutator whole = new ByteMutator(files);
        final byte[][] headers = new byte[files.length][];
        final byte[][] data = new byte[files.length][];
        for (int i = 0; i < files.length; i++) {
            int length = (int) ByteBuffer.wrap(files[i]).order(ByteOrder.LITTLE_ENDIAN).getLong();
            headers[i] = Arrays.copyOfRange(files[i], 8, 8 + length);
            data[i] = Arrays.copyOfRange(files[i], 8 + length, files[i].length);
        }
        final ByteMutator header = new ByteMutator(headers);
        return random -> {
            if (random.nextBoolean()) {
                return whole.next(random);
            }
            ByteMutator.Mutant json = header.next(random);
            byte[] body = data[random.nextInt(data.length)];
            return new ByteMutator.Mutant(SafetensorsBytes.concat(SafetensorsBytes.lengthPrefix(json.bytes.length),
                json.bytes, body), "header " + json.edits + "; length repaired");
        };
    }

    private static void loadOrKeep(TinyModel model, Loader loader) throws IOException {
        float[] before = model.parameters().clone();
        try {
            loader.load();
        } catch (SafetensorsFormatException e) {
            assertArrayEquals(before, model.parameters(), "a failed read changed the model");
            throw e;
        }
    }

    private interface Loader {
        void load() throws IOException;
    }

    @Test
    void fileReadLoadsOrRefusesAndNeverChangesTheModelOnFailure() throws IOException {
        File file = new File(directory, "fuzzed.safetensors");
        ParserFuzz.Report report = new ParserFuzz("Safetensors.read(File)", SafetensorsFormatException.class,
            file.getPath()).run(2500, generator(), input -> {
                Files.write(file.toPath(), input);
                TinyModel model = TinyModel.withRamp(-7, 1);
                loadOrKeep(model, () -> Safetensors.read(model, file, SafetensorsOptions.strict().allowExtraTensors()));
            });
        assertTrue(report.loaded > 0 && report.rejected > report.cases / 2, report.toString());
    }

    @Test
    void streamReadLoadsOrRefusesAndNeverChangesTheModelOnFailure() throws IOException {
        ParserFuzz.Report report = new ParserFuzz("Safetensors.read(InputStream)", SafetensorsFormatException.class,
            "safetensors stream").run(2500, generator(), input -> {
                TinyModel model = TinyModel.withRamp(-7, 1);
                loadOrKeep(model, () -> Safetensors.read(model, new ByteArrayInputStream(input)));
            });
        assertTrue(report.loaded > 0 && report.rejected > report.cases / 2, report.toString());
    }
}
