package dev.cnnc.runtime.data;

import java.io.BufferedReader;
import java.io.File;
import java.io.FileInputStream;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStreamWriter;
import java.io.Writer;

/**
 * Per-channel standardization {@code x' = (x - mean[c]) / std[c]}, with mean and standard deviation
 * measured on the training set and then applied unchanged to every set (validation, test, single
 * images at prediction time), as torchvision's {@code Normalize} does with the training statistics.
 *
 * <p>The numbers travel as one line of text, {@link #toString()} / {@link #parse(String)}, e.g.
 * {@code mean=0.2860402 std=0.3530239} (per-channel values separated by commas), or as a small file
 * ({@link #save(File)} / {@link #load(File)}), so {@code predict} can normalize exactly as training
 * did. Values print with {@link Float#toString(float)}, which parses back to the same float.
 *
 * <p>Immutable and thread-safe.
 */
public final class Normalization {
    private final float[] mean;
    private final float[] std;

    /**
     * @param mean per-channel mean
     * @param std  per-channel standard deviation, each positive
     */
    public Normalization(float[] mean, float[] std) {
        if (mean.length == 0 || mean.length != std.length) {
            throw new IllegalArgumentException("need one mean and one std per channel, got " + mean.length
                + " means and " + std.length + " stds");
        }
        for (int c = 0; c < std.length; c++) {
            if (!(std[c] > 0) || Float.isInfinite(std[c]) || Float.isNaN(mean[c]) || Float.isInfinite(mean[c])) {
                throw new IllegalArgumentException("channel " + c + ": mean " + mean[c] + " and std " + std[c]
                    + " must be finite and std positive");
            }
        }
        this.mean = mean.clone();
        this.std = std.clone();
    }

    /** Measures the per-channel mean and standard deviation of {@code images}; see {@link #fit(float[], int, int)}. */
    public static Normalization fit(LabeledImages set) {
        return fit(set.images(), set.channels(), set.height() * set.width());
    }

    /**
     * Measures the per-channel mean and population standard deviation (divided by the number of
     * values, not n - 1) over all images, in double precision and two passes (mean first, then the
     * squared deviations) so large sets lose no accuracy. A channel whose values are all equal gets
     * std 1, so normalizing it only subtracts the mean instead of dividing by zero.
     *
     * @param images    whole images in CHW order, one after the other
     * @param channels  planes per image
     * @param planeSize {@code height * width}
     */
    public static Normalization fit(float[] images, int channels, int planeSize) {
        int imageSize = channels * planeSize;
        if (channels <= 0 || planeSize <= 0 || images.length == 0 || images.length % imageSize != 0) {
            throw new IllegalArgumentException(images.length + " floats are not a whole, non-zero number of "
                + channels + "-channel images of " + planeSize + " pixels");
        }
        int count = images.length / imageSize;
        double[] sums = new double[channels];
        for (int image = 0; image < count; image++) {
            for (int c = 0; c < channels; c++) {
                int start = image * imageSize + c * planeSize;
                double sum = 0;
                for (int i = start; i < start + planeSize; i++) {
                    sum += images[i];
                }
                sums[c] += sum;
            }
        }
        double valuesPerChannel = (double) count * planeSize;
        float[] mean = new float[channels];
        float[] std = new float[channels];
        for (int c = 0; c < channels; c++) {
            double channelMean = sums[c] / valuesPerChannel;
            double squares = 0;
            for (int image = 0; image < count; image++) {
                int start = image * imageSize + c * planeSize;
                for (int i = start; i < start + planeSize; i++) {
                    double deviation = images[i] - channelMean;
                    squares += deviation * deviation;
                }
            }
            double deviation = Math.sqrt(squares / valuesPerChannel);
            mean[c] = (float) channelMean;
            std[c] = deviation > 0 && (float) deviation > 0 ? (float) deviation : 1f;
        }
        return new Normalization(mean, std);
    }

    public int channels() {
        return mean.length;
    }

    /** A copy of the per-channel means. */
    public float[] mean() {
        return mean.clone();
    }

    /** A copy of the per-channel standard deviations. */
    public float[] std() {
        return std.clone();
    }

    /** Normalizes every image of {@code set} in place. */
    public void apply(LabeledImages set) {
        apply(set.images(), set.height() * set.width());
    }

