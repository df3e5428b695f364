package dev.cnnc.processor.validate;

import static dev.cnnc.processor.NetworkSources.summaryRow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.cnnc.Activation;
import dev.cnnc.Padding;
import dev.cnnc.PoolKind;
import dev.cnnc.processor.model.LayerModel;
import dev.cnnc.processor.model.LayerSpec;
import dev.cnnc.processor.model.LayerSpec.ConvSpec;
import dev.cnnc.processor.model.LayerSpec.DenseSpec;
import dev.cnnc.processor.model.LayerSpec.PoolSpec;
import dev.cnnc.processor.model.NetworkModel;
import dev.cnnc.processor.model.NetworkSpec;
import dev.cnnc.processor.model.Shape;
import dev.cnnc.processor.model.SummaryTable;
import java.util.List;
import java.util.stream.Collectors;
import javax.tools.Diagnostic.Kind;
import org.junit.jupiter.api.Test;

/**
 * The seed's examples and the validator's findings on plain {@link NetworkSpec}s: no javac, no
 * {@code javax.lang.model}, just the arithmetic and the messages.
 */
class NetworkValidatorTest {

    @Test
    void twentyFiltersOfThreeByThreeByThreeHave560Params() {
        NetworkModel network = valid(spec(6, 6, 3, conv("conv1", 20, 3)));
        assertEquals(560, network.params());
        assertEquals(Shape.image(4, 4, 20), network.output());
        assertEquals("(3x3x3 + 1) x 20", network.last().formula());
    }

    @Test
    void twoValidConvolutionsShrinkSixBySixByThreeToTwoByTwoByFive() {
        NetworkModel network = valid(spec(6, 6, 3, conv("conv1", 4, 3), conv("conv2", 5, 3)));
        LayerModel first = network.layers().get(0);
        LayerModel second = network.layers().get(1);
        assertEquals(Shape.image(4, 4, 4), first.output());
        assertEquals(112, first.params());
        assertEquals(Shape.image(2, 2, 5), second.output());
        assertEquals(185, second.params());
        assertEquals(112, second.paramOffset(), "conv2's weights follow conv1's 112 parameters");
        assertEquals(297, network.params());
    }

    @Test
    void seedStrideTwoGivesThirtyByThirtyBySixAndOnlyAWarning() {
        ValidationReport report = NetworkValidator.validate(spec(64, 64, 3,
                new ConvSpec("conv1", 6, 5, 2, Padding.VALID, Activation.RELU)));
        NetworkModel network = report.network().orElseThrow(() -> new AssertionError(report.diagnostics()));
        assertEquals(Shape.image(30, 30, 6), network.output());
        assertEquals(456, network.params());
        assertEquals(1, report.diagnostics().size(), report.diagnostics().toString());
        Diagnostic warning = report.diagnostics().get(0);
        assertEquals(Message.STRIDE_LEAVES_INPUT_UNUSED, warning.message());
        assertEquals(Kind.WARNING, warning.kind());
        assertEquals(0, warning.layerIndex());
        assertEquals("stride", warning.attribute());
        assertEquals("conv1: stride 2 leaves 1 row and 1 column of the 64x64x3 input unused "
                + "(floor((64 - 5) / 2) + 1 = 30 positions, the last ends at 63 of 64); "
                + "padding = SAME would use them (output 32x32x6)", warning.text());
    }

    @Test
    void leNetHas62006ParamsLayerByLayer() {
        NetworkModel network = valid(leNet(62_006));
        List<String> shapes = network.layers().stream().map(layer -> layer.output().toString())
                .collect(Collectors.toList());
        List<Integer> params = network.layers().stream().map(LayerModel::params).collect(Collectors.toList());
        List<Integer> offsets = network.layers().stream().map(LayerModel::paramOffset).collect(Collectors.toList());
        assertEquals(List.of("28x28x6", "14x14x6", "10x10x16", "5x5x16", "120", "84", "10"), shapes);
        assertEquals(List.of(456, 0, 2416, 0, 48120, 10164, 850), params);
        assertEquals(List.of(0, 456, 456, 2872, 2872, 50992, 61156), offsets);
        assertEquals(62_006, network.params());
    }

