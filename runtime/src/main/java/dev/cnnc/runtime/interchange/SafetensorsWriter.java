package dev.cnnc.runtime.interchange;

import dev.cnnc.runtime.ParameterTensor;
import dev.cnnc.runtime.TrainableModel;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.Charset;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Writes a model's parameters as safetensors: tensors in the model's order, packed one after the
 * other, F32 little-endian; the header padded with spaces to a multiple of 8 bytes so that the
 * data starts 8-byte aligned (what the reference implementation does, and what lets readers map
 * the data without copying).
 */
final class SafetensorsWriter {
    private static final Charset UTF_8 = Charset.forName("UTF-8");
    private static final int CHUNK_FLOATS = 1 << 14;

    private SafetensorsWriter() {}

    /** The complete header: 8-byte length, then the padded JSON. */
    static byte[] header(TrainableModel model) {
        List<TensorEntry> entries = new ArrayList<>();
        long position = 0;
        for (ParameterTensor tensor : model.tensors()) {
            int[] shape = tensor.shape();
            long[] longShape = new long[shape.length];
            for (int i = 0; i < shape.length; i++) {
                longShape[i] = shape[i];
            }
            long bytes = 4L * tensor.length();
            entries.add(new TensorEntry(tensor.name(), "F32", longShape, position, position + bytes));
            position += bytes;
        }
        Map<String, String> metadata = new LinkedHashMap<>();
        metadata.put("format", "pt");
        metadata.put(Safetensors.FINGERPRINT_KEY, Safetensors.fingerprintText(model.fingerprint()));
        metadata.put(Safetensors.ARCHITECTURE_KEY, model.architecture());
        byte[] json = SafetensorsHeader.toJson(entries, metadata).getBytes(UTF_8);
        int padded = (json.length + 7) / 8 * 8;
        ByteBuffer header = ByteBuffer.allocate(8 + padded).order(ByteOrder.LITTLE_ENDIAN);
        header.putLong(padded).put(json);
        while (header.hasRemaining()) {
            header.put((byte) ' ');
        }
        return header.array();
    }

    static void write(TrainableModel model, OutputStream out) throws IOException {
        out.write(header(model));
        float[] parameters = model.parameters();
        ByteBuffer chunk = ByteBuffer.allocate(4 * CHUNK_FLOATS).order(ByteOrder.LITTLE_ENDIAN);
        for (ParameterTensor tensor : model.tensors()) {
            int end = tensor.offset() + tensor.length();
            for (int from = tensor.offset(); from < end; from += CHUNK_FLOATS) {
                int count = Math.min(CHUNK_FLOATS, end - from);
                chunk.clear();
                chunk.asFloatBuffer().put(parameters, from, count);
                out.write(chunk.array(), 0, 4 * count);
            }
        }
        out.flush();
    }
}
