package dev.cnnc.processor;

import static com.google.common.truth.Truth.assertThat;
import static com.google.testing.compile.CompilationSubject.assertThat;
import static com.google.testing.compile.Compiler.javac;
import static dev.cnnc.processor.NetworkSources.compile;
import static dev.cnnc.processor.NetworkSources.loadClass;
import static dev.cnnc.processor.NetworkSources.messages;
import static dev.cnnc.processor.NetworkSources.network;
import static dev.cnnc.processor.NetworkSources.staticField;

import com.google.testing.compile.Compilation;
import com.google.testing.compile.JavaFileObjects;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.util.Set;
import javax.annotation.processing.AbstractProcessor;
import javax.annotation.processing.RoundEnvironment;
import javax.lang.model.SourceVersion;
import javax.lang.model.element.TypeElement;
import javax.tools.Diagnostic;
import javax.tools.JavaFileObject;
import org.junit.jupiter.api.Test;

/**
 * What happens around the happy path: values that only another processor's output defines, names
 * that do not resolve at all, generated names that collide, and sizes no Java array can hold.
 */
class ProcessorRobustnessTest {

    /** Generates {@code test.Sizes} with {@code FILTERS = 4} in the first round, as e.g. a config processor would. */
    private static final class SizesGenerator extends AbstractProcessor {
        private boolean written;

        @Override
        public Set<String> getSupportedAnnotationTypes() {
            return Set.of("dev.cnnc.Network");
        }

        @Override
        public SourceVersion getSupportedSourceVersion() {
            return SourceVersion.latestSupported();
        }

        @Override
        public boolean process(Set<? extends TypeElement> annotations, RoundEnvironment round) {
            if (!written && !annotations.isEmpty()) {
                written = true;
                try (Writer out = processingEnv.getFiler().createSourceFile("test.Sizes").openWriter()) {
                    out.write("package test;\nfinal class Sizes {\n    static final int FILTERS = 4;\n}\n");
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            }
            return false;
        }
    }

    @Test
    void constantGeneratedByAnotherProcessorIsReadInTheNextRound() {
        Compilation compilation = javac().withProcessors(new SizesGenerator(), new CnncProcessor())
                .compile(network("Configured", "@Network(height = 6, width = 6, channels = 3)",
                        "@Conv(filters = Sizes.FILTERS, kernel = 3) Layer conv1;"));
        assertThat(compilation).succeededWithoutWarnings();
        assertThat(staticField(loadClass(compilation, "test.ConfiguredModel"), "PARAMS")).isEqualTo(112);
    }

    @Test
    void unresolvedConstantIsLeftToJavacWithoutGuessedErrors() {
        JavaFileObject source = network("Unresolved", "@Network(height = 8, width = 8)",
                "@Conv(filters = MISSING, kernel = 3) Layer conv1;");
        Compilation compilation = compile(source);
        assertThat(compilation).hadErrorCount(1);
        assertThat(compilation).hadErrorContaining("cannot find symbol").inFile(source).onLineContaining("MISSING");
        assertThat(messages(compilation, Diagnostic.Kind.NOTE)).containsExactly(
                "cnnc generated nothing for Unresolved because javac could not resolve conv1.filters "
                        + "(see javac's errors)");
    }

    @Test
    void unresolvedFieldTypeIsLeftToJavac() {
        JavaFileObject source = network("UnknownType", "@Network(height = 8, width = 8)",
                "@Conv(filters = 2, kernel = 3) Missing conv1;");
        Compilation compilation = compile(source);
        assertThat(compilation).hadErrorCount(1);
        assertThat(compilation).hadErrorContaining("cannot find symbol").inFile(source).onLineContaining("Missing");
    }

    @Test
    void nestedNetworksWithTheSameSimpleNameAreAnErrorNotACrash() {
        JavaFileObject first = JavaFileObjects.forSourceLines("test.First", "package test;", "import dev.cnnc.*;",
                "class First {",
                "    @Network(height = 4, width = 4) static final class Net { @Dense(units = 2) Layer fc; }",
                "}");
        JavaFileObject second = JavaFileObjects.forSourceLines("test.Second", "package test;", "import dev.cnnc.*;",
                "class Second {",
                "    @Network(height = 4, width = 4) static final class Net { @Dense(units = 3) Layer fc; }",
                "}");
        Compilation compilation = compile(first, second);
        assertThat(compilation).hadErrorCount(1);
        assertThat(compilation)
                .hadErrorContaining("test.Second.Net: cnnc would generate test.NetModel for it, but the network "
                        + "test.First.Net gets that name; rename one of the two classes")
                .inFile(second).onLineContaining("@Network(");
    }

    @Test
    void layerLargerThanAJavaArrayIsAnErrorOnTheLayer() {
        JavaFileObject source = network("Enormous", "@Network(height = 8, width = 8, channels = 3)",
                "@Conv(filters = 2000000000, kernel = 1) Layer conv1;");
        Compilation compilation = compile(source);
        assertThat(compilation).hadErrorCount(1);
        assertThat(compilation)
                .hadErrorContaining("conv1: this layer would need 128,000,000,000 floats, more than one Java array "
                        + "holds (2,147,483,639); use fewer filters or a smaller kernel")
                .inFile(source).onLineContaining("Layer conv1;");
    }

    @Test
    void inputLargerThanAJavaArrayIsAnErrorOnTheNetwork() {
        JavaFileObject source = network("Panorama", "@Network(height = 30000, width = 30000, channels = 3)",
                "@Dense(units = 10) Layer fc;");
        Compilation compilation = compile(source);
        assertThat(compilation).hadErrorCount(1);
        assertThat(compilation)
                .hadErrorContaining("Panorama: an input of 30000x30000x3 would need 2,700,000,000 floats")
                .inFile(source).onLineContaining("@Network(");
    }
}
