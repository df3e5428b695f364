package dev.cnnc.benchmarks;

import dev.cnnc.runtime.ParameterTensor;
import dev.cnnc.runtime.TrainableModel;
import java.util.Locale;

/**
 * Prints, for every benchmarked network, the floating-point operations per image that turn a measured
 * rate into GFLOP/s, one JSON object per line:
 * <ul>
 *   <li>{@code forward}: the processor's count from the generated summary ("Forward FLOPs per image":
 *       2 per multiply-add of every convolution and dense layer, plus the pooling comparisons);</li>
 *   <li>{@code training}: forward + backward = 3 x forward - the first layer's FLOPs. The backward pass
 *       of a layer costs two forwards of it (gradient of the weights and of the input), except that
 *       the first layer needs no input gradient. An estimate (activations and pooling are counted
 *       as in the forward pass), the same rule as the PyTorch peer's documentation uses.</li>
 * </ul>
 * Run: {@code java -cp ... dev.cnnc.benchmarks.FlopsPerImage} (compare-peers.sh does).
 */
public final class FlopsPerImage {
    private FlopsPerImage() {
    }

    public static void main(String[] args) {
        for (BenchmarkNetwork network : BenchmarkNetwork.values()) {
            TrainableModel model = network.newModel();
            long forward = forwardFlops(model.summary());
            long first = firstLayerFlops(model);
            System.out.printf(Locale.ROOT, "{\"network\": \"%s\", \"forward\": %d, \"first_layer\": %d, \"training\": %d}%n",
                    network.peerName, forward, first, 3 * forward - first);
        }
    }

    static long forwardFlops(String summary) {
        String label = "Forward FLOPs per image:";
        for (String line : summary.split("\n")) {
            if (line.startsWith(label)) {
                return Long.parseLong(line.substring(label.length()).trim().replace(",", ""));
            }
        }
        throw new IllegalArgumentException("the summary has no '" + label + "' line:\n" + summary);
    }

    /**
     * 2 x (output values) x (weights per output) of the first layer: the output size is the first
     * {@code -> HxWxC} (or {@code -> N}) of the architecture, the weights per output the product of
     * the first weight tensor's dimensions after the first.
     */
    static long firstLayerFlops(TrainableModel model) {
        String architecture = model.architecture();
        int arrow = architecture.indexOf("->");
        int end = architecture.indexOf(';', arrow);
        String shape = architecture.substring(arrow + 2, end < 0 ? architecture.length() : end).trim();
        long outputs = 1;
        for (String dimension : shape.split("x")) {
            outputs *= Long.parseLong(dimension);
        }
        ParameterTensor weight = model.tensors()[0];
        long perOutput = 1;
        int[] dimensions = weight.shape();
        for (int i = 1; i < dimensions.length; i++) {
            perOutput *= dimensions[i];
        }
        return 2 * outputs * perOutput;
    }
}
