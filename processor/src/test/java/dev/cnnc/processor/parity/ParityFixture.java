package dev.cnnc.processor.parity;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One PyTorch reference sample for a parity network, read from the test resources
 * {@code parity/NAME.txt} (manifest) and {@code parity/NAME.f32} (little-endian float32 arrays),
 * which {@code samples/scripts/make_parity_fixtures.py} writes; that script's docstring describes
 * the format.
 *
 * <p>The reference is computed in float64 from float32 inputs and weights and rounded to float32,
 * so a float32 implementation differs from it only by its own rounding. A parity test loads
 * {@link #params()} into the generated model, runs {@code forward} on {@link #input()} and
 * {@code gradient} with {@link #label()} into a zeroed array, and compares with {@link #output()},
 * {@link #loss()} and {@link #grad()} ({@link #describeParameter} names a failing index). A float32
 * implementation should land within about {@code 1e-5 + 1e-4 * |expected|} on outputs and loss;
 * gradients accumulate more rounding, so compare them against {@code 1e-4 * max|grad|} plus a
 * relative {@code 1e-3}. The manifests' margins guarantee no ReLU or max-pool decision is closer
 * than {@code 1e-4} to flipping.
 *
 * @param name         the fixture's name, e.g. {@code cifar_lenet-0}
 * @param network      the simple name of the {@code @Network} class in {@link ParityNetworks}
 * @param architecture the network as cnnc's architecture text described it when the fixture was made
 * @param channels     input channels (C of CHW)
 * @param height       input rows
 * @param width        input columns
 * @param label        the class whose cross-entropy loss and gradient are given
 * @param loss         softmax cross-entropy of the sample (see {@link #output()} for what is softmaxed)
 * @param tensors      the {@code state_dict} tensors in {@link #params()}, in order
 * @param input        {@code C * H * W} values in CHW order
 * @param params       the flat parameters in cnnc's (PyTorch's state_dict) layout
 * @param output       probabilities if the last layer is SOFTMAX, else the last layer's raw outputs
 * @param grad         d loss / d params, same layout
 * @param margins      per kink kind ({@code relu}, {@code maxpool}), the smallest distance from a kink
 *                     in this sample; {@code Double.POSITIVE_INFINITY} when the network has none
 */
record ParityFixture(String name, String network, String architecture, int channels, int height, int width,
        int label, float loss, List<Tensor> tensors, float[] input, float[] params, float[] output, float[] grad,
        Map<String, Double> margins) {

    /** The resource folder of the fixtures. */
    static final String FOLDER = "/parity/";

    /** One named tensor of the flat parameters: {@code conv1.weight [6, 3, 5, 5]} at offset 0. */
    record Tensor(String name, int[] shape, int offset) {
        int length() {
            int length = 1;
            for (int dimension : shape) {
                length *= dimension;
            }
            return length;
        }

        @Override
        public String toString() {
            return name + " " + Arrays.toString(shape) + " @" + offset;
        }
    }

    /** The names listed in {@code parity/index.txt}, in order. */
    static List<String> names() {
        List<String> names = new ArrayList<>();
        for (String line : lines(resource("index.txt"))) {
            if (!line.isBlank() && !line.startsWith("#")) {
                names.add(line.strip());
            }
        }
        return names;
    }

    /** Reads {@code parity/NAME.txt} and {@code parity/NAME.f32}. */
    static ParityFixture load(String name) {
        return parse(name, lines(resource(name + ".txt")), resource(name + ".f32"));
    }

    /**
     * Builds a fixture from a manifest's lines and the bytes of its {@code .f32} file.
     *
     * @throws IllegalArgumentException naming the file and line, or the sizes that disagree
     */
    static ParityFixture parse(String name, List<String> manifest, byte[] data) {
        String file = name + ".txt";
        Map<String, String> single = new LinkedHashMap<>();
        List<Tensor> tensors = new ArrayList<>();
        Map<String, Integer> arrays = new LinkedHashMap<>();
        Map<String, Double> margins = new LinkedHashMap<>();
        for (int i = 0; i < manifest.size(); i++) {
            String line = manifest.get(i);
            if (line.isBlank() || line.startsWith("#")) {
                continue;
            }
            String where = file + " line " + (i + 1);
            int space = line.indexOf(' ');
            if (space < 0) {
                throw new IllegalArgumentException(where + ": expected 'key value', found '" + line + "'");
            }
            String key = line.substring(0, space);
            String value = line.substring(space + 1);
            String[] words = value.split(" ");
            switch (key) {
                case "tensor" -> tensors.add(new Tensor(words[0], dims(words, where), integer(words, 2, where)));
                case "array" -> arrays.put(words[0], integer(words, 1, where));
                case "margin" -> margins.put(words[0], margin(words, where));
                default -> {
                    if (single.put(key, value) != null) {
                        throw new IllegalArgumentException(where + ": second '" + key + "' line");
                    }
                }
            }
        }
        String[] inputShape = required(single, "input_shape", file).split(" ");
        Map<String, float[]> values = arrays(arrays, data, name);
        return new ParityFixture(required(single, "fixture", file), required(single, "network", file),
                required(single, "architecture", file), integer(inputShape, 0, file + " input_shape"),
                integer(inputShape, 1, file + " input_shape"), integer(inputShape, 2, file + " input_shape"),
                Integer.parseInt(required(single, "label", file)),
                Float.parseFloat(required(single, "loss", file).split(" ")[0]), List.copyOf(tensors),
                array(values, "input", name), array(values, "params", name), array(values, "output", name),
                array(values, "grad", name), Map.copyOf(margins));
    }

    /** Names a flat parameter index: {@code conv2.weight[3, 1, 4, 0] (flat 1234)}. */
    String describeParameter(int index) {
        for (Tensor tensor : tensors) {
            if (index >= tensor.offset() && index < tensor.offset() + tensor.length()) {
                int[] position = new int[tensor.shape().length];
                int rest = index - tensor.offset();
                for (int d = position.length - 1; d >= 0; d--) {
                    position[d] = rest % tensor.shape()[d];
                    rest /= tensor.shape()[d];
                }
                return tensor.name() + Arrays.toString(position) + " (flat " + index + ")";
            }
        }
        return "flat index " + index + " (in no tensor)";
    }

    /** Number of classes: the length of {@link #output()}. */
    int classes() {
        return output.length;
    }

    @Override
    public String toString() {
        return name + " (" + network + ", label " + label + ", " + params.length + " parameters)";
    }

    /** Splits the little-endian float32 data into the arrays the manifest lists, in order. */
    private static Map<String, float[]> arrays(Map<String, Integer> counts, byte[] data, String name) {
        long expectedBytes = 0;
        for (int count : counts.values()) {
            expectedBytes += 4L * count;
        }
        if (expectedBytes != data.length) {
            throw new IllegalArgumentException(name + ".f32 has " + data.length + " bytes, but the arrays "
                    + counts + " of " + name + ".txt need " + expectedBytes);
        }
        ByteBuffer buffer = ByteBuffer.wrap(data).order(ByteOrder.LITTLE_ENDIAN);
        Map<String, float[]> arrays = new LinkedHashMap<>();
        for (Map.Entry<String, Integer> entry : counts.entrySet()) {
            float[] values = new float[entry.getValue()];
            buffer.asFloatBuffer().get(values);
            buffer.position(buffer.position() + 4 * values.length);
            arrays.put(entry.getKey(), values);
        }
        return arrays;
    }

    private static float[] array(Map<String, float[]> arrays, String key, String name) {
        float[] values = arrays.get(key);
        if (values == null) {
            throw new IllegalArgumentException(name + ".txt has no 'array " + key + " COUNT' line");
        }
        return values;
    }

    private static String required(Map<String, String> single, String key, String file) {
        String value = single.get(key);
        if (value == null) {
            throw new IllegalArgumentException(file + " has no '" + key + "' line");
        }
        return value;
    }

    private static double margin(String[] words, String where) {
        if (words.length != 2) {
            throw new IllegalArgumentException(where + ": expected 'margin KIND VALUE'");
        }
        try {
            return words[1].equals("none") ? Double.POSITIVE_INFINITY : Double.parseDouble(words[1]);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(where + ": '" + words[1] + "' is not a number");
        }
    }

    private static int[] dims(String[] words, String where) {
        if (words.length != 3) {
            throw new IllegalArgumentException(where + ": expected 'tensor NAME D,D,.. OFFSET'");
        }
        String[] parts = words[1].split(",");
        int[] dims = new int[parts.length];
        for (int i = 0; i < parts.length; i++) {
            dims[i] = integer(parts, i, where);
        }
        return dims;
    }

    private static int integer(String[] words, int index, String where) {
        if (index >= words.length) {
            throw new IllegalArgumentException(where + ": missing value " + (index + 1));
        }
        try {
            return Integer.parseInt(words[index]);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(where + ": '" + words[index] + "' is not an integer");
        }
    }

    private static List<String> lines(byte[] text) {
        return List.of(new String(text, StandardCharsets.UTF_8).split("\n"));
    }

    private static byte[] resource(String file) {
        try (InputStream in = ParityFixture.class.getResourceAsStream(FOLDER + file)) {
            if (in == null) {
                throw new IllegalArgumentException("no test resource " + FOLDER + file
                        + " (run samples/scripts/make_parity_fixtures.py)");
            }
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            in.transferTo(out);
            return out.toByteArray();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + FOLDER + file, e);
        }
    }
}
