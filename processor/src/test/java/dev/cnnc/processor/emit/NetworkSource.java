package dev.cnnc.processor.emit;

import dev.cnnc.Activation;
import dev.cnnc.Padding;
import dev.cnnc.PoolKind;
import dev.cnnc.processor.model.LayerSpec;
import dev.cnnc.processor.model.NetworkModel;
import dev.cnnc.processor.model.NetworkSpec;
import dev.cnnc.processor.validate.NetworkValidator;
import dev.cnnc.processor.validate.ValidationReport;
import java.util.ArrayList;
import java.util.List;

/**
 * Builds a network declaration once and gives both its Java source (for the processor) and its
 * validated model (for the double-precision reference), so the two cannot drift apart.
 */
final class NetworkSource {
    private final String simpleName;
    private final int height;
    private final int width;
    private final int channels;
    private final List<LayerSpec> layers = new ArrayList<>();

    private NetworkSource(String simpleName, int height, int width, int channels) {
        this.simpleName = simpleName;
        this.height = height;
        this.width = width;
        this.channels = channels;
    }

    static NetworkSource network(String simpleName, int height, int width, int channels) {
        return new NetworkSource(simpleName, height, width, channels);
    }

    NetworkSource conv(int filters, int kernel, int stride, Padding padding, Activation activation) {
        layers.add(new LayerSpec.ConvSpec("conv" + (layers.size() + 1), filters, kernel, stride, padding, activation));
        return this;
    }

    NetworkSource pool(PoolKind kind, int size, int stride) {
        layers.add(new LayerSpec.PoolSpec("pool" + (layers.size() + 1), kind, size, stride));
        return this;
    }

    NetworkSource dense(int units, Activation activation) {
        layers.add(new LayerSpec.DenseSpec("fc" + (layers.size() + 1), units, activation));
        return this;
    }

    String qualifiedName() {
        return "test." + simpleName;
    }

    NetworkSpec spec() {
        return new NetworkSpec("test", simpleName, height, width, channels, -1, layers);
    }

    NetworkModel model() {
        ValidationReport report = NetworkValidator.validate(spec());
        return report.network().orElseThrow(() -> new AssertionError(report.diagnostics().toString()));
    }

    String text() {
        StringBuilder source = new StringBuilder("package test;\n\nimport dev.cnnc.*;\n\n");
        source.append("@Network(height = ").append(height).append(", width = ").append(width)
                .append(", channels = ").append(channels).append(")\n");
        source.append("final class ").append(simpleName).append(" {\n");
        for (LayerSpec layer : layers) {
            source.append("    ");
            if (layer instanceof LayerSpec.ConvSpec conv) {
                source.append("@Conv(filters = ").append(conv.filters()).append(", kernel = ").append(conv.kernel())
                        .append(", stride = ").append(conv.stride()).append(", padding = Padding.")
                        .append(conv.padding()).append(", activation = Activation.").append(conv.activation())
                        .append(")");
            } else if (layer instanceof LayerSpec.PoolSpec pool) {
                source.append("@Pool(kind = PoolKind.").append(pool.kind()).append(", size = ").append(pool.size())
                        .append(", stride = ").append(pool.stride()).append(")");
            } else if (layer instanceof LayerSpec.DenseSpec dense) {
                source.append("@Dense(units = ").append(dense.units()).append(", activation = Activation.")
                        .append(dense.activation()).append(")");
            }
            source.append(" Layer ").append(layer.name()).append(";\n");
        }
        return source.append("}\n").toString();
    }

    @Override
    public String toString() {
        return simpleName + " " + spec().layers();
    }
}
