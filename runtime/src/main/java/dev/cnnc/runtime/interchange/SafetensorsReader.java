package dev.cnnc.runtime.interchange;

import dev.cnnc.runtime.ParameterTensor;
import dev.cnnc.runtime.TrainableModel;
import dev.cnnc.runtime.interchange.SafetensorsFormatException.Problem;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.CharBuffer;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CoderResult;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.Charset;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads a safetensors file into a fresh array laid out like {@link TrainableModel#parameters()},
 * checking everything first. Nothing is allocated from a size the file claims before that size
 * has been checked against the file's length (or, for a stream, against what actually arrives),
 * so a corrupt header cannot cause an {@link OutOfMemoryError}.
 */
final class SafetensorsReader {
    /** The reference implementation's limit; cnnc headers are a few kilobytes. */
    static final long MAX_HEADER_BYTES = 100_000_000L;

    private static final int CHUNK_BYTES = 1 << 16;
    private static final Charset UTF_8 = Charset.forName("UTF-8");

    private final TrainableModel model;
    private final SafetensorsOptions options;
    private final String source;

    /** File offset of the data section: 8 + header length. */
    private long dataStart;

    SafetensorsReader(TrainableModel model, SafetensorsOptions options, String source) {
        this.model = model;
        this.options = options;
        this.source = source;
    }

    /**
     * @param totalLength the file's length in bytes, or {@code -1} for a stream of unknown length
     * @return the model's parameters as stored, in the model's layout
     */
    float[] read(InputStream in, long totalLength) throws IOException {
        long headerLength = readHeaderLength(in, totalLength);
        dataStart = 8 + headerLength;
        String json = decodeUtf8(readHeader(in, (int) headerLength, totalLength));
        Object root;
        try {
            root = JsonParser.parse(json);
        } catch (JsonSyntaxException e) {
            long headerByte = json.substring(0, e.position()).getBytes(UTF_8).length;
            throw new SafetensorsFormatException(Problem.HEADER_JSON, source + ": bad JSON in the header at byte "
                    + (8 + headerByte) + " (header byte " + headerByte + "): " + e.getMessage()
                    + "; near: " + excerpt(json, e.position()));
        }
        SafetensorsHeader header = SafetensorsHeader.fromJson(root, source);
        Map<String, ParameterTensor> expected = expectedTensors();
        checkNoneMissing(header, expected);
        checkEachEntry(header, expected);
        checkFingerprint(header);
        List<TensorEntry> byOffset = checkLayout(header);
        long dataLength = byOffset.isEmpty() ? 0 : byOffset.get(byOffset.size() - 1).end;
        if (totalLength >= 0) {
            checkDataLength(byOffset, dataLength, totalLength - dataStart);
        }
        float[] parameters = new float[model.parameters().length];
        readData(in, byOffset, expected, parameters);
        if (totalLength < 0 && in.read() >= 0) {
            throw new SafetensorsFormatException(Problem.TRAILING_DATA, source + ": more bytes follow the last tensor,"
                    + " which ends at byte " + (dataStart + dataLength) + " (the header's data_offsets cover "
                    + dataLength + " bytes)");
        }
        return parameters;
    }

    private long readHeaderLength(InputStream in, long totalLength) throws IOException {
        byte[] bytes = new byte[8];
        int got = readUpTo(in, bytes, 0, 8);
        if (got < 8) {
            throw new SafetensorsFormatException(Problem.HEADER_LENGTH, source + ": only " + got
                    + " bytes, too short for the 8-byte header length at byte 0");
        }
        long length = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN).getLong();
        // Unsigned: a negative long is a length of 2^63 bytes or more.
        if (length < 2 || length > MAX_HEADER_BYTES) {
            String shown = length < 0 ? "of 2^63 bytes or more" : length + "";
            throw new SafetensorsFormatException(Problem.HEADER_LENGTH, source + ": header length " + shown
                    + " at byte 0 is absurd (a header has 2 to " + MAX_HEADER_BYTES + " bytes); not a safetensors file?");
        }
        if (totalLength >= 0 && 8 + length > totalLength) {
            throw new SafetensorsFormatException(Problem.HEADER_LENGTH, source + ": header length " + length
                    + " at byte 0 is larger than the file (" + totalLength + " bytes, so at most "
                    + (totalLength - 8) + " bytes of header)");
        }
        return length;
    }

    /** Reads the header in growing chunks, so a stream that ends early costs only what it sent. */
    private byte[] readHeader(InputStream in, int length, long totalLength) throws IOException {
        ByteArrayOutputStream header = new ByteArrayOutputStream(Math.min(length, CHUNK_BYTES));
        byte[] chunk = new byte[Math.min(length, CHUNK_BYTES)];
        int remaining = length;
        while (remaining > 0) {
            int got = readUpTo(in, chunk, 0, Math.min(remaining, chunk.length));
            header.write(chunk, 0, got);
            remaining -= got;
            if (got == 0) {
                throw new SafetensorsFormatException(Problem.HEADER_LENGTH, source + ": header length " + length
                        + " at byte 0 is larger than the file (it ends after " + (8 + header.size()) + " bytes)");
            }
        }
        return header.toByteArray();
    }

    private String decodeUtf8(byte[] header) throws SafetensorsFormatException {
        CharsetDecoder decoder = UTF_8.newDecoder()
                .onMalformedInput(CodingErrorAction.REPORT)
                .onUnmappableCharacter(CodingErrorAction.REPORT);
        ByteBuffer bytes = ByteBuffer.wrap(header);
        CharBuffer chars = CharBuffer.allocate(header.length);
        CoderResult result = decoder.decode(bytes, chars, true);
        if (!result.isError()) {
            result = decoder.flush(chars);
        }
        if (result.isError()) {
            throw new SafetensorsFormatException(Problem.HEADER_JSON, source + ": the header is not valid UTF-8 at byte "
                    + (8 + bytes.position()) + " (header byte " + bytes.position() + ")");
        }
        chars.flip();
        return chars.toString();
    }

    private Map<String, ParameterTensor> expectedTensors() {
        Map<String, ParameterTensor> expected = new LinkedHashMap<>();
        for (ParameterTensor tensor : model.tensors()) {
            expected.put(tensor.name(), tensor);
        }
        return expected;
    }

    private void checkNoneMissing(SafetensorsHeader header, Map<String, ParameterTensor> expected)
            throws SafetensorsFormatException {
        List<String> present = new ArrayList<>();
        for (TensorEntry entry : header.tensors) {
            present.add(entry.name);
        }
        for (ParameterTensor tensor : expected.values()) {
            if (!present.contains(tensor.name())) {
                List<String> unknown = new ArrayList<>(present);
                unknown.removeAll(expected.keySet());
                throw new SafetensorsFormatException(Problem.MISSING_TENSOR, source + ": tensor " + tensor.name() + " "
                        + Arrays.toString(tensor.shape()) + " of " + model.name() + " is missing; the file's tensors that "
                        + model.name() + " does not have: " + (unknown.isEmpty() ? "none" : join(unknown)));
            }
        }
    }

    private void checkEachEntry(SafetensorsHeader header, Map<String, ParameterTensor> expected)
            throws SafetensorsFormatException {
        for (TensorEntry entry : header.tensors) {
            String where = source + ": tensor " + entry.name;
            ParameterTensor tensor = expected.get(entry.name);
            if (tensor == null && !options.extraTensorsAllowed()) {
                throw new SafetensorsFormatException(Problem.EXTRA_TENSOR, where + " " + entry.dtype + " "
                        + entry.shapeText() + " is not in " + model.name() + " (which has " + join(expected.keySet())
                        + "); pass SafetensorsOptions.strict().allowExtraTensors() to skip it");
            }
            if (tensor != null && !entry.dtype.equals("F32")) {
                throw new SafetensorsFormatException(Problem.DTYPE, where + " has dtype " + entry.dtype
                        + ", expected F32 (convert it with tensor.float() before saving)");
            }
            int elementSize = SafetensorsHeader.dtypeSize(entry.dtype);
            if (elementSize < 0) {
                throw new SafetensorsFormatException(Problem.DTYPE, where + " has the unknown dtype "
                        + JsonParser.quote(entry.dtype));
            }
            if (tensor != null && !sameShape(tensor.shape(), entry.shape)) {
                throw new SafetensorsFormatException(Problem.SHAPE, where + " has shape " + entry.shapeText()
                        + ", expected " + Arrays.toString(tensor.shape()));
            }
            long needed = byteCount(entry.shape, elementSize);
            if (needed != entry.byteLength()) {
                throw new SafetensorsFormatException(Problem.OFFSETS, where + ": data_offsets " + entry.offsetsText()
                        + " span " + entry.byteLength() + " bytes, but " + entry.dtype + " " + entry.shapeText()
                        + " needs " + (needed < 0 ? "more than 2^63" : String.valueOf(needed)));
            }
        }
    }

    private void checkFingerprint(SafetensorsHeader header) throws SafetensorsFormatException {
        String stored = header.metadata.get(Safetensors.FINGERPRINT_KEY);
        String own = Safetensors.fingerprintText(model.fingerprint());
        if (stored == null || options.fingerprintIgnored() || stored.equalsIgnoreCase(own)) {
            return;
        }
        String architecture = header.metadata.get(Safetensors.ARCHITECTURE_KEY);
        throw new SafetensorsFormatException(Problem.FINGERPRINT, source + ": written for another network: fingerprint "
                + stored + (architecture == null ? "" : " (" + architecture + ")") + ", but " + model.name() + " has "
                + own + " (" + model.architecture() + "); pass SafetensorsOptions.strict().ignoreFingerprint() to"
                + " load it anyway");
    }

    /**
     * The tensors sorted by offset, after checking that they tile the data section from byte 0
     * without overlap or gap (the format forbids holes).
     */
    private List<TensorEntry> checkLayout(SafetensorsHeader header) throws SafetensorsFormatException {
        List<TensorEntry> byOffset = new ArrayList<>(header.tensors);
        Collections.sort(byOffset, new Comparator<TensorEntry>() {
            @Override
            public int compare(TensorEntry a, TensorEntry b) {
                int byBegin = Long.compare(a.begin, b.begin);
                return byBegin != 0 ? byBegin : Long.compare(a.end, b.end);
            }
        });
        long covered = 0;
        TensorEntry previous = null;
        for (TensorEntry entry : byOffset) {
            if (entry.begin < covered) {
                throw new SafetensorsFormatException(Problem.OFFSETS, source + ": tensor " + entry.name
                        + " data_offsets " + entry.offsetsText() + " overlap tensor " + previous.name + " "
                        + previous.offsetsText());
            }
            if (entry.begin > covered) {
                throw new SafetensorsFormatException(Problem.OFFSETS, source + ": bytes " + covered + " to "
                        + entry.begin + " of the data section (file bytes " + (dataStart + covered) + " to "
                        + (dataStart + entry.begin) + ") belong to no tensor, before tensor " + entry.name
                        + "; safetensors forbids holes");
            }
            covered = entry.end;
            previous = entry;
        }
        return byOffset;
    }

    private void checkDataLength(List<TensorEntry> byOffset, long dataLength, long available)
            throws SafetensorsFormatException {
        if (available > dataLength) {
            throw new SafetensorsFormatException(Problem.TRAILING_DATA, source + ": " + (available - dataLength)
                    + " bytes follow the last tensor, which ends at byte " + (dataStart + dataLength));
        }
        for (TensorEntry entry : byOffset) {
            if (entry.end > available) {
                throw truncated(entry, available);
            }
        }
    }

    private SafetensorsFormatException truncated(TensorEntry entry, long available) {
        return new SafetensorsFormatException(Problem.TRUNCATED_DATA, source + ": truncated data: the file ends at byte "
                + (dataStart + available) + ", but tensor " + entry.name + " needs bytes " + (dataStart + entry.begin)
                + " to " + (dataStart + entry.end) + " (data_offsets " + entry.offsetsText() + ")");
    }

    /** Reads the data section in file order, keeping the model's tensors and skipping the others. */
    private void readData(InputStream in, List<TensorEntry> byOffset, Map<String, ParameterTensor> expected,
            float[] parameters) throws IOException {
        byte[] chunk = new byte[CHUNK_BYTES];
        ByteBuffer chunkBuffer = ByteBuffer.wrap(chunk).order(ByteOrder.LITTLE_ENDIAN);
        long position = 0;
        for (TensorEntry entry : byOffset) {
            ParameterTensor tensor = expected.get(entry.name);
            int floatIndex = tensor == null ? 0 : tensor.offset();
            long remaining = entry.byteLength();
            while (remaining > 0) {
                int wanted = (int) Math.min(remaining, chunk.length);
                int got = readUpTo(in, chunk, 0, wanted);
                if (got < wanted) {
                    throw truncated(entry, position + got);
                }
                if (tensor != null) {
                    chunkBuffer.clear();
                    chunkBuffer.asFloatBuffer().get(parameters, floatIndex, got / 4);
                    floatIndex += got / 4;
                }
                position += got;
                remaining -= got;
            }
        }
    }

    /** Reads until {@code length} bytes or the end; returns how many arrived. */
    private static int readUpTo(InputStream in, byte[] buffer, int offset, int length) throws IOException {
        int total = 0;
        while (total < length) {
            int got = in.read(buffer, offset + total, length - total);
            if (got < 0) {
                break;
            }
            total += got;
        }
        return total;
    }

    private static boolean sameShape(int[] expected, long[] found) {
        if (expected.length != found.length) {
            return false;
        }
        for (int i = 0; i < expected.length; i++) {
            if (expected[i] != found[i]) {
                return false;
            }
        }
        return true;
    }

    /** Product of the shape times the element size, or {@code -1} past {@code Long.MAX_VALUE}. */
    private static long byteCount(long[] shape, int elementSize) {
        long count = elementSize;
        for (long dimension : shape) {
            if (dimension != 0 && count > Long.MAX_VALUE / dimension) {
                return -1;
            }
            count *= dimension;
        }
        return count;
    }

    private static String join(Iterable<String> names) {
        StringBuilder text = new StringBuilder();
        for (String name : names) {
            text.append(text.length() == 0 ? "" : ", ").append(name);
        }
        return text.toString();
    }

    private static String excerpt(String json, int position) {
        int from = Math.max(0, position - 20);
        int to = Math.min(json.length(), position + 20);
        return JsonParser.quote(json.substring(from, to));
    }
}
