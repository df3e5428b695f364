package dev.cnnc.processor.validate;

import dev.cnnc.Activation;
import dev.cnnc.Padding;
import dev.cnnc.processor.model.Axis;
import dev.cnnc.processor.model.LayerModel;
import dev.cnnc.processor.model.LayerModel.ConvLayer;
import dev.cnnc.processor.model.LayerModel.DenseLayer;
import dev.cnnc.processor.model.LayerModel.PoolLayer;
import dev.cnnc.processor.model.LayerSpec;
import dev.cnnc.processor.model.LayerSpec.ConvSpec;
import dev.cnnc.processor.model.LayerSpec.DenseSpec;
import dev.cnnc.processor.model.LayerSpec.PoolSpec;
import dev.cnnc.processor.model.NetworkModel;
import dev.cnnc.processor.model.NetworkSpec;
import dev.cnnc.processor.model.Shape;
import dev.cnnc.processor.model.SummaryTable;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.StringJoiner;

/**
 * Checks a declared network layer by layer and builds its model. Every layer is checked, so one
 * compile reports every broken layer; once a layer's shape cannot be computed, the layers after it
 * are still checked for their own attributes but not for shapes, which would only repeat the error.
 */
public final class NetworkValidator {
    /** The largest Java array a JVM reliably allocates. */
    static final long MAX_ARRAY = Integer.MAX_VALUE - 8;

    private final NetworkSpec spec;
    private final List<Diagnostic> diagnostics = new ArrayList<>();
    private final List<LayerModel> layers = new ArrayList<>();

    private NetworkValidator(NetworkSpec spec) {
        this.spec = spec;
    }

    public static ValidationReport validate(NetworkSpec spec) {
        return new NetworkValidator(spec).run();
    }

    private ValidationReport run() {
        Shape input = checkInput();
        if (spec.layers().isEmpty()) {
            error(Message.NO_LAYERS, Diagnostic.NETWORK, null, spec.simpleName());
            return report();
        }
        Shape shape = input;
        long paramOffset = 0;
        for (int index = 0; index < spec.layers().size(); index++) {
            LayerSpec layer = spec.layers().get(index);
            checkSoftmaxPlacement(index, layer);
            if (shape == null) {
                checkAttributesOnly(index, layer); // the input is unknown after an earlier error
                continue;
            }
            // checkLayer reports everything wrong with this layer itself, attributes included.
            LayerModel model = checkLayer(index, layer, shape, (int) Math.min(paramOffset, MAX_ARRAY));
            if (model == null) {
                shape = null;
                continue;
            }
            layers.add(model);
            paramOffset += model.params();
            if (paramOffset > MAX_ARRAY) {
                error(Message.TOO_LARGE, index, null, layer.name(), "the parameters up to " + layer.name(),
                        SummaryTable.grouped(paramOffset), SummaryTable.grouped(MAX_ARRAY), "fewer or smaller layers");
                shape = null;
                continue;
            }
            shape = model.output();
        }
        if (shape != null && input != null && !hasErrors()) {
            checkExpectedParams();
        }
        return report();
    }

    private Shape checkInput() {
        boolean ok = positiveNetworkValue("height", spec.height(), 32)
                & positiveNetworkValue("width", spec.width(), 32)
                & positiveNetworkValue("channels", spec.channels(), 3);
        if (!ok) {
            return null;
        }
        Shape input = Shape.image(spec.height(), spec.width(), spec.channels());
        if (input.size() > MAX_ARRAY) {
            error(Message.TOO_LARGE, Diagnostic.NETWORK, "height", spec.simpleName(), "an input of " + input,
                    SummaryTable.grouped(input.size()), SummaryTable.grouped(MAX_ARRAY), "fewer pixels");
            return null;
        }
        return input;
    }

    private boolean positiveNetworkValue(String attribute, int value, int example) {
        if (value >= 1) {
            return true;
        }
        error(Message.NETWORK_SIZE_NOT_POSITIVE, Diagnostic.NETWORK, attribute, spec.simpleName(), attribute, value,
                attribute, example);
        return false;
    }

