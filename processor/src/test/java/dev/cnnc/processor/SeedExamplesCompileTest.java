package dev.cnnc.processor;

import static com.google.common.truth.Truth.assertThat;
import static com.google.testing.compile.CompilationSubject.assertThat;
import static dev.cnnc.processor.NetworkSources.columnAfter;
import static dev.cnnc.processor.NetworkSources.compile;
import static dev.cnnc.processor.NetworkSources.compileWithOptions;
import static dev.cnnc.processor.NetworkSources.leNet;
import static dev.cnnc.processor.NetworkSources.lineOf;
import static dev.cnnc.processor.NetworkSources.loadClass;
import static dev.cnnc.processor.NetworkSources.messages;
import static dev.cnnc.processor.NetworkSources.network;
import static dev.cnnc.processor.NetworkSources.staticField;
import static dev.cnnc.processor.NetworkSources.stripLines;
import static dev.cnnc.processor.NetworkSources.summaryNote;
import static dev.cnnc.processor.NetworkSources.summaryRow;

import com.google.testing.compile.Compilation;
import com.google.testing.compile.JavaFileObjects;
import java.io.IOException;
import java.util.List;
import javax.tools.Diagnostic;
import javax.tools.JavaFileObject;
import org.junit.jupiter.api.Test;

/**
 * Every example of the seed lecture, declared with the DSL and compiled by javac with the processor:
 * the shapes and counts in the summary note, the generated constants, and the one warning the
 * lecture's strided example deserves.
 */
class SeedExamplesCompileTest {

    @Test
    void twentyFiltersOfThreeByThreeByThreeCompileTo560Params() throws IOException {
        Compilation compilation = compile(network("TwentyFilters", "@Network(height = 6, width = 6, channels = 3)",
                "@Conv(filters = 20, kernel = 3) Layer conv1;"));
        assertThat(compilation).succeededWithoutWarnings();
        assertThat(summaryRow(summaryNote(compilation), "conv1"))
                .containsExactly("conv1 (Conv2D)", "3x3x3x20", "(4, 4, 20)", "560", "(3x3x3 + 1) x 20").inOrder();
        assertThat(generatedModel(compilation, "TwentyFilters")).contains("PARAMS = 560;");
    }

    @Test
    void twoConvolutionsShrinkSixBySixByThreeToTwoByTwoByFive() {
        Compilation compilation = compile(network("Chain", "@Network(height = 6, width = 6, channels = 3)",
                "@Conv(filters = 4, kernel = 3) Layer conv1;",
                "@Conv(filters = 5, kernel = 3) Layer conv2;"));
        assertThat(compilation).succeededWithoutWarnings();
        String summary = summaryNote(compilation);
        assertThat(summaryRow(summary, "conv1"))
                .containsExactly("conv1 (Conv2D)", "3x3x3x4", "(4, 4, 4)", "112", "(3x3x3 + 1) x 4").inOrder();
        assertThat(summaryRow(summary, "conv2"))
                .containsExactly("conv2 (Conv2D)", "3x3x4x5", "(2, 2, 5)", "185", "(3x3x4 + 1) x 5").inOrder();
        assertThat(summary).contains("Total params: 297 ");
    }

    @Test
    void seedStrideTwoDropsOneRowAndColumnWithAWarningOnTheStride() {
        JavaFileObject source = network("Strided", "@Network(height = 64, width = 64, channels = 3)",
                "@Conv(filters = 6, kernel = 5, stride = 2) Layer conv1;");
        Compilation compilation = compile(source);
        assertThat(compilation).succeeded();
        assertThat(compilation).hadWarningCount(1);
        assertThat(compilation)
                .hadWarningContaining("conv1: stride 2 leaves 1 row and 1 column of the 64x64x3 input unused")
                .inFile(source).onLine(lineOf(source, "Layer conv1;"))
                .atColumn(columnAfter(source, "Layer conv1;", "stride = "));
        assertThat(compilation).hadWarningContaining("padding = SAME would use them (output 32x32x6)");
        assertThat(summaryRow(summaryNote(compilation), "conv1"))
                .containsExactly("conv1 (Conv2D)", "5x5x3x6, s2", "(30, 30, 6)", "456", "(5x5x3 + 1) x 6").inOrder();
    }

    @Test
    void sameConvolutionKeepsSixBySix() {
        Compilation compilation = compile(network("Same", "@Network(height = 6, width = 6, channels = 1)",
                "@Conv(filters = 1, kernel = 3, padding = SAME) Layer conv1;"));
        assertThat(compilation).succeededWithoutWarnings();
        assertThat(summaryRow(summaryNote(compilation), "conv1"))
                .containsExactly("conv1 (Conv2D)", "3x3x1x1, SAME", "(6, 6, 1)", "10", "(3x3x1 + 1) x 1").inOrder();
    }

    @Test
    void maxPoolingSixBySixWithSizeThreeGivesTwoByTwo() {
        Compilation compilation = compile(network("MaxPooled", "@Network(height = 6, width = 6, channels = 1)",
                "@Pool(kind = MAX, size = 3) Layer pool;"));
        assertThat(compilation).succeededWithoutWarnings();
        assertThat(summaryRow(summaryNote(compilation), "pool"))
                .containsExactly("pool (MaxPool2D)", "3x3", "(2, 2, 1)", "0").inOrder();
    }

