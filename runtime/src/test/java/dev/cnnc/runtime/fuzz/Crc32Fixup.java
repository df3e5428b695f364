package dev.cnnc.runtime.fuzz;

import java.util.zip.CRC32;

/**
 * Rewrites the trailing little-endian CRC32 of a cnnc weights file or checkpoint so a mutant gets
 * past the checksum and reaches the header and size checks behind it.
 */
public final class Crc32Fixup {
    private Crc32Fixup() {
    }

    /** A copy of {@code bytes} whose last 4 bytes are the CRC32 of the others (unchanged if shorter than 4). */
    public static byte[] fix(byte[] bytes) {
        if (bytes.length < 4) {
            return bytes;
        }
        byte[] fixed = bytes.clone();
        CRC32 crc = new CRC32();
        crc.update(fixed, 0, fixed.length - 4);
        long value = crc.getValue();
        for (int i = 0; i < 4; i++) {
            fixed[fixed.length - 4 + i] = (byte) (value >>> (8 * i));
        }
        return fixed;
    }
}
