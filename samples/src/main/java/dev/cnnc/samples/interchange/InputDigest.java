package dev.cnnc.samples.interchange;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * SHA-256 of preprocessed images as little-endian float32 bytes, in array order (image after image,
 * CHW). Both sides of the interchange sample write it into their predictions file
 * ({@code hashlib.sha256(images.astype("<f4").tobytes())} in Python), so a comparison is refused
 * unless both networks saw bit-for-bit the same inputs: same files, same scaling, same order.
 */
public final class InputDigest {
    private InputDigest() {}

    public static String sha256(float[] values) {
        MessageDigest digest;
        try {
            digest = MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java platform has SHA-256", e);
        }
        ByteBuffer chunk = ByteBuffer.allocate(1 << 16).order(ByteOrder.LITTLE_ENDIAN);
        int perChunk = chunk.capacity() / Float.BYTES;
        for (int from = 0; from < values.length; from += perChunk) {
            int count = Math.min(perChunk, values.length - from);
            chunk.clear();
            chunk.asFloatBuffer().put(values, from, count);
            digest.update(chunk.array(), 0, count * Float.BYTES);
        }
        return HexFormat.of().formatHex(digest.digest());
    }
}
