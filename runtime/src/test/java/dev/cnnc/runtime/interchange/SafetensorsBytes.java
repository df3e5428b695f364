package dev.cnnc.runtime.interchange;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;

/** Builds safetensors files byte by byte for tests, independently of the writer under test. */
final class SafetensorsBytes {
    private SafetensorsBytes() {}

    /** The 8-byte little-endian length, the header as given (no padding), then {@code data}. */
    static byte[] file(String header, byte[] data) {
        byte[] json = header.getBytes(StandardCharsets.UTF_8);
        return concat(lengthPrefix(json.length), json, data);
    }

    static byte[] lengthPrefix(long length) {
        byte[] bytes = new byte[8];
        for (int i = 0; i < 8; i++) {
            bytes[i] = (byte) (length >>> (8 * i));
        }
        return bytes;
    }

    /** Each value as 4 little-endian bytes of its IEEE 754 bits. */
    static byte[] floats(float... values) {
        byte[] bytes = new byte[4 * values.length];
        for (int i = 0; i < values.length; i++) {
            int bits = Float.floatToRawIntBits(values[i]);
            for (int b = 0; b < 4; b++) {
                bytes[4 * i + b] = (byte) (bits >>> (8 * b));
            }
        }
        return bytes;
    }

    /** {@code first, first + step, ...}: {@code count} values. */
    static float[] ramp(float first, float step, int count) {
        float[] values = new float[count];
        for (int i = 0; i < count; i++) {
            values[i] = first + i * step;
        }
        return values;
    }

    static byte[] concat(byte[]... parts) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (byte[] part : parts) {
            out.write(part, 0, part.length);
        }
        return out.toByteArray();
    }

    /** Header JSON for TinyModel's two tensors with the given dtypes, shapes and offsets. */
    static String tinyHeader(String weightShape, int weightEnd, String biasShape, int biasEnd) {
        return "{\"fc.weight\":{\"dtype\":\"F32\",\"shape\":" + weightShape + ",\"data_offsets\":[0," + weightEnd + "]},"
                + "\"fc.bias\":{\"dtype\":\"F32\",\"shape\":" + biasShape + ",\"data_offsets\":[" + weightEnd + ","
                + biasEnd + "]}}";
    }

    /** A valid file for TinyModel, without metadata: weight {@code 1, 2, ... 12}, bias {@code -1, -2, -3}. */
    static byte[] validTiny() {
        return file(tinyHeader("[3,4]", 48, "[3]", 60),
                concat(floats(ramp(1, 1, 12)), floats(-1, -2, -3)));
    }
}
