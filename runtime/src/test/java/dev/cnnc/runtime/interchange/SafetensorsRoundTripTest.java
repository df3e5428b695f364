package dev.cnnc.runtime.interchange;

import static dev.cnnc.runtime.interchange.SafetensorsBytes.concat;
import static dev.cnnc.runtime.interchange.SafetensorsBytes.file;
import static dev.cnnc.runtime.interchange.SafetensorsBytes.floats;
import static dev.cnnc.runtime.interchange.SafetensorsBytes.lengthPrefix;
import static dev.cnnc.runtime.interchange.SafetensorsBytes.ramp;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.File;
import java.io.FileOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SafetensorsRoundTripTest {
    @TempDir
    File directory;

    /** What the writer must produce for TinyModel.withRamp(-1, 0.25), written out by hand. */
    private static byte[] expectedTinyFile() {
        String header = "{\"__metadata__\":{\"format\":\"pt\",\"cnnc.fingerprint\":\"0123456789abcdef\","
                + "\"cnnc.architecture\":\"input 4; fc dense u3 LINEAR -> 3\"},"
                + "\"fc.weight\":{\"dtype\":\"F32\",\"shape\":[3,4],\"data_offsets\":[0,48]},"
                + "\"fc.bias\":{\"dtype\":\"F32\",\"shape\":[3],\"data_offsets\":[48,60]}}";
        assertEquals(250, header.length(), "hand-counted header length");
        byte[] padding = "      ".getBytes(StandardCharsets.US_ASCII); // 250 -> 256, a multiple of 8
        byte[] length = {0x00, 0x01, 0, 0, 0, 0, 0, 0};                  // 256, little-endian
        return concat(length, header.getBytes(StandardCharsets.US_ASCII), padding,
                floats(ramp(-1, 0.25f, 15)));
    }

    @Test
    void writerProducesTheHandBuiltBytes() throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        Safetensors.write(TinyModel.withRamp(-1, 0.25f), out);
        byte[] expected = expectedTinyFile();
        assertEquals(8 + 256 + 60, expected.length);
        // -1.0f, -0.75f, -0.5f as little-endian IEEE 754, spelled out: the data section's first 12 bytes.
        assertArrayEquals(new byte[] {0, 0, (byte) 0x80, (byte) 0xbf, 0, 0, 0x40, (byte) 0xbf, 0, 0, 0, (byte) 0xbf},
                Arrays.copyOfRange(expected, 264, 276));
        assertArrayEquals(expected, out.toByteArray());
    }

    @Test
    void handBuiltFileReadsIntoTheModel() throws IOException {
        TinyModel model = new TinyModel();
        Safetensors.read(model, new ByteArrayInputStream(expectedTinyFile()));
        assertArrayEquals(ramp(-1, 0.25f, 15), model.parameters());
    }

    @Test
    void streamRoundTripKeepsEveryBit() throws IOException {
        TinyModel source = TinyModel.withRamp(0, 0);
        float[] values = {0f, -0f, 1e-45f, -3.4028235e38f, Float.NaN, Float.POSITIVE_INFINITY,
            Float.NEGATIVE_INFINITY, 1.1754942e-38f, 0.1f, -7f, 123456.79f, 1f / 3, -2.5e-7f, 65504f, 42f};
        System.arraycopy(values, 0, source.parameters(), 0, 15);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        Safetensors.write(source, out);

        TinyModel target = new TinyModel();
        Safetensors.read(target, new ByteArrayInputStream(out.toByteArray()));
        for (int i = 0; i < 15; i++) {
            assertEquals(Float.floatToRawIntBits(values[i]), Float.floatToRawIntBits(target.parameters()[i]),
                    "parameter " + i + ": " + values[i] + " came back as " + target.parameters()[i]);
        }
    }

    @Test
    void fileRoundTripLeavesNoTemporaryFile() throws IOException {
        File file = new File(directory, "tiny.safetensors");
        Safetensors.write(TinyModel.withRamp(3, -0.5f), file);
        TinyModel target = new TinyModel();
        Safetensors.read(target, file);
        assertArrayEquals(ramp(3, -0.5f, 15), target.parameters());
        assertEquals(List.of("tiny.safetensors"), List.of(directory.list()));
    }

    @Test
    void writingOverAnExistingFileReplacesIt() throws IOException {
        File file = new File(directory, "tiny.safetensors");
        try (FileOutputStream old = new FileOutputStream(file)) {
            old.write(new byte[5000]);
        }
        Safetensors.write(TinyModel.withRamp(-1, 0.25f), file);
        assertEquals(expectedTinyFile().length, file.length());
        assertEquals(List.of("tiny.safetensors"), List.of(directory.list()));
    }

    @Test
    void writingIntoAMissingDirectoryFailsWithoutCreatingAnything() {
        File file = new File(new File(directory, "absent"), "tiny.safetensors");
        IOException e = assertThrows(IOException.class, () -> Safetensors.write(new TinyModel(), file));
        assertEquals(true, e.getMessage().startsWith("cannot write " + file + ": no temporary file in "
                + file.getParentFile()), e.getMessage());
        assertEquals(List.of(), List.of(directory.list()));
    }

    @Test
    void writtenHeaderIsPaddedToEightBytesAndParses() throws Exception {
        byte[] header = SafetensorsWriter.header(new TinyModel());
        long length = header.length - 8;
        assertEquals(0, length % 8, "header length " + length);
        assertArrayEquals(lengthPrefix(length), Arrays.copyOf(header, 8));
        Map<?, ?> json = (Map<?, ?>) JsonParser.parse(new String(header, 8, header.length - 8, StandardCharsets.UTF_8));
        assertEquals(List.of("__metadata__", "fc.weight", "fc.bias"), List.copyOf(json.keySet()));
        assertEquals(Map.of("format", "pt", "cnnc.fingerprint", "0123456789abcdef",
                "cnnc.architecture", TinyModel.ARCHITECTURE), json.get("__metadata__"));
    }

    @Test
    void fingerprintIsSixteenHexDigits() {
        assertEquals("0000000000000001", Safetensors.fingerprintText(1));
        assertEquals("ffffffffffffffff", Safetensors.fingerprintText(-1));
        assertEquals("cbf29ce484222325", Safetensors.fingerprintText(0xcbf29ce484222325L));
    }

    @Test
    void tensorsStoredInAnotherOrderLandInTheirPlaces() throws IOException {
        // The Python safetensors library sorts tensors by name, so fc.bias comes first in the data.
        String header = "{\"fc.bias\":{\"dtype\":\"F32\",\"shape\":[3],\"data_offsets\":[0,12]},"
                + "\"fc.weight\":{\"dtype\":\"F32\",\"shape\":[3,4],\"data_offsets\":[12,60]}}";
        byte[] bytes = file(header, concat(floats(-1, -2, -3), floats(ramp(1, 1, 12))));
        TinyModel model = new TinyModel();
        Safetensors.read(model, new ByteArrayInputStream(bytes));
        assertArrayEquals(new float[] {1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, -1, -2, -3}, model.parameters());
    }

    @Test
    void headerOrderAndDataOrderMayDiffer() throws IOException {
        String header = "{\"fc.weight\":{\"dtype\":\"F32\",\"shape\":[3,4],\"data_offsets\":[12,60]},"
                + "\"fc.bias\":{\"shape\":[3],\"data_offsets\":[0,12],\"dtype\":\"F32\"}}";
        byte[] bytes = file(header, concat(floats(-1, -2, -3), floats(ramp(1, 1, 12))));
        TinyModel model = new TinyModel();
        Safetensors.read(model, new ByteArrayInputStream(bytes));
        assertArrayEquals(new float[] {1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, -1, -2, -3}, model.parameters());
    }

    @Test
    void extraTensorsOfAnyDtypeAreSkippedWhenAllowed() throws IOException {
        // A PyTorch checkpoint with a buffer the model does not have, stored between the two tensors.
        String header = "{\"__metadata__\":{\"format\":\"pt\"},"
                + "\"fc.weight\":{\"dtype\":\"F32\",\"shape\":[3,4],\"data_offsets\":[0,48]},"
                + "\"bn.num_batches_tracked\":{\"dtype\":\"I64\",\"shape\":[],\"data_offsets\":[48,56]},"
                + "\"mask\":{\"dtype\":\"BOOL\",\"shape\":[3],\"data_offsets\":[56,59]},"
                + "\"fc.bias\":{\"dtype\":\"F32\",\"shape\":[3],\"data_offsets\":[59,71]}}";
        byte[] bytes = file(header, concat(floats(ramp(1, 1, 12)), new byte[] {7, 0, 0, 0, 0, 0, 0, 0, 1, 0, 1},
                floats(-1, -2, -3)));
        TinyModel model = new TinyModel();
        Safetensors.read(model, new ByteArrayInputStream(bytes), SafetensorsOptions.strict().allowExtraTensors());
        assertArrayEquals(new float[] {1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, -1, -2, -3}, model.parameters());

        File file = new File(directory, "extra.safetensors");
        try (FileOutputStream out = new FileOutputStream(file)) {
            out.write(bytes);
        }
        TinyModel fromFile = new TinyModel();
        Safetensors.read(fromFile, file, SafetensorsOptions.strict().allowExtraTensors());
        assertArrayEquals(model.parameters(), fromFile.parameters());
    }

    @Test
    void fileWithoutCnncMetadataLoads() throws IOException {
        TinyModel model = new TinyModel();
        Safetensors.read(model, new ByteArrayInputStream(SafetensorsBytes.validTiny()));
        assertArrayEquals(new float[] {1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, -1, -2, -3}, model.parameters());
    }

    @Test
    void ignoreFingerprintLoadsAFileOfAnotherArchitectureWithTheSameShapes() throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        Safetensors.write(TinyModel.withRamp(5, 1), out);
        TinyModel other = new TinyModel(42);
        Safetensors.read(other, new ByteArrayInputStream(out.toByteArray()),
                SafetensorsOptions.strict().ignoreFingerprint());
        assertArrayEquals(ramp(5, 1, 15), other.parameters());
    }

    @Test
    void optionsAreImmutableValues() {
        SafetensorsOptions strict = SafetensorsOptions.strict();
        SafetensorsOptions both = strict.allowExtraTensors().ignoreFingerprint();
        assertFalse(strict.extraTensorsAllowed());
        assertFalse(strict.fingerprintIgnored());
        assertEquals("SafetensorsOptions[allowExtraTensors=true, ignoreFingerprint=true]", both.toString());
    }
}
