package dev.cnnc.runtime;

import java.io.File;
import java.io.FileInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;

/**
 * Everything needed to continue a training run exactly: the parameters, the optimizer state, the
 * number of completed epochs, the shuffling generator's state and the history. Training resumed
 * from a checkpoint is bitwise identical to a run that was never interrupted (same data, batch
 * size, optimizer settings, schedule and epoch count).
 *
 * <p>Format (version 1, little-endian): the {@code FileHeader} (magic {@code "CNNCK"}, version,
 * fingerprint, name, architecture, parameter count), completed epochs (int32), generator state
 * (int64), optimizer kind (string), steps (int64), buffer count (int32) and each buffer's floats
 * (int32 length + float32s), the history (int32 epochs, 6 float64 per epoch), the parameters, and
 * the CRC32 of all preceding bytes. Written atomically like {@link WeightsFile}.
 */
public final class Checkpoint {
    static final int VERSION = 1;
    private static final String KIND = "checkpoint";

    private final int epoch;
    private final float[] parameters;
    private final OptimizerState optimizer;
    private final long randomState;
    private final History history;

    Checkpoint(int epoch, float[] parameters, OptimizerState optimizer, long randomState, History history) {
        this.epoch = epoch;
        this.parameters = parameters;
        this.optimizer = optimizer;
        this.randomState = randomState;
        this.history = history;
    }

    /** Number of completed epochs; training resumes with this (0-based) epoch. */
    public int epoch() {
        return epoch;
    }

    /** A copy of the saved parameters. */
    public float[] parameters() {
        return parameters.clone();
    }

    public OptimizerState optimizerState() {
        return optimizer;
    }

    /** A copy of the history up to {@link #epoch()}. */
    public History history() {
        return history.copy();
    }

    long randomState() {
        return randomState;
    }

    /** Writes a checkpoint of {@code model} to {@code file} atomically. */
    static void save(final TrainableModel model, final Checkpoint checkpoint, File file) throws IOException {
        AtomicFile.write(file, out -> checkpoint.writeTo(model, out));
    }

    void writeTo(TrainableModel model, OutputStream out) throws IOException {
        CheckedOutput checked = new CheckedOutput(out);
        FileHeader.write(checked, FileHeader.CHECKPOINT_MAGIC, VERSION, model);
        checked.writeInt(epoch);
        checked.writeLong(randomState);
        checked.writeString(optimizer.kind());
        checked.writeLong(optimizer.steps());
        checked.writeInt(optimizer.bufferCount());
        for (int i = 0; i < optimizer.bufferCount(); i++) {
            float[] buffer = optimizer.buffer(i);
            checked.writeInt(buffer.length);
            checked.writeFloats(buffer);
        }
        history.write(checked);
        checked.writeFloats(parameters);
        checked.finish();
    }

    /**
     * Reads and fully checks a checkpoint written for {@code model}; the model is not changed.
     *
     * @throws WeightsFormatException if the file is damaged or belongs to another network
     */
    public static Checkpoint load(File file, TrainableModel model) throws IOException {
        InputStream in = new FileInputStream(file);
        try {
            return load(in, file.getPath(), model);
        } finally {
            in.close();
        }
    }

    /** As {@link #load(File, TrainableModel)} from a stream holding exactly one checkpoint. */
    public static Checkpoint load(InputStream stream, String sourceName, TrainableModel model) throws IOException {
        CheckedInput in = new CheckedInput(stream, sourceName);
        FileHeader header = FileHeader.read(in, FileHeader.CHECKPOINT_MAGIC, VERSION, KIND);
        int count = header.parameterCount;
        int epoch = in.readCount("epoch", Integer.MAX_VALUE);
        long randomState = in.readLong("the generator state");
        String kind = in.readString("optimizer kind", 64);
        long steps = in.readLong("the optimizer step count");
        int bufferCount = in.readCount("optimizer buffer count", 8);
        // Allocate only for this model's size: an unverified count from another file must not
        // allocate gigabytes; the data of a foreign file is only read through the checksum.
        boolean fits = count == model.parameterCount();
        float[][] buffers = new float[bufferCount][];
        for (int i = 0; i < bufferCount; i++) {
            int length = in.readCount("length of optimizer buffer " + i, count);
            buffers[i] = new float[fits ? length : 0];
            if (fits) {
                in.readFloats(buffers[i], "optimizer buffer " + i);
            } else {
                in.skipFloats(length, "optimizer buffer " + i);
            }
        }
        History history = History.read(in);
        float[] parameters = new float[fits ? count : 0];
        if (fits) {
            in.readFloats(parameters, "the parameters");
        } else {
            in.skipFloats(count, "the parameters");
        }
        in.verifyChecksumAndEnd();
        header.checkFits(model, in);
        for (int i = 0; i < bufferCount; i++) {
            if (buffers[i].length != count) {
                throw in.error("optimizer buffer " + i + " holds " + buffers[i].length + " values, expected " + count);
            }
        }
        if (history.epochs() != epoch) {
            throw in.error("history holds " + history.epochs() + " epochs but the checkpoint is after epoch " + epoch);
        }
        return new Checkpoint(epoch, parameters, new OptimizerState(kind, steps, buffers), randomState, history);
    }
}
