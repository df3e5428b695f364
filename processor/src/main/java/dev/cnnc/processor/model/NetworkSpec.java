package dev.cnnc.processor.model;

import java.util.List;

/**
 * A network as declared: {@code @Network(height, width, channels, params)} and its layers in source
 * order. {@code expectedParams < 0} means "not checked".
 */
public record NetworkSpec(String packageName, String simpleName, int height, int width, int channels,
                          long expectedParams, List<LayerSpec> layers) {

    public NetworkSpec {
        layers = List.copyOf(layers);
    }

    public String qualifiedName() {
        return packageName.isEmpty() ? simpleName : packageName + "." + simpleName;
    }
}
