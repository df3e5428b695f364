package dev.cnnc.runtime.fuzz;

import dev.cnnc.runtime.SplitMix64;
import java.util.Arrays;

/**
 * Mutates valid files the way corruption and hostile edits do: flipped bits, bytes and 32/64-bit
 * fields set to boundary values (0, -1, 2^31, sizes just past a limit), truncation, inserted,
 * deleted and duplicated ranges, ASCII numbers replaced by huge ones; one case in ten is random
 * bytes instead. Each case records its edits so a failure can be read and reproduced.
 */
public final class ByteMutator {
    /** Values that break size arithmetic: zero, one, sign bits, near 2^31 and 2^32, powers of two. */
    private static final long[] BOUNDARIES = {
        0, 1, 2, 3, 4, 7, 8, 255, 256, 3073, 65535, 65536, 1 << 20, 1 << 24, 0x3FFFFFFF, 0x40000000,
        0x7FFFFFF7L, 0x7FFFFFFFL, 0x80000000L, 0xFFFFFFFFL, 0x100000000L, -1, Long.MAX_VALUE, Long.MIN_VALUE,
        100_000_001L};
    /** ASCII replacements for decimal numbers in text headers (JSON). */
    private static final String[] BIG_NUMBERS = {
        "0", "1", "-1", "4294967296", "2147483648", "9223372036854775807", "18446744073709551616", "1e9", "0.5",
        "99999999999999999999999"};

    private final byte[][] seeds;

    /** @param seeds valid files to mutate (at least one) */
    public ByteMutator(byte[]... seeds) {
        if (seeds.length == 0) {
            throw new IllegalArgumentException("need at least one seed file");
        }
        this.seeds = seeds.clone();
    }

    /** One case: the bytes and what was done to make them. */
    public static final class Mutant {
        public final byte[] bytes;
        public final String edits;

        public Mutant(byte[] bytes, String edits) {
            this.bytes = bytes;
            this.edits = edits;
        }
    }

    /** The next case: random bytes (1 in 10) or one of the seeds with 1 to 6 edits. */
    public Mutant next(SplitMix64 random) {
        if (random.nextInt(10) == 0) {
            byte[] bytes = new byte[random.nextInt(random.nextBoolean() ? 64 : 4096)];
            for (int i = 0; i < bytes.length; i++) {
                bytes[i] = (byte) random.nextLong();
            }
            return new Mutant(bytes, "random " + bytes.length + " bytes");
        }
        int seed = random.nextInt(seeds.length);
        byte[] bytes = seeds[seed].clone();
        StringBuilder edits = new StringBuilder("seed " + seed + " (" + bytes.length + " bytes)");
        int count = 1 + random.nextInt(random.nextBoolean() ? 2 : 6);
        for (int e = 0; e < count; e++) {
            bytes = edit(bytes, random, edits);
        }
        return new Mutant(bytes, edits.toString());
    }

    private static byte[] edit(byte[] bytes, SplitMix64 random, StringBuilder edits) {
        int length = bytes.length;
        int at = length == 0 ? 0 : random.nextInt(length);
        // Favour the front: headers, where sizes and offsets live, are short.
        if (random.nextBoolean() && length > 0) {
            at = random.nextInt(Math.min(length, 64));
        }
        switch (random.nextInt(9)) {
            case 0:
                if (length == 0) {
                    return bytes;
                }
                int bit = random.nextInt(8);
                bytes[at] ^= (byte) (1 << bit);
                edits.append("; flip bit ").append(bit).append(" of byte ").append(at);
                return bytes;
            case 1:
                if (length == 0) {
                    return bytes;
                }
                bytes[at] = (byte) random.nextLong();
                edits.append("; byte ").append(at).append(" = ").append(bytes[at] & 0xFF);
                return bytes;
            case 2:
            case 3: {
                long value = boundary(random);
                boolean bigEndian = random.nextBoolean();
                int width = random.nextInt(4) == 0 ? 8 : 4;
                for (int i = 0; i < width && at + i < length; i++) {
                    int shift = 8 * (bigEndian ? width - 1 - i : i);
                    bytes[at + i] = (byte) (value >>> shift);
                }
                edits.append("; int").append(8 * width).append(bigEndian ? "be" : "le").append(" at ").append(at)
                    .append(" = ").append(value);
                return bytes;
            }
            case 4:
                edits.append("; truncate to ").append(at);
                return Arrays.copyOf(bytes, at);
            case 5: {
                int count = 1 + random.nextInt(random.nextBoolean() ? 4 : 512);
                byte[] inserted = new byte[length + count];
                System.arraycopy(bytes, 0, inserted, 0, at);
                for (int i = 0; i < count; i++) {
                    inserted[at + i] = (byte) random.nextLong();
                }
                System.arraycopy(bytes, at, inserted, at + count, length - at);
                edits.append("; insert ").append(count).append(" bytes at ").append(at);
                return inserted;
            }
            case 6: {
                int count = Math.min(length - at, 1 + random.nextInt(random.nextBoolean() ? 4 : 512));
                byte[] deleted = new byte[length - count];
                System.arraycopy(bytes, 0, deleted, 0, at);
                System.arraycopy(bytes, at + count, deleted, at, length - at - count);
                edits.append("; delete ").append(count).append(" bytes at ").append(at);
                return deleted;
            }
            case 7: {
                int count = Math.min(length - at, 1 + random.nextInt(256));
                byte[] doubled = new byte[length + count];
                System.arraycopy(bytes, 0, doubled, 0, at + count);
                System.arraycopy(bytes, at, doubled, at + count, length - at);
                edits.append("; duplicate ").append(count).append(" bytes at ").append(at);
                return doubled;
            }
            default:
                return replaceNumber(bytes, at, random, edits);
        }
    }

    private static long boundary(SplitMix64 random) {
        long value = BOUNDARIES[random.nextInt(BOUNDARIES.length)];
        switch (random.nextInt(4)) {
            case 0:
                return value + 1;
            case 1:
                return value - 1;
            default:
                return value;
        }
    }

    /** Replaces the first run of ASCII digits at or after {@code from} by a boundary number. */
    private static byte[] replaceNumber(byte[] bytes, int from, SplitMix64 random, StringBuilder edits) {
        int start = from;
        while (start < bytes.length && (bytes[start] < '0' || bytes[start] > '9')) {
            start++;
        }
        if (start == bytes.length) {
            return bytes;
        }
        int end = start;
        while (end < bytes.length && bytes[end] >= '0' && bytes[end] <= '9') {
            end++;
        }
        byte[] number = BIG_NUMBERS[random.nextInt(BIG_NUMBERS.length)].getBytes(java.nio.charset.StandardCharsets.US_ASCII);
        byte[] replaced = new byte[bytes.length - (end - start) + number.length];
        System.arraycopy(bytes, 0, replaced, 0, start);
        System.arraycopy(number, 0, replaced, start, number.length);
        System.arraycopy(bytes, end, replaced, start + number.length, bytes.length - end);
        edits.append("; number at ").append(start).append(" = ").append(new String(number,
            java.nio.charset.StandardCharsets.US_ASCII));
        return replaced;
    }
}