    private void checkSoftmaxPlacement(int index, LayerSpec layer) {
        Activation activation = activationOf(layer);
        int lastIndex = spec.layers().size() - 1;
        if (activation == Activation.SOFTMAX && index != lastIndex) {
            String last = spec.layers().get(lastIndex).name();
            error(Message.SOFTMAX_NOT_LAST, index, "activation", layer.name(), last, last);
        }
    }

    private static Activation activationOf(LayerSpec layer) {
        if (layer instanceof ConvSpec conv) {
            return conv.activation();
        }
        if (layer instanceof DenseSpec dense) {
            return dense.activation();
        }
        return null;
    }

    /** Returns the layer's model, or null after reporting why its shape cannot be computed. */
    private LayerModel checkLayer(int index, LayerSpec layer, Shape input, int paramOffset) {
        if (layer instanceof ConvSpec conv) {
            return checkConv(index, conv, input, paramOffset);
        }
        if (layer instanceof PoolSpec pool) {
            return checkPool(index, pool, input, paramOffset);
        }
        return checkDense(index, (DenseSpec) layer, input, paramOffset);
    }

    /** After an earlier shape error: only what can be checked without the input shape. */
    private void checkAttributesOnly(int index, LayerSpec layer) {
        String unknown = "unknown after an earlier error";
        if (layer instanceof ConvSpec conv) {
            positive(index, conv.name(), unknown, "filters", conv.filters(), 6);
            positive(index, conv.name(), unknown, "kernel", conv.kernel(), 3);
            positive(index, conv.name(), unknown, "stride", conv.stride(), 1);
        } else if (layer instanceof PoolSpec pool) {
            positivePoolValues(index, pool, unknown);
        } else if (layer instanceof DenseSpec dense) {
            positive(index, dense.name(), unknown, "units", dense.units(), 10);
        }
    }

    private LayerModel checkConv(int index, ConvSpec conv, Shape input, int paramOffset) {
        if (!requireImage(index, conv.name(), "Conv", input)) {
            checkAttributesOnly(index, conv);
            return null;
        }
        boolean ok = positive(index, conv.name(), input.toString(), "filters", conv.filters(), 6)
                & positive(index, conv.name(), input.toString(), "kernel", conv.kernel(), 3)
                & positive(index, conv.name(), input.toString(), "stride", conv.stride(), 1);
        if (!ok) {
            return null;
        }
        Axis rows = conv.padding() == Padding.SAME
                ? Axis.same(input.height(), conv.kernel(), conv.stride())
                : Axis.valid(input.height(), conv.kernel(), conv.stride());
        Axis cols = conv.padding() == Padding.SAME
                ? Axis.same(input.width(), conv.kernel(), conv.stride())
                : Axis.valid(input.width(), conv.kernel(), conv.stride());
        if (!rows.fits() || !cols.fits()) {
            error(Message.KERNEL_TOO_LARGE, index, "kernel", conv.name(), conv.kernel(), conv.kernel(), input,
                    conv.padding(), Math.max(rows.output(), 0), Math.max(cols.output(), 0),
                    convFix(index, conv, input) + " (" + path(index) + ")");
            return null;
        }
        Shape output = Shape.image(rows.output(), cols.output(), conv.filters());
        long weights = (long) conv.filters() * input.channels() * conv.kernel() * conv.kernel();
        if (output.size() > MAX_ARRAY || weights > MAX_ARRAY) {
            error(Message.TOO_LARGE, index, "filters", conv.name(), "this layer",
                    SummaryTable.grouped(Math.max(output.size(), weights)), SummaryTable.grouped(MAX_ARRAY),
                    "fewer filters or a smaller kernel");
            return null;
        }
        if (conv.padding() == Padding.VALID) {
            Shape sameOutput = Shape.image(Axis.same(input.height(), conv.kernel(), conv.stride()).output(),
                    Axis.same(input.width(), conv.kernel(), conv.stride()).output(), conv.filters());
            warnUnused(index, conv.name(), "stride", input, rows, cols,
                    "padding = SAME would use them (output " + sameOutput + ")");
        }
        return new ConvLayer(conv.name(), input, output, paramOffset, conv.filters(), rows, cols, conv.padding(),
                conv.activation());
    }

