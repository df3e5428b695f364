package dev.cnnc.processor.emit;

import com.palantir.javapoet.MethodSpec;
import com.palantir.javapoet.TypeSpec;
import dev.cnnc.processor.model.NetworkModel;
import javax.lang.model.element.Element;
import javax.lang.model.element.Modifier;

/** Writes {@code <Name>Model}: the network's constants and summary. */
final class ModelWriter {
    private final GenerationContext context;

    ModelWriter(GenerationContext context) {
        this.context = context;
    }

    TypeSpec build(Element origin) {
        NetworkModel network = context.network();
        TypeSpec.Builder type = TypeSpec.classBuilder(context.modelClass())
                .addModifiers(Modifier.PUBLIC, Modifier.FINAL)
                .addOriginatingElement(origin)
                .addJavadoc(context.header("The trainable form of {@code " + network.simpleName() + "}."));
        context.addGenerated(type);
        ShapeConstants.add(type, network);
        type.addMethod(MethodSpec.constructorBuilder().addModifiers(Modifier.PUBLIC).build());
        return type.build();
    }
}
