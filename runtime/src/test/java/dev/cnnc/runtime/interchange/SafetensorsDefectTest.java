package dev.cnnc.runtime.interchange;

import static dev.cnnc.runtime.interchange.SafetensorsBytes.concat;
import static dev.cnnc.runtime.interchange.SafetensorsBytes.file;
import static dev.cnnc.runtime.interchange.SafetensorsBytes.floats;
import static dev.cnnc.runtime.interchange.SafetensorsBytes.lengthPrefix;
import static dev.cnnc.runtime.interchange.SafetensorsBytes.ramp;
import static dev.cnnc.runtime.interchange.SafetensorsBytes.tinyHeader;
import static dev.cnnc.runtime.interchange.SafetensorsBytes.validTiny;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.cnnc.runtime.interchange.SafetensorsFormatException.Problem;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.File;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every defect is refused with its own {@link Problem} and a message naming the tensor or offset,
 * from a stream and from a file, and leaves the model's parameters exactly as they were.
 */
class SafetensorsDefectTest {
    private static final float[] BEFORE = ramp(100, 1, 15);

    @TempDir
    File directory;

    /** Reads {@code bytes} as a stream into a model holding {@link #BEFORE}; returns the refusal. */
    private static SafetensorsFormatException refusedFromStream(byte[] bytes, Problem problem) {
        return refused(problem, model -> Safetensors.read(model, new ByteArrayInputStream(bytes)));
    }

    /** The same from a file named {@code bad.safetensors}; the message starts with its path. */
    private SafetensorsFormatException refusedFromFile(byte[] bytes, Problem problem) throws IOException {
        File file = new File(directory, "bad.safetensors");
        try (FileOutputStream out = new FileOutputStream(file)) {
            out.write(bytes);
        }
        return refused(problem, model -> Safetensors.read(model, file));
    }

    private interface Load {
        void into(TinyModel model) throws IOException;
    }

    private static SafetensorsFormatException refused(Problem problem, Load load) {
        TinyModel model = new TinyModel();
        System.arraycopy(BEFORE, 0, model.parameters(), 0, 15);
        SafetensorsFormatException e = assertThrows(SafetensorsFormatException.class, () -> load.into(model));
        assertEquals(problem, e.problem(), e.getMessage());
        assertArrayEquals(BEFORE, model.parameters(), "parameters changed by a refused load");
        return e;
    }

    private String path() {
        return new File(directory, "bad.safetensors").getPath();
    }

    // ---- header length

    @Test
    void absurdHeaderLength() throws IOException {
        byte[] bytes = concat(lengthPrefix(0x7fff_ffff_ffffL), validTiny());
        assertEquals("safetensors stream: header length 140737488355327 at byte 0 is absurd (a header has 2 to"
                + " 100000000 bytes); not a safetensors file?", refusedFromStream(bytes, Problem.HEADER_LENGTH).getMessage());
        assertEquals(path() + ": header length 140737488355327 at byte 0 is absurd (a header has 2 to 100000000 bytes);"
                + " not a safetensors file?", refusedFromFile(bytes, Problem.HEADER_LENGTH).getMessage());
    }

    @Test
    void headerLengthWithTheTopBitSetIsNotNegative() {
        byte[] bytes = concat(lengthPrefix(-2), validTiny());
        assertEquals("safetensors stream: header length of 2^63 bytes or more at byte 0 is absurd (a header has 2 to"
                + " 100000000 bytes); not a safetensors file?", refusedFromStream(bytes, Problem.HEADER_LENGTH).getMessage());
    }

    @Test
    void headerLengthTooSmallForJson() {
        byte[] bytes = concat(lengthPrefix(1), "{".getBytes());
        assertEquals("safetensors stream: header length 1 at byte 0 is absurd (a header has 2 to 100000000 bytes);"
                + " not a safetensors file?", refusedFromStream(bytes, Problem.HEADER_LENGTH).getMessage());
    }

