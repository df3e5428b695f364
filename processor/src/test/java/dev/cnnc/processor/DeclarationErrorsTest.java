package dev.cnnc.processor;

import static com.google.common.truth.Truth.assertThat;
import static com.google.testing.compile.CompilationSubject.assertThat;
import static dev.cnnc.processor.NetworkSources.compile;
import static dev.cnnc.processor.NetworkSources.network;
import static dev.cnnc.processor.NetworkSources.type;

import com.google.testing.compile.Compilation;
import javax.tools.JavaFileObject;
import org.junit.jupiter.api.Test;

/**
 * Mistakes in how a network is declared, before any shape is computed: what carries {@code @Network},
 * which fields are layers, and which annotations they have.
 */
class DeclarationErrorsTest {

    @Test
    void networkWithoutLayersIsAnErrorOnTheClass() {
        JavaFileObject source = network("Empty", "@Network(height = 8, width = 8)", "int unrelated;");
        Compilation compilation = compile(source);
        assertThat(compilation).hadErrorCount(1);
        assertThat(compilation)
                .hadErrorContaining("Empty declares no layers; add fields of type dev.cnnc.Layer annotated with "
                        + "@Conv, @Pool or @Dense")
                .inFile(source).onLineContaining("@Network(");
    }

    @Test
    void networkOnAnInterfaceIsAnError() {
        JavaFileObject source = type("Shapes", "@Network(height = 8, width = 8)", "interface Shapes");
        Compilation compilation = compile(source);
        assertThat(compilation).hadErrorCount(1);
        assertThat(compilation)
                .hadErrorContaining("@Network must annotate a class, but Shapes is an interface; "
                        + "declare it as `final class Shapes`")
                .inFile(source).onLineContaining("@Network(");
    }

    @Test
    void networkOnAnEnumIsAnError() {
        JavaFileObject source = type("Kinds", "@Network(height = 8, width = 8)", "enum Kinds", "SMALL, LARGE;");
        Compilation compilation = compile(source);
        assertThat(compilation).hadErrorCount(1);
        assertThat(compilation)
                .hadErrorContaining("@Network must annotate a class, but Kinds is an enum")
                .inFile(source).onLineContaining("@Network(");
    }

    @Test
    void layerFieldOfAnotherTypeIsAnError() {
        JavaFileObject source = network("IntLayer", "@Network(height = 8, width = 8)",
                "@Conv(filters = 6, kernel = 3) int conv1;");
        Compilation compilation = compile(source);
        assertThat(compilation).hadErrorCount(1);
        assertThat(compilation)
                .hadErrorContaining("conv1: a layer field must have type dev.cnnc.Layer, not int; "
                        + "declare it as `Layer conv1;`")
                .inFile(source).onLineContaining("int conv1;");
    }

    @Test
    void layerFieldWithoutALayerAnnotationIsAnError() {
        JavaFileObject source = network("Forgotten", "@Network(height = 8, width = 8)",
                "@Conv(filters = 6, kernel = 3) Layer conv1;",
                "Layer fc1;");
        Compilation compilation = compile(source);
        assertThat(compilation).hadErrorCount(1);
        assertThat(compilation)
                .hadErrorContaining("fc1: a Layer field declares a layer but has no @Conv, @Pool or @Dense")
                .inFile(source).onLineContaining("Layer fc1;");
    }

    @Test
    void layerAnnotationInAClassWithoutNetworkIsAnError() {
        JavaFileObject source = type("Plain", "", "final class Plain", "@Conv(filters = 6, kernel = 3) Layer conv1;");
        Compilation compilation = compile(source);
        assertThat(compilation).hadErrorCount(1);
        assertThat(compilation)
                .hadErrorContaining("conv1: @Conv is only read in a class annotated with @Network, and Plain has none; "
                        + "add @Network(height = ..., width = ..., channels = ...) to Plain")
                .inFile(source).onLineContaining("Layer conv1;");
    }

    @Test
    void twoLayerAnnotationsOnOneFieldIsAnError() {
        JavaFileObject source = network("Doubled", "@Network(height = 8, width = 8)",
                "@Conv(filters = 6, kernel = 3) @Pool(size = 2) Layer conv1;");
        Compilation compilation = compile(source);
        assertThat(compilation).hadErrorCount(1);
        assertThat(compilation)
                .hadErrorContaining("conv1: one field declares one layer, but it has both @Conv and @Pool; "
                        + "split it into two fields")
                .inFile(source).onLineContaining("Layer conv1;");
    }

    @Test
    void fieldsWithoutLayerAnnotationsOrLayerTypeAreIgnored() {
        Compilation compilation = compile(network("WithHelpers", "@Network(height = 8, width = 8)",
                "static final int CLASSES = 10;",
                "@Dense(units = CLASSES) Layer out;",
                "String description = \"a one-layer classifier\";"));
        assertThat(compilation).succeededWithoutWarnings();
        assertThat(compilation).generatedSourceFile("test.WithHelpersModel");
    }
}
