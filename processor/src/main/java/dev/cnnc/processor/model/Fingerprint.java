package dev.cnnc.processor.model;

import java.nio.charset.StandardCharsets;

/**
 * The identity of an architecture. Two builds of the same declaration (whatever the compiler, the
 * order of elements it reports, or the machine) agree on it; any change of layer order, kind,
 * attribute or shape changes it, so weights trained for one network are refused by another.
 */
public final class Fingerprint {
    private static final long FNV_OFFSET = 0xcbf29ce484222325L;
    private static final long FNV_PRIME = 0x100000001b3L;

    private Fingerprint() {}

    /** E.g. {@code input 32x32x3; conv1 conv f6 k5 s1 VALID RELU -> 28x28x6; ...}. */
    public static String architecture(NetworkModel network) {
        StringBuilder text = new StringBuilder("input ").append(network.input());
        for (LayerModel layer : network.layers()) {
            text.append("; ").append(layer.name()).append(' ');
            if (layer instanceof LayerModel.ConvLayer conv) {
                text.append("conv f").append(conv.filters()).append(" k").append(conv.kernel())
                        .append(" s").append(conv.stride()).append(' ').append(conv.padding())
                        .append(' ').append(conv.activation());
            } else if (layer instanceof LayerModel.PoolLayer pool) {
                text.append("pool ").append(pool.kind()).append(" k").append(pool.size())
                        .append(" s").append(pool.stride());
            } else if (layer instanceof LayerModel.DenseLayer dense) {
                text.append("dense u").append(dense.units()).append(' ').append(dense.activation());
            }
            text.append(" -> ").append(layer.output());
        }
        return text.toString();
    }

    /** FNV-1a, 64 bits, over the UTF-8 bytes: simple enough to recompute anywhere. */
    public static long hash(String text) {
        long hash = FNV_OFFSET;
        for (byte b : text.getBytes(StandardCharsets.UTF_8)) {
            hash ^= b & 0xff;
            hash *= FNV_PRIME;
        }
        return hash;
    }
}
