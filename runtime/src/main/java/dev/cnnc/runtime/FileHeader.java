package dev.cnnc.runtime;

import java.io.IOException;

/**
 * The header shared by weights files and checkpoints:
 * <pre>
 *   magic        5 bytes  "CNNCW" (weights) or "CNNCK" (checkpoint)
 *   version      int32
 *   fingerprint  int64    TrainableModel.fingerprint()
 *   name         int32 length + UTF-8
 *   architecture int32 length + UTF-8  (so a mismatch can show both networks)
 *   count        int32    number of parameters
 * </pre>
 * All little-endian. The header is parsed before the checksum is known, so {@link #checkFits} must
 * only be called after the checksum was verified.
 */
final class FileHeader {
    static final byte[] WEIGHTS_MAGIC = {'C', 'N', 'N', 'C', 'W'};
    static final byte[] CHECKPOINT_MAGIC = {'C', 'N', 'N', 'C', 'K'};
    private static final int MAX_TEXT_BYTES = 1 << 20;

    final long fingerprint;
    final String name;
    final String architecture;
    final int parameterCount;

    private FileHeader(long fingerprint, String name, String architecture, int parameterCount) {
        this.fingerprint = fingerprint;
        this.name = name;
        this.architecture = architecture;
        this.parameterCount = parameterCount;
    }

    static void write(CheckedOutput out, byte[] magic, int version, TrainableModel model) throws IOException {
        out.writeBytes(magic);
        out.writeInt(version);
        out.writeLong(model.fingerprint());
        out.writeString(model.name());
        out.writeString(model.architecture());
        out.writeInt(model.parameterCount());
    }

    /**
     * Reads and checks magic and version, then the model fields.
     *
     * @param kind "weights file" or "checkpoint", for messages
     */
    static FileHeader read(CheckedInput in, byte[] magic, int version, String kind) throws IOException {
        byte[] found = readMagic(in, kind);
        if (!java.util.Arrays.equals(found, magic)) {
            byte[] other = magic == WEIGHTS_MAGIC ? CHECKPOINT_MAGIC : WEIGHTS_MAGIC;
            if (java.util.Arrays.equals(found, other)) {
                throw in.error("is a cnnc " + (other == WEIGHTS_MAGIC ? "weights file" : "checkpoint")
                        + ", not a " + kind + " (load it with "
                        + (other == WEIGHTS_MAGIC ? "WeightsFile.load" : "Checkpoint.load") + ")");
            }
            throw in.error("not a cnnc " + kind + ": wrong magic bytes " + hex(found) + " at byte offset 0, expected "
                    + hex(magic) + " (\"" + new String(magic, CheckedOutput.UTF_8) + "\")");
        }
        int foundVersion = in.readInt("the format version");
        if (foundVersion != version) {
            throw in.error("unsupported " + kind + " format version " + foundVersion + " (this cnnc reads version "
                    + version + ")");
        }
        long fingerprint = in.readLong("the model fingerprint");
        String name = in.readString("model name", MAX_TEXT_BYTES);
        String architecture = in.readString("model architecture", MAX_TEXT_BYTES);
        int count = in.readCount("parameter count", Integer.MAX_VALUE / 4);
        return new FileHeader(fingerprint, name, architecture, count);
    }

    private static byte[] readMagic(CheckedInput in, String kind) throws IOException {
        try {
            return in.readBytes(WEIGHTS_MAGIC.length, "the magic bytes");
        } catch (WeightsFormatException e) {
            throw in.error("not a cnnc " + kind + ": shorter than its " + WEIGHTS_MAGIC.length + " magic bytes");
        }
    }

    /** Refuses a file written for another network; call only after the checksum was verified. */
    void checkFits(TrainableModel model, CheckedInput in) throws WeightsFormatException {
        if (fingerprint != model.fingerprint()) {
            throw in.error("holds the parameters of another network:\n  file:  " + name
                    + String.format(" (fingerprint %016x)", fingerprint) + "\n         " + indent(architecture)
                    + "\n  model: " + model.name() + String.format(" (fingerprint %016x)", model.fingerprint())
                    + "\n         " + indent(model.architecture()));
        }
        if (parameterCount != model.parameterCount()) {
            throw in.error("holds " + parameterCount + " parameters but " + model.name() + " has "
                    + model.parameterCount() + " (same fingerprint " + String.format("%016x", fingerprint)
                    + ": the file or the model's generator is inconsistent)");
        }
    }

    private static String indent(String text) {
        return text.replace("\n", "\n         ");
    }

    private static String hex(byte[] bytes) {
        StringBuilder text = new StringBuilder();
        for (byte value : bytes) {
            if (text.length() > 0) {
                text.append(' ');
            }
            text.append(String.format("%02X", value & 0xFF));
        }
        return text.toString();
    }
}