    @Test
    void headerLongerThanTheFile() throws IOException {
        // 99 MB claimed by a 72-byte file: refused before anything of that size is allocated.
        byte[] bytes = concat(lengthPrefix(99_000_000), validTiny());
        assertEquals(path() + ": header length 99000000 at byte 0 is larger than the file (" + bytes.length
                + " bytes, so at most " + (bytes.length - 8) + " bytes of header)",
                refusedFromFile(bytes, Problem.HEADER_LENGTH).getMessage());
        assertEquals("safetensors stream: header length 99000000 at byte 0 is larger than the file (it ends after "
                + bytes.length + " bytes)", refusedFromStream(bytes, Problem.HEADER_LENGTH).getMessage());
    }

    @Test
    void fileShorterThanTheLengthField() throws IOException {
        assertEquals(path() + ": only 5 bytes, too short for the 8-byte header length at byte 0",
                refusedFromFile(new byte[5], Problem.HEADER_LENGTH).getMessage());
        assertEquals("safetensors stream: only 0 bytes, too short for the 8-byte header length at byte 0",
                refusedFromStream(new byte[0], Problem.HEADER_LENGTH).getMessage());
    }

    // ---- JSON

    @Test
    void badJsonNamesTheByte() throws IOException {
        String header = "{\"fc.weight\":{\"dtype\":\"F32\" \"shape\":[3,4]}}";
        byte[] bytes = file(header, new byte[0]);
        assertEquals(path() + ": bad JSON in the header at byte 36 (header byte 28): unexpected '\"', expected ','"
                + " or '}' in an object at position 28; near: \"ght\\\":{\\\"dtype\\\":\\\"F32\\\" \\\"shape\\\":[3,4]}}\"",
                refusedFromFile(bytes, Problem.HEADER_JSON).getMessage());
    }

    @Test
    void badJsonPositionCountsUtf8Bytes() {
        // "é" is two bytes in UTF-8: the error at char 7 is at header byte 8.
        byte[] bytes = file("{\"é\":1,,}", new byte[0]);
        String message = refusedFromStream(bytes, Problem.HEADER_JSON).getMessage();
        assertEquals(true, message.startsWith("safetensors stream: bad JSON in the header at byte 16 (header byte 8):"
                + " unexpected ',', expected a string key at position 7"), message);
    }

    @Test
    void headerThatIsNotUtf8() {
        byte[] header = {'{', '"', (byte) 0xc3, '(', '"', ':', '1', '}'};
        byte[] bytes = concat(lengthPrefix(header.length), header);
        assertEquals("safetensors stream: the header is not valid UTF-8 at byte 10 (header byte 2)",
                refusedFromStream(bytes, Problem.HEADER_JSON).getMessage());
    }

    // ---- structure

    @Test
    void headerThatIsNotAnObject() {
        assertEquals("safetensors stream: the header is the array [1, 2], expected a JSON object",
                refusedFromStream(file("[1,2]", new byte[0]), Problem.HEADER_STRUCTURE).getMessage());
    }

    @Test
    void metadataValuesMustBeStrings() {
        String header = "{\"__metadata__\":{\"format\":\"pt\",\"epoch\":3}}";
        assertEquals("safetensors stream: metadata value \"epoch\" is 3; safetensors metadata values must be strings",
                refusedFromStream(file(header, new byte[0]), Problem.HEADER_STRUCTURE).getMessage());
    }

    @Test
    void tensorWithoutDtype() {
        String header = "{\"fc.weight\":{\"shape\":[3,4],\"data_offsets\":[0,48]}}";
        assertEquals("safetensors stream: tensor fc.weight: \"dtype\" is null or absent, expected a string such as \"F32\"",
                refusedFromStream(file(header, new byte[48]), Problem.HEADER_STRUCTURE).getMessage());
    }

    @Test
    void negativeShape() {
        String header = "{\"fc.weight\":{\"dtype\":\"F32\",\"shape\":[3,-4],\"data_offsets\":[0,48]}}";
        assertEquals("safetensors stream: tensor fc.weight: \"shape\" is the array [3, -4], expected an array of"
                + " non-negative integers",
                refusedFromStream(file(header, new byte[48]), Problem.HEADER_STRUCTURE).getMessage());
    }