    /** The fixes for a kernel that does not fit, e.g. "use padding = SAME, a kernel of at most 4, or remove pool1". */
    private String convFix(int index, ConvSpec conv, Shape input) {
        List<String> options = new ArrayList<>();
        if (conv.padding() == Padding.VALID) {
            options.add("padding = SAME");
        }
        options.add("a kernel of at most " + Math.min(input.height(), input.width()));
        if (index > 0 && spec.layers().get(index - 1) instanceof PoolSpec previous) {
            options.add("remove " + previous.name());
        }
        return "use " + alternatives(options);
    }

    /** {@code a}, {@code a or b}, {@code a, b, or c}. */
    private static String alternatives(List<String> options) {
        if (options.size() <= 2) {
            return String.join(" or ", options);
        }
        return String.join(", ", options.subList(0, options.size() - 1)) + ", or " + options.get(options.size() - 1);
    }

    private LayerModel checkPool(int index, PoolSpec pool, Shape input, int paramOffset) {
        if (!requireImage(index, pool.name(), "Pool", input)) {
            checkAttributesOnly(index, pool);
            return null;
        }
        if (!positivePoolValues(index, pool, input.toString())) {
            return null;
        }
        Axis rows = Axis.valid(input.height(), pool.size(), pool.stride());
        Axis cols = Axis.valid(input.width(), pool.size(), pool.stride());
        if (!rows.fits() || !cols.fits()) {
            int smallest = Math.min(input.height(), input.width());
            String fix = "use size <= " + smallest;
            if (index > 0 && spec.layers().get(index - 1) instanceof PoolSpec previous) {
                fix += " or remove " + previous.name();
            }
            error(Message.POOL_TOO_LARGE, index, "size", pool.name(), pool.size(), pool.size(), input,
                    Math.max(rows.output(), 0), Math.max(cols.output(), 0), fix + " (" + path(index) + ")");
            return null;
        }
        warnUnused(index, pool.name(), pool.stride() == pool.size() ? "size" : "stride", input, rows, cols,
                "a size or stride that divides " + (rows.unused() > 0 ? rows.input() - rows.kernel()
                        : cols.input() - cols.kernel()) + " would use them");
        Shape output = Shape.image(rows.output(), cols.output(), input.channels());
        return new PoolLayer(pool.name(), input, output, paramOffset, pool.kind(), rows, cols);
    }

    /**
     * Size, then stride. The stride defaults to the size, so a stride equal to a bad size is that
     * default (or the same mistake) and is not reported a second time.
     */
    private boolean positivePoolValues(int index, PoolSpec pool, String input) {
        boolean sizeOk = positive(index, pool.name(), input, "size", pool.size(), 2);
        if (!sizeOk && pool.stride() == pool.size()) {
            return false;
        }
        return positive(index, pool.name(), input, "stride", pool.stride(), sizeOk ? pool.size() : 2) && sizeOk;
    }

    private LayerModel checkDense(int index, DenseSpec dense, Shape input, int paramOffset) {
        if (!positive(index, dense.name(), input.toString(), "units", dense.units(), 10)) {
            return null;
        }
        long weights = (long) dense.units() * input.size();
        if (weights > MAX_ARRAY) {
            error(Message.TOO_LARGE, index, "units", dense.name(), "its weight matrix " + dense.units() + " x "
                    + input.size(), SummaryTable.grouped(weights), SummaryTable.grouped(MAX_ARRAY),
                    "fewer units or a smaller input (add a pooling layer before it)");
            return null;
        }
        return new DenseLayer(dense.name(), input, Shape.vector(dense.units()), paramOffset, dense.units(),
                dense.activation());
    }

