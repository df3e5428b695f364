package dev.cnnc.processor;

import static com.google.common.truth.Truth.assertThat;
import static com.google.testing.compile.CompilationSubject.assertThat;
import static dev.cnnc.processor.NetworkSources.columnAfter;
import static dev.cnnc.processor.NetworkSources.compile;
import static dev.cnnc.processor.NetworkSources.filesWritten;
import static dev.cnnc.processor.NetworkSources.leNet;
import static dev.cnnc.processor.NetworkSources.lineOf;
import static dev.cnnc.processor.NetworkSources.messages;
import static dev.cnnc.processor.NetworkSources.network;

import com.google.testing.compile.Compilation;
import dev.cnnc.processor.validate.Message;
import java.nio.file.Path;
import java.util.List;
import javax.tools.Diagnostic;
import javax.tools.JavaFileObject;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Broken layers and broken {@code @Network} values: each is a javac error with the wording of its
 * {@link Message}, on the line of the offending declaration and, where the user wrote a value, on
 * that value's column, so an IDE underlines {@code kernel = 5} rather than the class.
 */
class LayerErrorsTest {

    @Test
    void kernelLargerThanInputIsAnErrorOnTheKernelValue() {
        JavaFileObject source = network("TooSmall", "@Network(height = 4, width = 4, channels = 3)",
                "@Conv(filters = 6, kernel = 5) Layer conv1;");
        Compilation compilation = compile(source);
        assertThat(compilation).failed();
        assertThat(compilation).hadErrorCount(1);
        assertThat(compilation)
                .hadErrorContaining("conv1: kernel 5x5 does not fit the 4x4x3 input (padding VALID gives a 0x0 output); "
                        + "use padding = SAME or a kernel of at most 4 (conv1 <- input 4x4x3)")
                .inFile(source).onLine(lineOf(source, "Layer conv1;"))
                .atColumn(columnAfter(source, "Layer conv1;", "kernel = "));
    }

    @Test
    void kernelThatNoLongerFitsAfterPoolingSuggestsRemovingThePool() {
        JavaFileObject source = network("Shrunk", "@Network(height = 12, width = 12, channels = 3)",
                "@Conv(filters = 6, kernel = 5) Layer conv1;",
                "@Pool(size = 2) Layer pool1;",
                "@Conv(filters = 16, kernel = 5) Layer conv2;");
        Compilation compilation = compile(source);
        assertThat(compilation).hadErrorContaining(
                        "conv2: kernel 5x5 does not fit the 4x4x6 input (padding VALID gives a 0x0 output); "
                                + "use padding = SAME, a kernel of at most 4, or remove pool1 "
                                + "(conv2 <- pool1 4x4x6 <- conv1 8x8x6 <- input 12x12x3)")
                .inFile(source).onLineContaining("Layer conv2;");
    }

