package dev.cnnc.samples.interchange;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.cnnc.runtime.ParameterTensor;
import dev.cnnc.runtime.SplitMix64;
import dev.cnnc.runtime.interchange.JsonParser;
import dev.cnnc.runtime.interchange.Safetensors;
import dev.cnnc.runtime.interchange.SafetensorsFormatException;
import dev.cnnc.samples.FashionLeNetInference;
import dev.cnnc.samples.FashionLeNetModel;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.File;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * FashionLeNet's parameters through safetensors: cnnc -> file -> cnnc keeps every bit, the file
 * names and shapes its tensors as PyTorch's state_dict of the twin network in
 * {@code torch_interchange.py}, and a file laid out as that script writes it loads.
 */
class FashionLeNetSafetensorsTest {
    /** FashionLeNet's state_dict as PyTorch prints it: names and shapes, in order. */
    private static final Map<String, List<Long>> STATE_DICT = new LinkedHashMap<>();

    static {
        STATE_DICT.put("conv1.weight", List.of(6L, 1L, 5L, 5L));
        STATE_DICT.put("conv1.bias", List.of(6L));
        STATE_DICT.put("conv2.weight", List.of(16L, 6L, 5L, 5L));
        STATE_DICT.put("conv2.bias", List.of(16L));
        STATE_DICT.put("fc1.weight", List.of(120L, 400L));
        STATE_DICT.put("fc1.bias", List.of(120L));
        STATE_DICT.put("fc2.weight", List.of(84L, 120L));
        STATE_DICT.put("fc2.bias", List.of(84L));
        STATE_DICT.put("output.weight", List.of(10L, 84L));
        STATE_DICT.put("output.bias", List.of(10L));
    }

    @TempDir
    File directory;

    private static FashionLeNetModel randomModel(long seed) {
        SplitMix64 random = new SplitMix64(seed);
        FashionLeNetModel model = new FashionLeNetModel();
        float[] parameters = model.parameters();
        for (int i = 0; i < parameters.length; i++) {
            parameters[i] = (float) (random.nextGaussian() * 0.1);
        }
        return model;
    }

    @Test
    void exportThenImportKeepsEveryBit() throws IOException {
        FashionLeNetModel source = randomModel(7);
        float[] specials = {0f, -0f, Float.MIN_VALUE, -Float.MAX_VALUE, Float.MIN_NORMAL, 1f / 3};
        System.arraycopy(specials, 0, source.parameters(), 1000, specials.length);
        File file = new File(directory, "fashion.safetensors");
        Safetensors.write(source, file);

        FashionLeNetModel target = new FashionLeNetModel();
        Safetensors.read(target, file);
        float[] expected = source.parameters();
        float[] actual = target.parameters();
        assertEquals(FashionLeNetModel.PARAMS, actual.length);
        for (int i = 0; i < expected.length; i++) {
            if (Float.floatToRawIntBits(expected[i]) != Float.floatToRawIntBits(actual[i])) {
                throw new AssertionError("parameter " + i + ": wrote " + expected[i] + ", read " + actual[i]);
            }
        }
        assertEquals(8 + headerLength(Files.readAllBytes(file.toPath())) + 4L * FashionLeNetModel.PARAMS, file.length());
    }

    @Test
    void exportedTensorsAreTheStateDictNamesShapesAndOffsets() throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        Safetensors.write(randomModel(1), out);
        Map<String, Object> header = header(out.toByteArray());