    @Test
    void dataOffsetsNeedTwoNumbers() {
        String header = "{\"fc.weight\":{\"dtype\":\"F32\",\"shape\":[3,4],\"data_offsets\":[0,24,48]}}";
        assertEquals("safetensors stream: tensor fc.weight: \"data_offsets\" is the array [0, 24, 48], expected an array"
                + " of 2 non-negative integers",
                refusedFromStream(file(header, new byte[48]), Problem.HEADER_STRUCTURE).getMessage());
    }

    @Test
    void tensorInfoThatIsNotAnObject() {
        assertEquals("safetensors stream: tensor fc.weight is the string \"F32\", expected an object with dtype, shape"
                + " and data_offsets", refusedFromStream(file("{\"fc.weight\":\"F32\"}", new byte[0]),
                Problem.HEADER_STRUCTURE).getMessage());
    }

    // ---- tensors against the model

    @Test
    void wrongDtype() throws IOException {
        String header = "{\"fc.weight\":{\"dtype\":\"F32\",\"shape\":[3,4],\"data_offsets\":[0,48]},"
                + "\"fc.bias\":{\"dtype\":\"F16\",\"shape\":[3],\"data_offsets\":[48,54]}}";
        byte[] bytes = file(header, new byte[54]);
        assertEquals(path() + ": tensor fc.bias has dtype F16, expected F32 (convert it with tensor.float() before"
                + " saving)", refusedFromFile(bytes, Problem.DTYPE).getMessage());
    }

    @Test
    void unknownDtypeOfAnExtraTensor() {
        String header = "{\"fc.weight\":{\"dtype\":\"F32\",\"shape\":[3,4],\"data_offsets\":[0,48]},"
                + "\"fc.bias\":{\"dtype\":\"F32\",\"shape\":[3],\"data_offsets\":[48,60]},"
                + "\"q\":{\"dtype\":\"Q4\",\"shape\":[2],\"data_offsets\":[60,61]}}";
        byte[] bytes = file(header, new byte[61]);
        SafetensorsFormatException e = refused(Problem.DTYPE, model -> Safetensors.read(model,
                new ByteArrayInputStream(bytes), SafetensorsOptions.strict().allowExtraTensors()));
        assertEquals("safetensors stream: tensor q has the unknown dtype \"Q4\"", e.getMessage());
    }

    @Test
    void wrongShapeShowsBoth() throws IOException {
        byte[] bytes = file(tinyHeader("[4,3]", 48, "[3]", 60), new byte[60]);
        assertEquals(path() + ": tensor fc.weight has shape [4, 3], expected [3, 4]",
                refusedFromFile(bytes, Problem.SHAPE).getMessage());
        byte[] rank = file(tinyHeader("[3,4]", 48, "[3,1]", 60), new byte[60]);
        assertEquals("safetensors stream: tensor fc.bias has shape [3, 1], expected [3]",
                refusedFromStream(rank, Problem.SHAPE).getMessage());
    }

    @Test
    void missingTensorNamesWhatTheFileHasInstead() {
        String header = "{\"fc.weight\":{\"dtype\":\"F32\",\"shape\":[3,4],\"data_offsets\":[0,48]},"
                + "\"fc.b\":{\"dtype\":\"F32\",\"shape\":[3],\"data_offsets\":[48,60]}}";
        assertEquals("safetensors stream: tensor fc.bias [3] of Tiny is missing; the file's tensors that Tiny does not"
                + " have: fc.b", refusedFromStream(file(header, new byte[60]), Problem.MISSING_TENSOR).getMessage());
        String onlyWeight = "{\"fc.weight\":{\"dtype\":\"F32\",\"shape\":[3,4],\"data_offsets\":[0,48]}}";
        assertEquals("safetensors stream: tensor fc.bias [3] of Tiny is missing; the file's tensors that Tiny does not"
                + " have: none", refusedFromStream(file(onlyWeight, new byte[48]), Problem.MISSING_TENSOR).getMessage());
    }

