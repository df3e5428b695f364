package dev.cnnc.processor.emit;

import com.palantir.javapoet.JavaFile;
import com.palantir.javapoet.TypeSpec;
import dev.cnnc.processor.model.NetworkModel;
import java.io.IOException;
import java.io.UncheckedIOException;
import javax.annotation.processing.ProcessingEnvironment;
import javax.lang.model.element.TypeElement;

/**
 * Writes every class generated for one network through the {@code Filer}, each with the
 * {@code @Network} class as its originating element (Gradle's isolating incremental mode needs it).
 */
public final class GeneratedFiles {
    private final ProcessingEnvironment env;
    private final TypeElement origin;

    public GeneratedFiles(ProcessingEnvironment env, TypeElement origin) {
        this.env = env;
        this.origin = origin;
    }

    public void write(NetworkModel network) {
        GenerationContext context = new GenerationContext(network, env.getElementUtils()
                .getTypeElement("javax.annotation.processing.Generated") != null);
        write(network.packageName(), new InferenceWriter(context).build(origin));
        write(network.packageName(), new ModelWriter(context).build(origin));
    }

    private void write(String packageName, TypeSpec type) {
        JavaFile file = JavaFile.builder(packageName, type)
                .skipJavaLangImports(true)
                .indent("    ")
                .build();
        try {
            file.writeTo(env.getFiler());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + packageName + "." + type.name(), e);
        }
    }
}
