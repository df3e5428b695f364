package dev.cnnc.runtime.interchange;

import dev.cnnc.runtime.ParameterTensor;
import dev.cnnc.runtime.TrainableModel;
import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.File;
import java.io.FileInputStream;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;

/**
 * Reads and writes a model's parameters in the
 * <a href="https://github.com/huggingface/safetensors">safetensors</a> format, PyTorch's common
 * interchange format. cnnc's parameter layout is PyTorch's {@code state_dict} layout, so a file is
 * a copy in both directions:
 *
 * <pre>{@code
 * # PyTorch -> cnnc: names must be the cnnc layer names (conv1.weight, conv1.bias, fc1.weight, ...)
 * from safetensors.torch import save_file
 * save_file({k: v.float().contiguous() for k, v in net.state_dict().items()}, "lenet.safetensors")
 * }</pre>
 * <pre>{@code
 * Safetensors.read(model, new File("lenet.safetensors"));   // cnnc <- PyTorch
 * Safetensors.write(model, new File("trained.safetensors")); // cnnc -> PyTorch: load_file(...)
 * }</pre>
 *
 * <p>Format: an 8-byte little-endian header length N, N bytes of UTF-8 JSON naming every tensor's
 * dtype, shape and {@code data_offsets} (relative to the data section, which follows the header),
 * then the data, little-endian. cnnc writes F32 tensors in the model's order and a
 * {@code __metadata__} of {@code format=pt}, {@code cnnc.fingerprint} and {@code cnnc.architecture}.
 *
 * <p>Reading is all-or-nothing: the file is checked completely (every tensor of the model present,
 * F32, with the right shape; no other tensor unless allowed; offsets that tile the data section
 * exactly; the data complete) into a temporary array, and only then copied into
 * {@link TrainableModel#parameters()}. On any defect a {@link SafetensorsFormatException} names the
 * tensor or byte offset and the model is unchanged. Sizes claimed by the header are checked against
 * the file before anything is allocated from them.
 */
public final class Safetensors {
    /** Metadata key of the model's fingerprint, 16 lowercase hex digits. */
    public static final String FINGERPRINT_KEY = "cnnc.fingerprint";
    /** Metadata key of the model's architecture text. */
    public static final String ARCHITECTURE_KEY = "cnnc.architecture";

    private Safetensors() {}

    /** Writes the model's parameters to {@code out} (which stays open). */
    public static void write(TrainableModel model, OutputStream out) throws IOException {
        SafetensorsWriter.write(model, out);
    }

    /**
     * Writes the model's parameters to {@code file} through a temporary file in the same directory
     * that is synced and then renamed over {@code file}: readers see the old file or the complete
     * new one, never half of it. (The rename replaces atomically on POSIX systems; where the
     * platform refuses to rename over an existing file, the old file is deleted first.)
     */
    public static void write(TrainableModel model, File file) throws IOException {
        File directory = file.getAbsoluteFile().getParentFile();
        File temporary;
        try {
            temporary = File.createTempFile(file.getName() + ".", ".tmp", directory);
        } catch (IOException e) {
            throw new IOException("cannot write " + file + ": no temporary file in " + directory + " (" + e.getMessage()
                    + ")", e);
        }
        boolean done = false;
        try {
            FileOutputStream stream = new FileOutputStream(temporary);
            try {
                OutputStream out = new BufferedOutputStream(stream, 1 << 16);
                SafetensorsWriter.write(model, out);
                out.flush();
                stream.getFD().sync();
            } finally {
                stream.close();
            }
            if (!temporary.renameTo(file) && !(file.delete() && temporary.renameTo(file))) {
                throw new IOException("cannot rename " + temporary + " to " + file);
            }
            done = true;
        } finally {
            if (!done && !temporary.delete() && temporary.exists()) {
                temporary.deleteOnExit();
            }
        }
    }

    /** {@link #read(TrainableModel, InputStream, SafetensorsOptions)} with {@link SafetensorsOptions#strict()}. */
    public static void read(TrainableModel model, InputStream in) throws IOException {
        read(model, in, SafetensorsOptions.strict());
    }

    /**
     * Loads the parameters from a stream positioned at the start of a safetensors file, reading it
     * to its end (bytes after the last tensor are an error). The stream stays open.
     *
     * @throws SafetensorsFormatException if the file does not fit the model; the model is unchanged
     */
    public static void read(TrainableModel model, InputStream in, SafetensorsOptions options) throws IOException {
        install(model, new SafetensorsReader(model, options, "safetensors stream").read(in, -1));
    }

    /** {@link #read(TrainableModel, File, SafetensorsOptions)} with {@link SafetensorsOptions#strict()}. */
    public static void read(TrainableModel model, File file) throws IOException {
        read(model, file, SafetensorsOptions.strict());
    }

    /**
     * Loads the parameters from a safetensors file.
     *
     * @throws java.io.FileNotFoundException if the file cannot be opened
     * @throws SafetensorsFormatException if the file does not fit the model (message starts with the
     *     file's path); the model is unchanged
     */
    public static void read(TrainableModel model, File file, SafetensorsOptions options) throws IOException {
        long length = file.length();
        InputStream in = new BufferedInputStream(new FileInputStream(file), 1 << 16);
        try {
            install(model, new SafetensorsReader(model, options, file.getPath()).read(in, length));
        } finally {
            in.close();
        }
    }

    /** The fingerprint as written to the metadata: 16 lowercase hex digits. */
    static String fingerprintText(long fingerprint) {
        String hex = Long.toHexString(fingerprint);
        return "0000000000000000".substring(hex.length()) + hex;
    }

    /** Copies each tensor's values into the live parameters: the only step that changes the model. */
    private static void install(TrainableModel model, float[] loaded) {
        float[] parameters = model.parameters();
        for (ParameterTensor tensor : model.tensors()) {
            System.arraycopy(loaded, tensor.offset(), parameters, tensor.offset(), tensor.length());
        }
    }
}