    @Test
    void extraTensorIsRefusedByDefault() {
        String header = "{\"fc.weight\":{\"dtype\":\"F32\",\"shape\":[3,4],\"data_offsets\":[0,48]},"
                + "\"fc.bias\":{\"dtype\":\"F32\",\"shape\":[3],\"data_offsets\":[48,60]},"
                + "\"fc.momentum\":{\"dtype\":\"F32\",\"shape\":[3],\"data_offsets\":[60,72]}}";
        assertEquals("safetensors stream: tensor fc.momentum F32 [3] is not in Tiny (which has fc.weight, fc.bias);"
                + " pass SafetensorsOptions.strict().allowExtraTensors() to skip it",
                refusedFromStream(file(header, new byte[72]), Problem.EXTRA_TENSOR).getMessage());
    }

    @Test
    void fingerprintOfAnotherNetwork() throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        Safetensors.write(new TinyModel(0xabcL), out);
        assertEquals("safetensors stream: written for another network: fingerprint 0000000000000abc (input 4; fc dense u3"
                + " LINEAR -> 3), but Tiny has 0123456789abcdef (input 4; fc dense u3 LINEAR -> 3); pass"
                + " SafetensorsOptions.strict().ignoreFingerprint() to load it anyway",
                refusedFromStream(out.toByteArray(), Problem.FINGERPRINT).getMessage());
    }

    // ---- offsets

    @Test
    void offsetsThatDoNotFitTheShape() {
        String header = tinyHeader("[3,4]", 44, "[3]", 56);
        assertEquals("safetensors stream: tensor fc.weight: data_offsets [0, 44] span 44 bytes, but F32 [3, 4] needs 48",
                refusedFromStream(file(header, new byte[56]), Problem.OFFSETS).getMessage());
    }

    @Test
    void overlappingTensors() {
        String header = "{\"fc.weight\":{\"dtype\":\"F32\",\"shape\":[3,4],\"data_offsets\":[0,48]},"
                + "\"fc.bias\":{\"dtype\":\"F32\",\"shape\":[3],\"data_offsets\":[40,52]}}";
        assertEquals("safetensors stream: tensor fc.bias data_offsets [40, 52] overlap tensor fc.weight [0, 48]",
                refusedFromStream(file(header, new byte[52]), Problem.OFFSETS).getMessage());
    }

    @Test
    void gapBetweenTensors() {
        String header = "{\"fc.weight\":{\"dtype\":\"F32\",\"shape\":[3,4],\"data_offsets\":[0,48]},"
                + "\"fc.bias\":{\"dtype\":\"F32\",\"shape\":[3],\"data_offsets\":[52,64]}}";
        byte[] bytes = file(header, new byte[64]);
        int dataStart = bytes.length - 64;
        assertEquals("safetensors stream: bytes 48 to 52 of the data section (file bytes " + (dataStart + 48) + " to "
                + (dataStart + 52) + ") belong to no tensor, before tensor fc.bias; safetensors forbids holes",
                refusedFromStream(bytes, Problem.OFFSETS).getMessage());
    }

    @Test
    void offsetsThatEndBeforeTheyBegin() {
        String header = "{\"fc.weight\":{\"dtype\":\"F32\",\"shape\":[3,4],\"data_offsets\":[48,0]}}";
        assertEquals("safetensors stream: tensor fc.weight: data_offsets [48, 0] end before they begin",
                refusedFromStream(file(header, new byte[48]), Problem.OFFSETS).getMessage());
    }

    @Test
    void shapeWhoseByteCountOverflows() {
        String header = "{\"fc.weight\":{\"dtype\":\"F32\",\"shape\":[3,4],\"data_offsets\":[0,48]},"
                + "\"fc.bias\":{\"dtype\":\"F32\",\"shape\":[3],\"data_offsets\":[48,60]},"
                + "\"big\":{\"dtype\":\"F64\",\"shape\":[4294967296,4294967296],\"data_offsets\":[60,68]}}";
        byte[] bytes = file(header, new byte[68]);
        SafetensorsFormatException e = refused(Problem.OFFSETS, model -> Safetensors.read(model,
                new ByteArrayInputStream(bytes), SafetensorsOptions.strict().allowExtraTensors()));
        assertEquals("safetensors stream: tensor big: data_offsets [60, 68] span 8 bytes, but F64 [4294967296, 4294967296]"
                + " needs more than 2^63", e.getMessage());
    }

    // ---- data

    @Test
    void truncatedDataNamesTheTensorAndOffsets() throws IOException {
        byte[] valid = validTiny();
        byte[] bytes = Arrays.copyOf(valid, valid.length - 4);
        int dataStart = valid.length - 60;
        String expected = ": truncated data: the file ends at byte " + bytes.length + ", but tensor fc.bias needs bytes "
                + (dataStart + 48) + " to " + (dataStart + 60) + " (data_offsets [48, 60])";
        assertEquals(path() + expected, refusedFromFile(bytes, Problem.TRUNCATED_DATA).getMessage());
        assertEquals("safetensors stream" + expected, refusedFromStream(bytes, Problem.TRUNCATED_DATA).getMessage());
    }

    @Test
    void dataSectionMissingEntirely() {
        byte[] valid = validTiny();
        byte[] bytes = Arrays.copyOf(valid, valid.length - 60);
        String message = refusedFromStream(bytes, Problem.TRUNCATED_DATA).getMessage();
        assertEquals(true, message.contains("tensor fc.weight needs bytes"), message);
    }

    @Test
    void hugeExtraTensorClaimIsTruncationNotOutOfMemory() throws IOException {
        long huge = 1L << 62;
        String header = "{\"fc.weight\":{\"dtype\":\"F32\",\"shape\":[3,4],\"data_offsets\":[0,48]},"
                + "\"fc.bias\":{\"dtype\":\"F32\",\"shape\":[3],\"data_offsets\":[48,60]},"
                + "\"big\":{\"dtype\":\"U8\",\"shape\":[" + huge + "],\"data_offsets\":[60," + (60 + huge) + "]}}";
        byte[] bytes = file(header, concat(floats(ramp(1, 1, 12)), floats(-1, -2, -3), new byte[100]));
        File file = new File(directory, "bad.safetensors");
        try (FileOutputStream out = new FileOutputStream(file)) {
            out.write(bytes);
        }
        SafetensorsOptions extra = SafetensorsOptions.strict().allowExtraTensors();
        SafetensorsFormatException fromFile = refused(Problem.TRUNCATED_DATA, model -> Safetensors.read(model, file, extra));
        assertEquals(true, fromFile.getMessage().contains("but tensor big needs bytes"), fromFile.getMessage());
        SafetensorsFormatException fromStream = refused(Problem.TRUNCATED_DATA,
                model -> Safetensors.read(model, new ByteArrayInputStream(bytes), extra));
        assertEquals(true, fromStream.getMessage().contains("but tensor big needs bytes"), fromStream.getMessage());
    }

    @Test
    void trailingBytesAfterTheLastTensor() throws IOException {
        byte[] valid = validTiny();
        byte[] bytes = concat(valid, new byte[] {1, 2, 3});
        assertEquals(path() + ": 3 bytes follow the last tensor, which ends at byte " + valid.length,
                refusedFromFile(bytes, Problem.TRAILING_DATA).getMessage());
        assertEquals("safetensors stream: more bytes follow the last tensor, which ends at byte " + valid.length
                + " (the header's data_offsets cover 60 bytes)",
                refusedFromStream(bytes, Problem.TRAILING_DATA).getMessage());
    }

    @Test
    void missingFileIsAFileNotFoundException() {
        TinyModel model = new TinyModel();
        assertThrows(java.io.FileNotFoundException.class,
                () -> Safetensors.read(model, new File(directory, "absent.safetensors")));
    }
}