    @Test
    void averagePoolingSixBySixByThreeWithSizeThreeGivesTwoByTwoByThree() {
        Compilation compilation = compile(network("AvgPooled", "@Network(height = 6, width = 6, channels = 3)",
                "@Pool(kind = AVG, size = 3) Layer pool;"));
        assertThat(compilation).succeededWithoutWarnings();
        assertThat(summaryRow(summaryNote(compilation), "pool"))
                .containsExactly("pool (AvgPool2D)", "3x3", "(2, 2, 3)", "0").inOrder();
    }

    @Test
    void leNetSummaryNoteShowsEveryRowOfTheLecture() {
        Compilation compilation = compile(leNet("CifarLeNet", "@Network(height = 32, width = 32, channels = 3, params = 62_006)"));
        assertThat(compilation).succeededWithoutWarnings();
        String summary = summaryNote(compilation);
        assertThat(summaryRow(summary, "input")).containsExactly("input (Input)", "(32, 32, 3)", "0").inOrder();
        assertThat(summaryRow(summary, "conv1"))
                .containsExactly("conv1 (Conv2D)", "5x5x3x6", "(28, 28, 6)", "456", "(5x5x3 + 1) x 6").inOrder();
        assertThat(summaryRow(summary, "pool1")).containsExactly("pool1 (MaxPool2D)", "2x2", "(14, 14, 6)", "0").inOrder();
        assertThat(summaryRow(summary, "conv2"))
                .containsExactly("conv2 (Conv2D)", "5x5x6x16", "(10, 10, 16)", "2416", "(5x5x6 + 1) x 16").inOrder();
        assertThat(summaryRow(summary, "pool2")).containsExactly("pool2 (MaxPool2D)", "2x2", "(5, 5, 16)", "0").inOrder();
        assertThat(summaryRow(summary, "fc1"))
                .containsExactly("fc1 (Dense)", "5x5x16 = 400", "120", "48120", "(400 + 1) x 120").inOrder();
        assertThat(summaryRow(summary, "fc2")).containsExactly("fc2 (Dense)", "120", "84", "10164", "(120 + 1) x 84").inOrder();
        assertThat(summaryRow(summary, "output"))
                .containsExactly("output (Dense)", "84", "10", "850", "(84 + 1) x 10").inOrder();
        assertThat(summary).contains("Total params: 62,006 ");
    }

    @Test
    void leNetSummaryIsStoredInTheGeneratedModel() throws IOException {
        Compilation compilation = compile(leNet("CifarLeNet", "@Network(height = 32, width = 32, channels = 3, params = 62_006)"));
        String source = generatedModel(compilation, "CifarLeNet");
        assertThat(source).contains("PARAMS = 62006;");
        assertThat(source).contains("INPUT_SIZE = 3072;");
        assertThat(source).contains("OUTPUT_SIZE = 10;");
        assertThat(source).contains("Total params: 62,006");
        assertThat(source).contains("(10, 10, 16)");

        Class<?> model = loadClass(compilation, "test.CifarLeNetModel");
        assertThat(staticField(model, "PARAMS")).isEqualTo(62_006);
        assertThat(stripLines((String) staticField(model, "SUMMARY"))).isEqualTo(summaryNote(compilation));
        assertThat((String) staticField(model, "ARCHITECTURE")).startsWith(
                "input 32x32x3; conv1 conv f6 k5 s1 VALID RELU -> 28x28x6; pool1 pool MAX k2 s2 -> 14x14x6;");
    }

    @Test
    void summaryNoteIsSilencedByTheOption() {
        Compilation compilation = compileWithOptions(List.of("-Acnnc.summary=false"),
                leNet("Quiet", "@Network(height = 32, width = 32, channels = 3)"));
        assertThat(compilation).succeededWithoutWarnings();
        assertThat(messages(compilation, Diagnostic.Kind.NOTE)).isEmpty();
        assertThat(compilation).generatedSourceFile("test.QuietModel");
    }

    @Test
    void leNetAndItsGeneratedCodeCompileCleanWithLintWarningsAsErrors() {
        // -processing: javac's "No processor claimed ..." lists every unclaimed annotation, @Generated
        // on generated code included; cnnc leaves its annotations unclaimed, as AutoValue and Dagger do.
        Compilation compilation = compileWithOptions(List.of("-Xlint:all,-processing", "-Werror"),
                leNet("Strict", "@Network(height = 32, width = 32, channels = 3, params = 62_006)"));
        assertThat(compilation).succeededWithoutWarnings();
    }

    @Test
    void networkInTheUnnamedPackageGeneratesItsModelThere() {
        Compilation compilation = compile(JavaFileObjects.forSourceLines("Tiny",
                "import dev.cnnc.*;",
                "@Network(height = 4, width = 4)",
                "final class Tiny {",
                "    @Dense(units = 2) Layer fc;",
                "}"));
        assertThat(compilation).succeededWithoutWarnings();
        assertThat(staticField(loadClass(compilation, "TinyModel"), "PARAMS")).isEqualTo(34);
    }

    private static String generatedModel(Compilation compilation, String network) throws IOException {
        return compilation.generatedSourceFile(NetworkSources.PACKAGE + "." + network + "Model")
                .orElseThrow(() -> new AssertionError("no " + network + "Model among " + compilation.generatedSourceFiles()))
                .getCharContent(true).toString();
    }
}