    /**
     * Normalizes whole CHW images in place: {@code x = (x - mean[c]) / std[c]}.
     *
     * @param images    images of {@link #channels()} planes of {@code planeSize} floats, one after the other
     * @param planeSize {@code height * width}
     */
    public void apply(float[] images, int planeSize) {
        int imageSize = channels() * planeSize;
        if (planeSize <= 0 || images.length % imageSize != 0) {
            throw new IllegalArgumentException(images.length + " floats are not a whole number of " + channels()
                + "-channel images of " + planeSize + " pixels");
        }
        for (int offset = 0; offset < images.length; offset += imageSize) {
            applyToImage(images, offset, planeSize);
        }
    }

    /** Normalizes the one CHW image that starts at {@code images[offset]}, in place. */
    public void applyToImage(float[] images, int offset, int planeSize) {
        for (int c = 0; c < mean.length; c++) {
            float channelMean = mean[c];
            float channelStd = std[c];
            int start = offset + c * planeSize;
            for (int i = start; i < start + planeSize; i++) {
                images[i] = (images[i] - channelMean) / channelStd;
            }
        }
    }

    /** One line: {@code mean=m0,m1,m2 std=s0,s1,s2}; {@link #parse(String)} reads it back exactly. */
    @Override
    public String toString() {
        return "mean=" + join(mean) + " std=" + join(std);
    }

    /**
     * Reads the form {@link #toString()} writes.
     *
     * @throws IllegalArgumentException quoting the text if it is not of that form
     */
    public static Normalization parse(String text) {
        String[] parts = text.trim().split("\\s+");
        if (parts.length != 2 || !parts[0].startsWith("mean=") || !parts[1].startsWith("std=")) {
            throw new IllegalArgumentException("not a normalization \"" + text
                + "\"; expected \"mean=m0,m1,... std=s0,s1,...\"");
        }
        try {
            return new Normalization(floats(parts[0].substring(5)), floats(parts[1].substring(4)));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("not a normalization \"" + text + "\": " + e.getMessage(), e);
        }
    }

    /**
     * Writes the one-line form, after a comment line, to {@code file}: first to a temporary file
     * beside it, then renamed, so a crash never leaves a half-written file.
     */
    public void save(File file) throws IOException {
        File directory = file.getAbsoluteFile().getParentFile();
        File temporary = File.createTempFile(file.getName() + ".", ".tmp", directory);
        boolean done = false;
        try {
            Writer out = new OutputStreamWriter(new FileOutputStream(temporary), "UTF-8");
            try {
                out.write("# cnnc per-channel normalization of the training set: x' = (x - mean[c]) / std[c]\n");
                out.write(toString());
                out.write('\n');
            } finally {
                out.close();
            }
            // File.renameTo replaces the target on POSIX systems but not on Windows.
            if (!temporary.renameTo(file) && !(file.delete() && temporary.renameTo(file))) {
                throw new IOException(file.getPath() + ": could not rename " + temporary.getName() + " to it");
            }
            done = true;
        } finally {
            if (!done) {
                temporary.delete();
            }
        }
    }

    /**
     * Reads a file written by {@link #save(File)}: the first line that is neither blank nor a
     * {@code #} comment.
     *
     * @throws DataFileException naming the file if it holds no valid normalization
     */
    public static Normalization load(File file) throws IOException {
        BufferedReader reader = new BufferedReader(new InputStreamReader(new FileInputStream(file), "UTF-8"));
        try {
            for (String line = reader.readLine(); line != null; line = reader.readLine()) {
                String content = line.trim();
                if (content.length() == 0 || content.startsWith("#")) {
                    continue;
                }
                try {
                    return parse(content);
                } catch (IllegalArgumentException e) {
                    throw new DataFileException(file, DataFileException.NO_OFFSET, e.getMessage());
                }
            }
        } finally {
            reader.close();
        }
        throw new DataFileException(file, DataFileException.NO_OFFSET, "holds no \"mean=... std=...\" line");
    }

    private static String join(float[] values) {
        StringBuilder text = new StringBuilder();
        for (int i = 0; i < values.length; i++) {
            text.append(i == 0 ? "" : ",").append(Float.toString(values[i]));
        }
        return text.toString();
    }

    private static float[] floats(String commaSeparated) {
        String[] items = commaSeparated.split(",", -1);
        float[] values = new float[items.length];
        for (int i = 0; i < items.length; i++) {
            values[i] = Float.parseFloat(items[i]);
        }
        return values;
    }
}
