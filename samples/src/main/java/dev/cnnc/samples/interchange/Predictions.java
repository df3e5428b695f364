package dev.cnnc.samples.interchange;

import java.io.BufferedReader;
import java.io.BufferedWriter;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One side's predictions on a set of images, as the interchange sample passes them between cnnc
 * and PyTorch ({@code samples/scripts/torch_interchange.py} reads and writes the same text).
 *
 * <p>{@code scores[i][c]} is the log-softmax score of class {@code c} for image {@code i}: the
 * difference of two scores is the difference of the two logits, whichever side computed them.
 * {@code predicted[i]} is the class the side itself chose (its first maximum).
 *
 * <p>File format, UTF-8 text:
 * <pre>
 * # comment lines
 * format cnnc-predictions 1
 * producer TEXT
 * inputs-sha256 HEX      (see {@link InputDigest}: both sides must have seen the same floats)
 * images N
 * classes K
 * INDEX PREDICTED S0 .. S(K-1)      N lines, INDEX = 0 .. N-1, scores as decimal floats
 * </pre>
 */
public record Predictions(String producer, String inputsSha256, int[] predicted, float[][] scores) {
    static final String FORMAT_LINE = "format cnnc-predictions 1";

    public Predictions {
        if (predicted.length != scores.length) {
            throw new IllegalArgumentException(predicted.length + " predicted classes but " + scores.length
                    + " score rows");
        }
        for (int i = 0; i < scores.length; i++) {
            if (scores[i].length != scores[0].length) {
                throw new IllegalArgumentException("score row " + i + " has " + scores[i].length + " classes, row 0 has "
                        + scores[0].length);
            }
            if (predicted[i] < 0 || predicted[i] >= scores[i].length) {
                throw new IllegalArgumentException("image " + i + ": predicted class " + predicted[i] + " is not one of "
                        + scores[i].length + " classes");
            }
        }
    }

    /**
     * Predictions from a classifier's probabilities (cnnc's generated inference returns softmax
     * outputs): the score is {@code ln p}, the prediction the first largest probability, as
     * {@code classify} chooses it.
     */
    public static Predictions fromProbabilities(String producer, String inputsSha256, float[][] probabilities) {
        int[] predicted = new int[probabilities.length];
        float[][] scores = new float[probabilities.length][];
        for (int i = 0; i < probabilities.length; i++) {
            float[] p = probabilities[i];
            int best = 0;
            scores[i] = new float[p.length];
            for (int c = 0; c < p.length; c++) {
                if (p[c] > p[best]) {
                    best = c;
                }
                scores[i][c] = (float) Math.log(p[c]);
            }
            predicted[i] = best;
        }
        return new Predictions(producer, inputsSha256, predicted, scores);
    }

    public int count() {
        return predicted.length;
    }

    public int classCount() {
        return scores.length == 0 ? 0 : scores[0].length;
    }

