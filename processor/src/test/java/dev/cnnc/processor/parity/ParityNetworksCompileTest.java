package dev.cnnc.processor.parity;

import static com.google.testing.compile.CompilationSubject.assertThat;
import static com.google.testing.compile.Compiler.javac;

import com.google.testing.compile.Compilation;
import com.google.testing.compile.JavaFileObjects;
import dev.cnnc.processor.CnncProcessor;
import java.io.File;
import java.net.MalformedURLException;
import org.junit.jupiter.api.Test;

/**
 * The parity networks are valid cnnc declarations: the processor accepts every one of them,
 * including its {@code params} count (which the fixtures' lengths were checked against by hand).
 * The parity test proper (generated model against the fixtures) comes with the code generator.
 */
class ParityNetworksCompileTest {
    /** The source file itself, relative to the module (Maven runs tests in the module directory). */
    static final File SOURCE = new File("src/test/java/dev/cnnc/processor/parity/ParityNetworks.java");

    @Test
    void processorAcceptsEveryParityNetwork() throws MalformedURLException {
        Compilation compilation = javac().withProcessors(new CnncProcessor())
                .compile(JavaFileObjects.forResource(SOURCE.toURI().toURL()));
        // Warnings are expected: the stride-3 pools leave rows unused on purpose.
        assertThat(compilation).succeeded();
    }
}