    @Test
    void poolWindowLargerThanInputIsAnErrorOnTheSizeValue() {
        JavaFileObject source = network("PoolTooBig", "@Network(height = 8, width = 8)",
                "@Conv(filters = 6, kernel = 3) Layer conv1;",
                "@Pool(size = 2) Layer pool1;",
                "@Pool(size = 4) Layer pool2;");
        Compilation compilation = compile(source);
        assertThat(compilation).hadErrorCount(1);
        assertThat(compilation)
                .hadErrorContaining("pool2: pool window 4x4 does not fit the 3x3x6 input (it gives a 0x0 output); "
                        + "use size <= 3 or remove pool1")
                .inFile(source).onLine(lineOf(source, "Layer pool2;"))
                .atColumn(columnAfter(source, "Layer pool2;", "size = "));
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', textBlock = """
            @Conv(filters = 0, kernel = 3) Layer broken;             | filters = | broken: filters = 0 must be at least 1 (input 8x8x1); e.g. filters = 6
            @Conv(filters = 6, kernel = 0) Layer broken;             | kernel =  | broken: kernel = 0 must be at least 1 (input 8x8x1); e.g. kernel = 3
            @Conv(filters = 6, kernel = -3) Layer broken;            | kernel =  | broken: kernel = -3 must be at least 1
            @Conv(filters = 6, kernel = 3, stride = 0) Layer broken; | stride =  | broken: stride = 0 must be at least 1 (input 8x8x1); e.g. stride = 1
            @Dense(units = 0) Layer broken;                          | units =   | broken: units = 0 must be at least 1 (input 8x8x1); e.g. units = 10
            @Pool(size = 0) Layer broken;                            | size =    | broken: size = 0 must be at least 1 (input 8x8x1); e.g. size = 2
            @Pool(size = 2, stride = -1) Layer broken;               | stride =  | broken: stride = -1 must be at least 1 (input 8x8x1); e.g. stride = 2
            """)
    void nonPositiveLayerValueIsAnErrorOnThatValue(String layer, String attribute, String message) {
        JavaFileObject source = network("NonPositive", "@Network(height = 8, width = 8)", layer);
        Compilation compilation = compile(source);
        assertThat(compilation).failed();
        assertThat(compilation).hadErrorCount(1);
        assertThat(compilation).hadErrorContaining(message)
                .inFile(source).onLine(lineOf(source, "Layer broken;"))
                .atColumn(columnAfter(source, "Layer broken;", attribute + " "));
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', textBlock = """
            @Network(height = 0, width = 8)               | height =   | Net: @Network height = 0 must be at least 1; e.g. height = 32
            @Network(height = 8, width = -1)              | width =    | Net: @Network width = -1 must be at least 1; e.g. width = 32
            @Network(height = 8, width = 8, channels = 0) | channels = | Net: @Network channels = 0 must be at least 1; e.g. channels = 3
            """)
    void nonPositiveNetworkSizeIsAnErrorOnThatValue(String annotation, String attribute, String message) {
        JavaFileObject source = network("Net", annotation, "@Dense(units = 10) Layer fc;");
        Compilation compilation = compile(source);
        assertThat(compilation).failed();
        assertThat(compilation).hadErrorCount(1);
        assertThat(compilation).hadErrorContaining(message)
                .inFile(source).onLine(lineOf(source, "@Network("))
                .atColumn(columnAfter(source, "@Network(", attribute + " "));
    }

    @Test
    void paramsThatDifferFromTheCountIsAnErrorShowingBothAndEveryLayer() {
        JavaFileObject source = leNet("Miscounted", "@Network(height = 32, width = 32, channels = 3, params = 60_000)");
        Compilation compilation = compile(source);
        assertThat(compilation).hadErrorCount(1);
        assertThat(compilation)
                .hadErrorContaining("Miscounted has 62,006 parameters, 2,006 more than @Network(params = 60_000) expects")
                .inFile(source).onLine(lineOf(source, "@Network("))
                .atColumn(columnAfter(source, "@Network(", "params = "));
        assertThat(compilation).hadErrorContaining("per layer: conv1 456 = (5x5x3 + 1) x 6, pool1 0, "
                + "conv2 2,416 = (5x5x6 + 1) x 16, pool2 0, fc1 48,120 = (400 + 1) x 120, "
                + "fc2 10,164 = (120 + 1) x 84, output 850 = (84 + 1) x 10; set params = 62_006");
    }

    @Test
    void softmaxBeforeTheLastLayerIsAnErrorOnTheActivation() {
        JavaFileObject source = network("EarlySoftmax", "@Network(height = 8, width = 8)",
                "@Dense(units = 32, activation = SOFTMAX) Layer fc1;",
                "@Dense(units = 10, activation = SOFTMAX) Layer out;");
        Compilation compilation = compile(source);
        assertThat(compilation).hadErrorCount(1);
        assertThat(compilation)
                .hadErrorContaining("fc1: SOFTMAX is only allowed on the last layer (out); use activation = RELU here, "
                        + "or put SOFTMAX on out")
                .inFile(source).onLine(lineOf(source, "Layer fc1;"))
                .atColumn(columnAfter(source, "Layer fc1;", "activation = "));
    }

    @Test
    void convolutionAfterDenseIsAnError() {
        JavaFileObject source = network("ConvAfterDense", "@Network(height = 8, width = 8)",
                "@Conv(filters = 4, kernel = 3) Layer conv1;",
                "@Dense(units = 16) Layer fc1;",
                "@Conv(filters = 4, kernel = 3) Layer conv2;");
        Compilation compilation = compile(source);
        assertThat(compilation).hadErrorCount(1);
        assertThat(compilation)
                .hadErrorContaining("conv2: @Conv needs an image input, but fc1 before it outputs a flat vector of "
                        + "16 values; move conv2 before fc1")
                .inFile(source).onLineContaining("Layer conv2;");
    }

    @Test
    void poolingAfterDenseIsAnError() {
        JavaFileObject source = network("PoolAfterDense", "@Network(height = 8, width = 8)",
                "@Dense(units = 16) Layer fc1;",
                "@Pool(size = 2) Layer pool1;");
        Compilation compilation = compile(source);
        assertThat(compilation).hadErrorCount(1);
        assertThat(compilation)
                .hadErrorContaining("pool1: @Pool needs an image input, but fc1 before it outputs a flat vector")
                .inFile(source).onLineContaining("Layer pool1;");
    }

    @Test
    void everyBrokenLayerIsReportedInOneCompile() {
        JavaFileObject source = network("Broken", "@Network(height = 8, width = 8)",
                "@Conv(filters = 0, kernel = 3) Layer conv1;",
                "@Pool(size = 2, stride = -2) Layer pool1;",
                "@Dense(units = 16, activation = SOFTMAX) Layer fc1;",
                "@Dense(units = -1) Layer fc2;");
        Compilation compilation = compile(source);
        assertThat(compilation).hadErrorCount(4);
        assertThat(compilation).hadErrorContaining("conv1: filters = 0").inFile(source).onLineContaining("Layer conv1;");
        assertThat(compilation).hadErrorContaining("pool1: stride = -2 must be at least 1 (input unknown after an "
                + "earlier error)").inFile(source).onLineContaining("Layer pool1;");
        assertThat(compilation).hadErrorContaining("fc1: SOFTMAX is only allowed on the last layer")
                .inFile(source).onLineContaining("Layer fc1;");
        assertThat(compilation).hadErrorContaining("fc2: units = -1").inFile(source).onLineContaining("Layer fc2;");
    }

    @Test
    void aBrokenNetworkGetsOneNoteThatNothingWasGenerated() {
        Compilation compilation = compile(network("Broken", "@Network(height = 4, width = 4)",
                "@Conv(filters = 0, kernel = 5) Layer conv1;",
                "@Dense(units = 0) Layer fc;"));
        assertThat(compilation).failed();
        assertThat(messages(compilation, Diagnostic.Kind.NOTE))
                .containsExactly(Message.NOT_GENERATED.format("Broken"));
    }

    @Test
    void aBrokenNetworkWritesNoFileWhileItsNeighbourIsGenerated(@TempDir Path output) {
        List<String> written = filesWritten(output,
                network("Broken", "@Network(height = 4, width = 4)", "@Conv(filters = 6, kernel = 5) Layer conv1;"),
                network("Fine", "@Network(height = 4, width = 4)", "@Conv(filters = 6, kernel = 3) Layer conv1;"));
        assertThat(written).containsExactly("test/FineInference.java", "test/FineModel.java");
    }
}