    /** Writes the file through a temporary file renamed into place. */
    public void write(Path file) throws IOException {
        Path directory = file.toAbsolutePath().getParent();
        Path temporary = Files.createTempFile(directory, file.getFileName() + ".", ".tmp");
        try {
            try (BufferedWriter out = Files.newBufferedWriter(temporary, StandardCharsets.UTF_8)) {
                out.write("# predictions: INDEX PREDICTED then the log-softmax score of each class\n");
                out.write(FORMAT_LINE + "\n");
                out.write("producer " + producer.replace('\n', ' ') + "\n");
                out.write("inputs-sha256 " + inputsSha256 + "\n");
                out.write("images " + count() + "\n");
                out.write("classes " + classCount() + "\n");
                StringBuilder line = new StringBuilder();
                for (int i = 0; i < count(); i++) {
                    line.setLength(0);
                    line.append(i).append(' ').append(predicted[i]);
                    for (float score : scores[i]) {
                        line.append(' ').append(score); // Float.toString reads back to the same float
                    }
                    out.write(line.append('\n').toString());
                }
            }
            Files.move(temporary, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } finally {
            Files.deleteIfExists(temporary);
        }
    }

    /**
     * Reads a predictions file.
     *
     * @throws IOException naming the file and line of the first defect
     */
    public static Predictions read(Path file) throws IOException {
        Map<String, String> header = new LinkedHashMap<>();
        List<Integer> classes = new ArrayList<>();
        List<float[]> rows = new ArrayList<>();
        int classCount = -1;
        if (!Files.isRegularFile(file)) {
            throw new NoSuchFileException(file.toString(), null, "no such predictions file");
        }
        try (BufferedReader in = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            int number = 0;
            for (String line = in.readLine(); line != null; line = in.readLine()) {
                number++;
                String text = line.strip();
                if (text.isEmpty() || text.startsWith("#")) {
                    continue;
                }
                String[] fields = text.split("\\s+");
                if (!Character.isDigit(fields[0].charAt(0))) {
                    if (!rows.isEmpty()) {
                        throw error(file, number, "expected INDEX PREDICTED and scores, found '" + text + "'");
                    }
                    if (header.isEmpty() && !text.equals(FORMAT_LINE)) {
                        throw error(file, number, "expected '" + FORMAT_LINE + "', found '" + text + "'");
                    }
                    header.put(fields[0], text.substring(fields[0].length()).strip());
                    continue;
                }
                if (classCount < 0) {
                    classCount = positive(header, "classes", file, number);
                }
                if (fields.length != 2 + classCount) {
                    throw error(file, number, "expected INDEX PREDICTED and " + classCount + " scores, found "
                            + fields.length + " fields");
                }
                int index = integer(fields[0], file, number, "index");
                if (index != rows.size()) {
                    throw error(file, number, "image index " + index + ", expected " + rows.size());
                }
                int predicted = integer(fields[1], file, number, "predicted class");
                if (predicted >= classCount) {
                    throw error(file, number, "predicted class " + predicted + " but there are " + classCount + " classes");
                }
                float[] scores = new float[classCount];
                for (int c = 0; c < classCount; c++) {
                    scores[c] = score(fields[2 + c], file, number);
                }
                classes.add(predicted);
                rows.add(scores);
            }
        }
        if (header.isEmpty()) {
            throw error(file, 0, "empty, expected '" + FORMAT_LINE + "'");
        }
        int images = positive(header, "images", file, 0);
        if (rows.size() != images) {
            throw error(file, 0, "its header says " + images + " images but " + rows.size() + " lines follow");
        }
        String digest = header.get("inputs-sha256");
        if (digest == null || !digest.matches("[0-9a-f]{64}")) {
            throw error(file, 0, "needs an 'inputs-sha256' line with 64 lowercase hex digits, found " + digest);
        }
        int[] predicted = new int[images];
        for (int i = 0; i < images; i++) {
            predicted[i] = classes.get(i);
        }
        return new Predictions(header.getOrDefault("producer", "unknown"), digest, predicted,
                rows.toArray(new float[0][]));
    }

    private static int positive(Map<String, String> header, String key, Path file, int line) throws IOException {
        String value = header.get(key);
        if (value == null) {
            throw error(file, line, "no '" + key + "' line before the predictions");
        }
        int number = integer(value, file, line, key);
        if (number <= 0) {
            throw error(file, line, key + " must be positive, is " + number);
        }
        return number;
    }

    private static int integer(String text, Path file, int line, String what) throws IOException {
        try {
            return Integer.parseInt(text);
        } catch (NumberFormatException e) {
            throw error(file, line, what + " '" + text + "' is not an integer");
        }
    }

    /** A decimal float; also Python's spellings of the infinities ({@code -inf}), as its repr writes them. */
    private static float score(String text, Path file, int line) throws IOException {
        switch (text) {
            case "-inf":
                return Float.NEGATIVE_INFINITY;
            case "inf":
                return Float.POSITIVE_INFINITY;
            default:
                try {
                    return Float.parseFloat(text);
                } catch (NumberFormatException e) {
                    throw error(file, line, "score '" + text + "' is not a number");
                }
        }
    }

    private static IOException error(Path file, int line, String message) {
        return new IOException(file + (line > 0 ? ":" + line : "") + ": " + message);
    }
}
