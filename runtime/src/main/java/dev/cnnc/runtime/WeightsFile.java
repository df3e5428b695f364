package dev.cnnc.runtime;

import java.io.File;
import java.io.FileInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;

/**
 * Saves and loads a model's parameters.
 *
 * <p>Format (version 1, little-endian): the {@code FileHeader} (magic {@code "CNNCW"}, version,
 * model fingerprint, name, architecture, parameter count), then the parameters as float32 in
 * {@link TrainableModel#parameters()} order (PyTorch's {@code state_dict} layout), then the CRC32 of
 * all preceding bytes.
 *
 * <p>Safety: {@link #save(TrainableModel, File)} writes a temporary file next to the target and
 * renames it, so a crash leaves the old file intact. {@link #load(TrainableModel, File)} reads and
 * checks the whole file into a temporary array before it copies anything into the model; on any
 * defect it throws {@link WeightsFormatException} naming the file and the problem, and the model is
 * unchanged.
 */
public final class WeightsFile {
    static final int VERSION = 1;
    private static final String KIND = "weights file";

    private WeightsFile() {
    }

    /** Writes the model's parameters to {@code file} atomically. */
    public static void save(final TrainableModel model, File file) throws IOException {
        AtomicFile.write(file, out -> save(model, out));
    }

    /** Writes the model's parameters to {@code out} (not closed). */
    public static void save(TrainableModel model, OutputStream out) throws IOException {
        CheckedOutput checked = new CheckedOutput(out);
        FileHeader.write(checked, FileHeader.WEIGHTS_MAGIC, VERSION, model);
        checked.writeFloats(model.parameters());
        checked.finish();
    }

    /**
     * Loads parameters from {@code file} into the model.
     *
     * @throws WeightsFormatException if the file is not a weights file of this network or is damaged;
     *                                the model is then unchanged
     */
    public static void load(TrainableModel model, File file) throws IOException {
        InputStream in = new FileInputStream(file);
        try {
            load(model, in, file.getPath());
        } finally {
            in.close();
        }
    }

    /**
     * Loads parameters from a stream that holds exactly one weights file (read to its end, not closed).
     *
     * @param sourceName names the stream in error messages
     */
    public static void load(TrainableModel model, InputStream in, String sourceName) throws IOException {
        float[] loaded = read(model, new CheckedInput(in, sourceName));
        float[] parameters = model.parameters();
        System.arraycopy(loaded, 0, parameters, 0, parameters.length);
    }

    private static float[] read(TrainableModel model, CheckedInput in) throws IOException {
        FileHeader header = FileHeader.read(in, FileHeader.WEIGHTS_MAGIC, VERSION, KIND);
        float[] values = null;
        if (header.parameterCount == model.parameterCount()) {
            values = new float[header.parameterCount];
            in.readFloats(values, "the parameters");
        } else {
            in.skipFloats(header.parameterCount, "the parameters"); // still verify the checksum first
        }
        in.verifyChecksumAndEnd();
        header.checkFits(model, in);
        return values;
    }
}