    private boolean requireImage(int index, String name, String kind, Shape input) {
        if (!input.flat()) {
            return true;
        }
        String previous = spec.layers().get(index - 1).name();
        String firstDense = previous;
        for (LayerSpec layer : spec.layers()) {
            if (layer instanceof DenseSpec) {
                firstDense = layer.name();
                break;
            }
        }
        error(Message.NEEDS_IMAGE, index, null, name, kind, previous, input.channels(), name, firstDense);
        return false;
    }

    private boolean positive(int index, String layer, String input, String attribute, int value, int example) {
        if (value >= 1) {
            return true;
        }
        error(Message.VALUE_NOT_POSITIVE, index, attribute, layer, attribute, value, input, attribute, example);
        return false;
    }

    private void warnUnused(int index, String layer, String attribute, Shape input, Axis rows, Axis cols,
                            String fix) {
        if (rows.unused() == 0 && cols.unused() == 0) {
            return;
        }
        List<String> parts = new ArrayList<>();
        if (rows.unused() > 0) {
            parts.add(rows.unused() + (rows.unused() == 1 ? " row" : " rows"));
        }
        if (cols.unused() > 0) {
            parts.add(cols.unused() + (cols.unused() == 1 ? " column" : " columns"));
        }
        Axis axis = rows.unused() > 0 ? rows : cols;
        diagnostics.add(new Diagnostic(Message.STRIDE_LEAVES_INPUT_UNUSED, index, attribute,
                Message.STRIDE_LEAVES_INPUT_UNUSED.format(layer, axis.stride(), String.join(" and ", parts), input,
                        axis.input(), axis.kernel(), axis.stride(), axis.output(), axis.lastWindowEnd(),
                        axis.paddedInput(), fix)));
    }

    private void checkExpectedParams() {
        NetworkModel network = model();
        long expected = spec.expectedParams();
        if (expected < 0 || expected == network.params()) {
            return;
        }
        StringJoiner breakdown = new StringJoiner(", ");
        for (LayerModel layer : network.layers()) {
            breakdown.add(layer.name() + " " + SummaryTable.grouped(layer.params())
                    + (layer.formula().isEmpty() ? "" : " = " + layer.formula()));
        }
        long difference = network.params() - expected;
        String differenceText = difference > 0 ? SummaryTable.grouped(difference) + " more"
                : SummaryTable.grouped(-difference) + " fewer";
        error(Message.PARAMS_MISMATCH, Diagnostic.NETWORK, "params", spec.simpleName(),
                SummaryTable.grouped(network.params()), differenceText, javaLiteral(expected), breakdown,
                javaLiteral(network.params()));
    }

    /** A count as the user would write it in source: {@code 62_006}. */
    private static String javaLiteral(long value) {
        return SummaryTable.grouped(value).replace(',', '_');
    }

    /**
     * The Dagger-style path to a layer: {@code conv2 <- pool1 14x14x6 <- conv1 28x28x6 <- input 32x32x3}.
     * Called while every layer before {@code index} is in {@link #layers}.
     */
    private String path(int index) {
        StringBuilder path = new StringBuilder(spec.layers().get(index).name());
        for (int i = layers.size() - 1; i >= 0; i--) {
            path.append(" <- ").append(layers.get(i).name()).append(' ').append(layers.get(i).output());
        }
        return path.append(" <- input ").append(spec.height()).append('x').append(spec.width()).append('x')
                .append(spec.channels()).toString();
    }

    private void error(Message message, int layer, String attribute, Object... args) {
        diagnostics.add(new Diagnostic(message, layer, attribute, message.format(args)));
    }

    private boolean hasErrors() {
        return diagnostics.stream().anyMatch(Diagnostic::isError);
    }

    private NetworkModel model() {
        return new NetworkModel(spec.packageName(), spec.simpleName(),
                Shape.image(spec.height(), spec.width(), spec.channels()), layers);
    }

    private ValidationReport report() {
        boolean valid = !hasErrors() && !layers.isEmpty() && layers.size() == spec.layers().size();
        return new ValidationReport(valid ? Optional.of(model()) : Optional.empty(), diagnostics);
    }
}
