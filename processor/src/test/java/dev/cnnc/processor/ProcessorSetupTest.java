package dev.cnnc.processor;

import static com.google.common.truth.Truth.assertThat;
import static com.google.testing.compile.CompilationSubject.assertThat;
import static dev.cnnc.processor.NetworkSources.compile;
import static dev.cnnc.processor.NetworkSources.loadClass;
import static dev.cnnc.processor.NetworkSources.network;
import static dev.cnnc.processor.NetworkSources.staticField;
import static dev.cnnc.processor.NetworkSources.summaryNote;
import static java.nio.charset.StandardCharsets.UTF_8;

import com.google.testing.compile.Compilation;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.ServiceLoader;
import javax.annotation.processing.Processor;
import javax.lang.model.SourceVersion;
import org.junit.jupiter.api.Test;

/** How the processor presents itself to javac, Maven and Gradle, and what it guarantees about order. */
class ProcessorSetupTest {

    @Test
    void supportsTheLatestSourceVersion() {
        assertThat(new CnncProcessor().getSupportedSourceVersion()).isEqualTo(SourceVersion.latestSupported());
    }

    @Test
    void supportsTheDslAnnotationsAndTheSummaryOption() {
        CnncProcessor processor = new CnncProcessor();
        assertThat(processor.getSupportedAnnotationTypes())
                .containsExactly("dev.cnnc.Network", "dev.cnnc.Conv", "dev.cnnc.Pool", "dev.cnnc.Dense");
        assertThat(processor.getSupportedOptions()).containsExactly("cnnc.summary");
    }

    @Test
    void declaresItselfIsolatingForGradleIncrementalBuilds() throws IOException {
        assertThat(resource("META-INF/gradle/incremental.annotation.processors").strip())
                .isEqualTo(CnncProcessor.class.getName() + ",isolating");
    }

    @Test
    void isRegisteredAsAProcessorServiceForJavac() throws IOException {
        assertThat(resource("META-INF/services/javax.annotation.processing.Processor").lines().map(String::strip))
                .contains(CnncProcessor.class.getName());
        List<String> found = new ArrayList<>();
        for (Processor processor : ServiceLoader.load(Processor.class, CnncProcessor.class.getClassLoader())) {
            found.add(processor.getClass().getName());
        }
        assertThat(found).contains(CnncProcessor.class.getName());
    }

    @Test
    void layersFollowSourceOrderNotNameOrder() {
        Compilation compilation = compile(network("Ordered", "@Network(height = 12, width = 12)",
                "@Conv(filters = 4, kernel = 3) Layer zeta;",
                "@Pool(size = 2) Layer alpha;",
                "@Dense(units = 10) Layer mid;"));
        assertThat(compilation).succeededWithoutWarnings();
        List<String> rowNames = summaryNote(compilation).lines()
                .filter(line -> line.matches("\\w+ \\(\\w+\\).*") && !line.startsWith("Layer (type)"))
                .map(line -> line.substring(0, line.indexOf(' ')))
                .toList();
        assertThat(rowNames).containsExactly("input", "zeta", "alpha", "mid").inOrder();
        assertThat((String) staticField(loadClass(compilation, "test.OrderedModel"), "ARCHITECTURE")).isEqualTo(
                "input 12x12x1; zeta conv f4 k3 s1 VALID RELU -> 10x10x4; alpha pool MAX k2 s2 -> 5x5x4; "
                        + "mid dense u10 RELU -> 10");
    }

    private static String resource(String name) throws IOException {
        try (InputStream in = CnncProcessor.class.getClassLoader().getResourceAsStream(name)) {
            if (in == null) {
                throw new AssertionError(name + " is not on the processor's class path");
            }
            return new String(in.readAllBytes(), UTF_8);
        }
    }
}