    @Test
    void leNetSummaryMatchesTheLectureRowByRow() {
        String summary = SummaryTable.render(valid(leNet(62_006)));
        assertEquals(List.of("input (Input)", "(32, 32, 3)", "0"), summaryRow(summary, "input"));
        assertEquals(List.of("conv1 (Conv2D)", "5x5x3x6", "(28, 28, 6)", "456", "(5x5x3 + 1) x 6"),
                summaryRow(summary, "conv1"));
        assertEquals(List.of("pool1 (MaxPool2D)", "2x2", "(14, 14, 6)", "0"), summaryRow(summary, "pool1"));
        assertEquals(List.of("conv2 (Conv2D)", "5x5x6x16", "(10, 10, 16)", "2416", "(5x5x6 + 1) x 16"),
                summaryRow(summary, "conv2"));
        assertEquals(List.of("pool2 (MaxPool2D)", "2x2", "(5, 5, 16)", "0"), summaryRow(summary, "pool2"));
        assertEquals(List.of("fc1 (Dense)", "5x5x16 = 400", "120", "48120", "(400 + 1) x 120"),
                summaryRow(summary, "fc1"));
        assertEquals(List.of("fc2 (Dense)", "120", "84", "10164", "(120 + 1) x 84"), summaryRow(summary, "fc2"));
        assertEquals(List.of("output (Dense)", "84", "10", "850", "(84 + 1) x 10"), summaryRow(summary, "output"));
        assertTrue(summary.contains("Total params: 62,006 "), summary);
    }

    @Test
    void maxPoolingSixBySixWithSizeThreeGivesTwoByTwo() {
        NetworkModel network = valid(spec(6, 6, 1, new PoolSpec("pool", PoolKind.MAX, 3, 3)));
        assertEquals(Shape.image(2, 2, 1), network.output());
        assertEquals(0, network.params());
        assertEquals("MaxPool2D", network.last().typeName());
    }

    @Test
    void averagePoolingSixBySixByThreeWithSizeThreeGivesTwoByTwoByThree() {
        NetworkModel network = valid(spec(6, 6, 3, new PoolSpec("pool", PoolKind.AVG, 3, 3)));
        assertEquals(Shape.image(2, 2, 3), network.output());
        assertEquals(0, network.params());
        assertEquals("AvgPool2D", network.last().typeName());
    }

    @Test
    void sameConvolutionKeepsSixBySix() {
        NetworkModel network = valid(spec(6, 6, 1, new ConvSpec("conv1", 2, 3, 1, Padding.SAME, Activation.RELU)));
        assertEquals(Shape.image(6, 6, 2), network.output());
        assertEquals(20, network.params());
    }

    @Test
    void kernelLargerThanInputIsAnErrorOnTheKernelNamingThePath() {
        ValidationReport report = NetworkValidator.validate(spec(12, 12, 3,
                conv("conv1", 6, 5), new PoolSpec("pool1", PoolKind.MAX, 2, 2), conv("conv2", 6, 5)));
        assertTrue(report.network().isEmpty(), "no model after an error");
        Diagnostic error = single(report);
        assertEquals(Message.KERNEL_TOO_LARGE, error.message());
        assertEquals(2, error.layerIndex());
        assertEquals("kernel", error.attribute());
        assertEquals("conv2: kernel 5x5 does not fit the 4x4x6 input (padding VALID gives a 0x0 output); "
                + "use padding = SAME, a kernel of at most 4, or remove pool1 "
                + "(conv2 <- pool1 4x4x6 <- conv1 8x8x6 <- input 12x12x3)", error.text());
    }

