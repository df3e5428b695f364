package dev.cnnc.processor.emit;

import dev.cnnc.Activation;
import dev.cnnc.Padding;
import dev.cnnc.PoolKind;
import dev.cnnc.runtime.SplitMix64;

/**
 * Random {@code @Network} declarations for fuzzing the processor. Valid ones follow the DSL's
 * documented shape rules (DESIGN.md), computed here independently of the processor: VALID output
 * {@code floor((n - f) / s) + 1}, SAME output {@code ceil(n / s)}, pool output
 * {@code floor((n - size) / stride) + 1}, SOFTMAX only last, no conv or pool after a dense. An
 * invalid one breaks exactly one rule at a known layer, and says which message and line it expects.
 */
final class RandomNetworks {
    private static final Activation[] HIDDEN = {Activation.LINEAR, Activation.RELU, Activation.SIGMOID, Activation.TANH};
    /** Line of layer 0 in {@link NetworkSource#text()}: package, blank, import, blank, @Network, class. */
    static final int FIRST_LAYER_LINE = 7;
    static final int NETWORK_LINE = 5;

    private RandomNetworks() {
    }

    /** An invalid declaration with the line and text of the error it must produce first. */
    record Broken(NetworkSource source, int line, String expected, String rule) {
    }

    /** The shape a valid prefix has reached: an image (height, width, channels) or a flat vector. */
    private static final class Shape {
        int height;
        int width;
        int channels;
        boolean flat;
    }

    /** A valid network of 1 to 5 layers on an input of at most 12x12x3. */
    static NetworkSource valid(String name, SplitMix64 random) {
        Shape shape = input(random);
        NetworkSource source = NetworkSource.network(name, shape.height, shape.width, shape.channels);
        int hidden = random.nextInt(4);
        for (int i = 0; i < hidden; i++) {
            addValidLayer(source, shape, random);
        }
        source.dense(2 + random.nextInt(4), random.nextInt(3) == 0 ? HIDDEN[random.nextInt(HIDDEN.length)]
                : Activation.SOFTMAX);
        return source;
    }

    /** A network with one broken rule at a random place. */
    static Broken broken(String name, SplitMix64 random) {
        Shape shape = input(random);
        int rule = random.nextInt(6);
        if (rule == 5) {
            int height = -random.nextInt(3);
            NetworkSource source = NetworkSource.network(name, height, shape.width, shape.channels).dense(3,
                    Activation.SOFTMAX);
            return new Broken(source, NETWORK_LINE, name + ": @Network height = " + height + " must be at least 1",
                    "input size not positive");
        }
        NetworkSource source = NetworkSource.network(name, shape.height, shape.width, shape.channels);
        int before = random.nextInt(3);
        for (int i = 0; i < before; i++) {
            addValidLayer(source, shape, random);
        }
        int index = before;
        String layer;
        String expected;
        String ruleName;
        switch (rule) {
            case 0: {
                if (shape.flat) {
                    return broken(name, random);
                }
                int kernel = Math.min(shape.height, shape.width) + 1 + random.nextInt(3);
                source.conv(1 + random.nextInt(3), kernel, 1 + random.nextInt(2), Padding.VALID, Activation.RELU);
                layer = "conv" + (index + 1);
                expected = layer + ": kernel " + kernel + "x" + kernel + " does not fit the";
                ruleName = "kernel larger than its input";
                break;
            }
            case 1: {
                if (shape.flat) {
                    return broken(name, random);
                }
                int size = Math.min(shape.height, shape.width) + 1 + random.nextInt(3);
                source.pool(random.nextBoolean() ? PoolKind.MAX : PoolKind.AVG, size, 0);
                layer = "pool" + (index + 1);
                expected = layer + ": pool window " + size + "x" + size + " does not fit the";
                ruleName = "pool window larger than its input";
                break;
            }
            case 2: {
                int value = -random.nextInt(3);
                if (shape.flat || random.nextBoolean()) {
                    source.dense(value, Activation.RELU);
                    layer = "fc" + (index + 1);
                    expected = layer + ": units = " + value + " must be at least 1";
                } else {
                    String[] attributes = {"filters", "kernel", "stride"};
                    String attribute = attributes[random.nextInt(3)];
                    source.conv(attribute.equals("filters") ? value : 2, attribute.equals("kernel") ? value : 1,
                            attribute.equals("stride") ? value : 1, Padding.VALID, Activation.RELU);
                    layer = "conv" + (index + 1);
                    expected = layer + ": " + attribute + " = " + value + " must be at least 1";
                }
                ruleName = "layer value not positive";
                break;
            }
            case 3: {
                source.dense(1 + random.nextInt(5), Activation.SOFTMAX);
                layer = "fc" + (index + 1);
                expected = layer + ": SOFTMAX is only allowed on the last layer";
                ruleName = "SOFTMAX before the last layer";
                break;
            }
            default: {
                source.dense(1 + random.nextInt(5), Activation.RELU);
                index++;
                shape.flat = true;
                if (random.nextBoolean()) {
                    source.conv(2, 1, 1, Padding.VALID, Activation.RELU);
                    layer = "conv" + (index + 1);
                    expected = layer + ": @Conv needs an image input";
                } else {
                    source.pool(PoolKind.MAX, 1, 0);
                    layer = "pool" + (index + 1);
                    expected = layer + ": @Pool needs an image input";
                }
                ruleName = "conv or pool after a dense";
                break;
            }
        }
        if (rule != 3) {
            source.dense(2 + random.nextInt(3), Activation.SOFTMAX);
        } else {
            source.dense(2, Activation.LINEAR);
        }
        return new Broken(source, FIRST_LAYER_LINE + index, expected, ruleName);
    }

    private static Shape input(SplitMix64 random) {
        Shape shape = new Shape();
        shape.height = 1 + random.nextInt(12);
        shape.width = 1 + random.nextInt(12);
        shape.channels = 1 + random.nextInt(3);
        return shape;
    }

    /** Appends a conv, pool or dense that fits {@code shape}, and advances the shape. */
    private static void addValidLayer(NetworkSource source, Shape shape, SplitMix64 random) {
        int smallest = Math.min(shape.height, shape.width);
        int kind = shape.flat ? 9 : random.nextInt(10);
        if (kind < 6) {
            int filters = 1 + random.nextInt(4);
            int stride = 1 + random.nextInt(3);
            Activation activation = HIDDEN[random.nextInt(HIDDEN.length)];
            if (random.nextBoolean()) {
                int kernel = 1 + random.nextInt(5);
                source.conv(filters, kernel, stride, Padding.SAME, activation);
                shape.height = (shape.height + stride - 1) / stride;
                shape.width = (shape.width + stride - 1) / stride;
            } else {
                int kernel = 1 + random.nextInt(Math.min(smallest, 5));
                source.conv(filters, kernel, stride, Padding.VALID, activation);
                shape.height = (shape.height - kernel) / stride + 1;
                shape.width = (shape.width - kernel) / stride + 1;
            }
            shape.channels = filters;
        } else if (kind < 8) {
            int size = 1 + random.nextInt(Math.min(smallest, 3));
            int step = random.nextBoolean() ? size : 1 + random.nextInt(3);
            source.pool(random.nextBoolean() ? PoolKind.MAX : PoolKind.AVG, size, step);
            shape.height = (shape.height - size) / step + 1;
            shape.width = (shape.width - size) / step + 1;
        } else {
            source.dense(1 + random.nextInt(8), HIDDEN[random.nextInt(HIDDEN.length)]);
            shape.flat = true;
        }
    }
}