        List<String> names = new ArrayList<>(header.keySet());
        names.remove("__metadata__");
        assertEquals(new ArrayList<>(STATE_DICT.keySet()), names);
        long offset = 0;
        for (Map.Entry<String, List<Long>> expected : STATE_DICT.entrySet()) {
            @SuppressWarnings("unchecked")
            Map<String, Object> tensor = (Map<String, Object>) header.get(expected.getKey());
            assertEquals("F32", tensor.get("dtype"), expected.getKey());
            assertEquals(expected.getValue(), tensor.get("shape"), expected.getKey());
            long bytes = 4 * expected.getValue().stream().reduce(1L, (a, b) -> a * b);
            assertEquals(List.of(offset, offset + bytes), tensor.get("data_offsets"), expected.getKey());
            offset += bytes;
        }
        assertEquals(4L * FashionLeNetModel.PARAMS, offset);
    }

    @Test
    void modelTensorsMatchTheStateDict() {
        ParameterTensor[] tensors = new FashionLeNetModel().tensors();
        List<String> names = new ArrayList<>();
        int offset = 0;
        for (ParameterTensor tensor : tensors) {
            names.add(tensor.name());
            List<Long> shape = new ArrayList<>();
            for (int dimension : tensor.shape()) {
                shape.add((long) dimension);
            }
            assertEquals(STATE_DICT.get(tensor.name()), shape, tensor.name());
            assertEquals(offset, tensor.offset(), tensor.name() + " offset");
            offset += tensor.length();
        }
        assertEquals(new ArrayList<>(STATE_DICT.keySet()), names);
        assertEquals(FashionLeNetModel.PARAMS, offset);
    }

    @Test
    void fileWrittenAsTorchInterchangePyWritesItLoadsIntoTheInference() throws IOException {
        FashionLeNetModel source = randomModel(3);
        byte[] file = pythonStyleFile(source.parameters());
        FashionLeNetModel model = new FashionLeNetModel();
        Safetensors.read(model, new ByteArrayInputStream(file)); // strict; no cnnc fingerprint in the file
        assertArrayEquals(source.parameters(), model.parameters());

        FashionLeNetInference inference = new FashionLeNetInference(model.parameters());
        float[] image = new float[FashionLeNetInference.INPUT_SIZE];
        SplitMix64 random = new SplitMix64(11);
        for (int i = 0; i < image.length; i++) {
            image[i] = random.nextInt(256) / 255f;
        }
        float[] fromModel = new float[FashionLeNetModel.OUTPUT_SIZE];
        model.forward(image, fromModel);
        assertArrayEquals(fromModel, inference.predict(image), 1e-6f);
    }

    @Test
    void fileWithTheWrongShapeIsRefusedByName() {
        FashionLeNetModel source = randomModel(3);
        byte[] file = pythonStyleFile(source.parameters());
        String text = new String(file, StandardCharsets.ISO_8859_1).replace("[6,1,5,5]", "[1,6,5,5]");
        FashionLeNetModel model = new FashionLeNetModel();
        SafetensorsFormatException e = assertThrows(SafetensorsFormatException.class,
                () -> Safetensors.read(model, new ByteArrayInputStream(text.getBytes(StandardCharsets.ISO_8859_1))));
        assertTrue(e.getMessage().contains("conv1.weight"), e.getMessage());
        assertEquals(0f, model.parameters()[0], "model unchanged");
    }

    /**
     * The bytes samples/scripts/torch_interchange.py's write_safetensors produces: metadata
     * {"format":"pt"} only, json.dumps(separators=(",", ":")), spaces to a multiple of 8, F32 data.
     */
    private static byte[] pythonStyleFile(float[] parameters) {
        StringBuilder json = new StringBuilder("{\"__metadata__\":{\"format\":\"pt\"}");
        long offset = 0;
        for (Map.Entry<String, List<Long>> tensor : STATE_DICT.entrySet()) {
            long bytes = 4 * tensor.getValue().stream().reduce(1L, (a, b) -> a * b);
            json.append(",\"").append(tensor.getKey()).append("\":{\"dtype\":\"F32\",\"shape\":")
                    .append(tensor.getValue().toString().replace(" ", "")).append(",\"data_offsets\":[")
                    .append(offset).append(',').append(offset + bytes).append("]}");
            offset += bytes;
        }
        json.append('}');
        while (json.length() % 8 != 0) {
            json.append(' ');
        }
        ByteBuffer file = ByteBuffer.allocate(8 + json.length() + 4 * parameters.length).order(ByteOrder.LITTLE_ENDIAN);
        file.putLong(json.length()).put(json.toString().getBytes(StandardCharsets.US_ASCII));
        file.asFloatBuffer().put(parameters);
        return file.array();
    }

    private static long headerLength(byte[] file) {
        return ByteBuffer.wrap(file, 0, 8).order(ByteOrder.LITTLE_ENDIAN).getLong();
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> header(byte[] file) throws IOException {
        int length = (int) headerLength(file);
        return (Map<String, Object>) JsonParser.parse(new String(file, 8, length, StandardCharsets.UTF_8));
    }
}
