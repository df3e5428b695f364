package dev.cnnc.runtime.interchange;

import dev.cnnc.runtime.interchange.SafetensorsFormatException.Problem;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The JSON header of a safetensors file, turned into {@link TensorEntry}s and the string-to-string
 * {@code __metadata__}, and back. Checks only what the format itself requires (field names and
 * types); whether the tensors fit a model is {@link SafetensorsReader}'s job.
 */
final class SafetensorsHeader {
    static final String METADATA_KEY = "__metadata__";

    /** Bytes per element of every dtype the safetensors format defines with whole-byte elements. */
    private static final Map<String, Integer> DTYPE_SIZES;

    static {
        Map<String, Integer> sizes = new HashMap<>();
        for (String dtype : new String[] {"BOOL", "U8", "I8", "F8_E5M2", "F8_E4M3", "F8_E8M0"}) {
            sizes.put(dtype, 1);
        }
        for (String dtype : new String[] {"U16", "I16", "F16", "BF16"}) {
            sizes.put(dtype, 2);
        }
        for (String dtype : new String[] {"U32", "I32", "F32"}) {
            sizes.put(dtype, 4);
        }
        for (String dtype : new String[] {"U64", "I64", "F64", "C64"}) {
            sizes.put(dtype, 8);
        }
        DTYPE_SIZES = Collections.unmodifiableMap(sizes);
    }

    final List<TensorEntry> tensors;
    final Map<String, String> metadata;

    private SafetensorsHeader(List<TensorEntry> tensors, Map<String, String> metadata) {
        this.tensors = Collections.unmodifiableList(tensors);
        this.metadata = Collections.unmodifiableMap(metadata);
    }

    /** Bytes per element of {@code dtype}, or {@code -1} if safetensors does not define it. */
    static int dtypeSize(String dtype) {
        Integer size = DTYPE_SIZES.get(dtype);
        return size == null ? -1 : size;
    }

    /**
     * Reads the parsed JSON of a header.
     *
     * @param source names the file in messages
     */
    static SafetensorsHeader fromJson(Object root, String source) throws SafetensorsFormatException {
        if (!(root instanceof Map)) {
            throw structure(source + ": the header is " + describe(root) + ", expected a JSON object");
        }
        List<TensorEntry> tensors = new ArrayList<>();
        Map<String, String> metadata = new LinkedHashMap<>();
        for (Map.Entry<?, ?> member : ((Map<?, ?>) root).entrySet()) {
            String name = (String) member.getKey();
            if (name.equals(METADATA_KEY)) {
                metadata = metadata(member.getValue(), source);
            } else {
                tensors.add(tensor(name, member.getValue(), source));
            }
        }
        return new SafetensorsHeader(tensors, metadata);
    }

    private static Map<String, String> metadata(Object value, String source) throws SafetensorsFormatException {
        if (!(value instanceof Map)) {
            throw structure(source + ": \"" + METADATA_KEY + "\" is " + describe(value) + ", expected an object of strings");
        }
        Map<String, String> metadata = new LinkedHashMap<>();
        for (Map.Entry<?, ?> member : ((Map<?, ?>) value).entrySet()) {
            if (!(member.getValue() instanceof String)) {
                throw structure(source + ": metadata value " + JsonParser.quote((String) member.getKey()) + " is "
                        + describe(member.getValue()) + "; safetensors metadata values must be strings");
            }
            metadata.put((String) member.getKey(), (String) member.getValue());
        }
        return metadata;
    }

    private static TensorEntry tensor(String name, Object value, String source) throws SafetensorsFormatException {
        String where = source + ": tensor " + name;
        if (!(value instanceof Map)) {
            throw structure(where + " is " + describe(value) + ", expected an object with dtype, shape and data_offsets");
        }
        Map<?, ?> fields = (Map<?, ?>) value;
        Object dtype = fields.get("dtype");
        if (!(dtype instanceof String)) {
            throw structure(where + ": \"dtype\" is " + describe(dtype) + ", expected a string such as \"F32\"");
        }
        long[] shape = naturals(fields.get("shape"), where + ": \"shape\"", -1);
        long[] offsets = naturals(fields.get("data_offsets"), where + ": \"data_offsets\"", 2);
        if (offsets[1] < offsets[0]) {
            throw new SafetensorsFormatException(Problem.OFFSETS,
                    where + ": data_offsets [" + offsets[0] + ", " + offsets[1] + "] end before they begin");
        }
        return new TensorEntry(name, (String) dtype, shape, offsets[0], offsets[1]);
    }

    /** An array of non-negative integers, of exactly {@code count} elements unless {@code count < 0}. */
    private static long[] naturals(Object value, String where, int count) throws SafetensorsFormatException {
        String expected = count < 0 ? "an array of non-negative integers" : "an array of " + count + " non-negative integers";
        if (!(value instanceof List) || (count >= 0 && ((List<?>) value).size() != count)) {
            throw structure(where + " is " + describe(value) + ", expected " + expected);
        }
        List<?> list = (List<?>) value;
        long[] result = new long[list.size()];
        for (int i = 0; i < result.length; i++) {
            Object element = list.get(i);
            if (!(element instanceof Long) || (Long) element < 0) {
                throw structure(where + " is " + describe(value) + ", expected " + expected);
            }
            result[i] = (Long) element;
        }
        return result;
    }

    /**
     * The header text for tensors laid out one after the other, metadata first (as the reference
     * implementation writes it), without spaces.
     */
    static String toJson(List<TensorEntry> tensors, Map<String, String> metadata) {
        StringBuilder json = new StringBuilder("{");
        if (!metadata.isEmpty()) {
            json.append(JsonParser.quote(METADATA_KEY)).append(":{");
            String separator = "";
            for (Map.Entry<String, String> member : metadata.entrySet()) {
                json.append(separator).append(JsonParser.quote(member.getKey())).append(':')
                        .append(JsonParser.quote(member.getValue()));
                separator = ",";
            }
            json.append('}');
        }
        for (TensorEntry tensor : tensors) {
            if (json.length() > 1) {
                json.append(',');
            }
            json.append(JsonParser.quote(tensor.name)).append(":{\"dtype\":").append(JsonParser.quote(tensor.dtype))
                    .append(",\"shape\":[");
            for (int i = 0; i < tensor.shape.length; i++) {
                json.append(i == 0 ? "" : ",").append(tensor.shape[i]);
            }
            json.append("],\"data_offsets\":[").append(tensor.begin).append(',').append(tensor.end).append("]}");
        }
        return json.append('}').toString();
    }

    private static String describe(Object value) {
        if (value == null) {
            return "null or absent";
        }
        if (value instanceof Map) {
            return "an object";
        }
        if (value instanceof List) {
            String text = value.toString();
            return "the array " + (text.length() <= 60 ? text : text.substring(0, 56) + " ...]");
        }
        if (value instanceof String) {
            return "the string " + JsonParser.quote((String) value);
        }
        return value.toString();
    }

    private static SafetensorsFormatException structure(String message) {
        return new SafetensorsFormatException(Problem.HEADER_STRUCTURE, message);
    }
}
