package dev.cnnc.processor.model;

import dev.cnnc.Activation;
import dev.cnnc.Padding;
import dev.cnnc.PoolKind;

/** One layer exactly as the user declared it, before any shape is known. */
public sealed interface LayerSpec {

    /** The field name: names the layer in the summary, in messages and in weight files. */
    String name();

    /** {@code @Conv(filters, kernel, stride, padding, activation)}. */
    record ConvSpec(String name, int filters, int kernel, int stride, Padding padding, Activation activation)
            implements LayerSpec {}

    /** {@code @Pool(kind, size, stride)}; {@code stride} is already resolved ({@code 0} means {@code size}). */
    record PoolSpec(String name, PoolKind kind, int size, int stride) implements LayerSpec {}

    /** {@code @Dense(units, activation)}. */
    record DenseSpec(String name, int units, Activation activation) implements LayerSpec {}
}