    @Test
    void everyBrokenLayerIsReportedOnce() {
        ValidationReport report = NetworkValidator.validate(spec(8, 8, 1,
                conv("conv1", 0, 3),
                new PoolSpec("pool1", PoolKind.MAX, -2, -3),
                new DenseSpec("fc1", 0, Activation.RELU),
                new DenseSpec("out", 10, Activation.SOFTMAX)));
        List<String> found = report.diagnostics().stream()
                .map(diagnostic -> diagnostic.layerIndex() + " " + diagnostic.attribute())
                .collect(Collectors.toList());
        assertEquals(List.of("0 filters", "1 size", "1 stride", "2 units"), found);
        assertTrue(report.diagnostics().stream().allMatch(Diagnostic::isError), report.diagnostics().toString());
    }

    @Test
    void paramsMismatchShowsBothCountsAndEveryLayer() {
        Diagnostic error = single(NetworkValidator.validate(leNet(62_000)));
        assertEquals(Message.PARAMS_MISMATCH, error.message());
        assertEquals(Diagnostic.NETWORK, error.layerIndex());
        assertEquals("params", error.attribute());
        assertEquals("LeNet has 62,006 parameters, 6 more than @Network(params = 62_000) expects; per layer: "
                + "conv1 456 = (5x5x3 + 1) x 6, pool1 0, conv2 2,416 = (5x5x6 + 1) x 16, pool2 0, "
                + "fc1 48,120 = (400 + 1) x 120, fc2 10,164 = (120 + 1) x 84, output 850 = (84 + 1) x 10; "
                + "set params = 62_006 or change the layers", error.text());
    }

    @Test
    void networkWithoutLayersIsAnErrorOnTheNetwork() {
        Diagnostic error = single(NetworkValidator.validate(spec(8, 8, 1)));
        assertEquals(Message.NO_LAYERS, error.message());
        assertEquals(Diagnostic.NETWORK, error.layerIndex());
    }

    @Test
    void fingerprintChangesWhenTwoLayersSwap() {
        NetworkModel convFirst = valid(spec(8, 8, 1, conv("a", 4, 3), conv("b", 4, 3)));
        NetworkModel swapped = valid(spec(8, 8, 1, conv("b", 4, 3), conv("a", 4, 3)));
        assertEquals(convFirst.params(), swapped.params());
        assertNotEquals(convFirst.fingerprint(), swapped.fingerprint(),
                convFirst.architecture() + " vs " + swapped.architecture());
        assertEquals(convFirst.fingerprint(), valid(spec(8, 8, 1, conv("a", 4, 3), conv("b", 4, 3))).fingerprint(),
                "the same declaration always gives the same fingerprint");
    }

    private static NetworkModel valid(NetworkSpec spec) {
        ValidationReport report = NetworkValidator.validate(spec);
        assertEquals(List.of(), report.diagnostics(), "diagnostics of " + spec);
        return report.network().orElseThrow();
    }

    private static Diagnostic single(ValidationReport report) {
        assertEquals(1, report.diagnostics().size(), report.diagnostics().toString());
        return report.diagnostics().get(0);
    }

    private static NetworkSpec spec(int height, int width, int channels, LayerSpec... layers) {
        return new NetworkSpec("test", "Net", height, width, channels, -1, List.of(layers));
    }

    private static ConvSpec conv(String name, int filters, int kernel) {
        return new ConvSpec(name, filters, kernel, 1, Padding.VALID, Activation.RELU);
    }

    /** The lecture's LeNet-5 for CIFAR-10 with the given expected parameter count. */
    private static NetworkSpec leNet(long expectedParams) {
        return new NetworkSpec("test", "LeNet", 32, 32, 3, expectedParams, List.of(
                conv("conv1", 6, 5),
                new PoolSpec("pool1", PoolKind.MAX, 2, 2),
                conv("conv2", 16, 5),
                new PoolSpec("pool2", PoolKind.MAX, 2, 2),
                new DenseSpec("fc1", 120, Activation.RELU),
                new DenseSpec("fc2", 84, Activation.RELU),
                new DenseSpec("output", 10, Activation.SOFTMAX)));
    }
}
