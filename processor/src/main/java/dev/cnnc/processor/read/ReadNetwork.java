package dev.cnnc.processor.read;

import dev.cnnc.processor.model.NetworkSpec;
import dev.cnnc.processor.validate.Diagnostic;
import java.util.List;
import javax.lang.model.element.AnnotationMirror;
import javax.lang.model.element.TypeElement;

/**
 * A {@code @Network} class as read from source: the plain spec (no {@code javax.lang.model} types),
 * the source of each layer at the same index, the problems that reading found, and what javac could
 * not resolve yet ({@code "conv1.filters"}, {@code "conv1"} for a field type): while that list is not
 * empty the spec holds placeholders and must not be validated.
 */
public record ReadNetwork(TypeElement type, AnnotationMirror annotation, NetworkSpec spec,
                          List<LayerSource> sources, List<SourceProblem> problems, List<String> unresolved) {

    public ReadNetwork {
        sources = List.copyOf(sources);
        problems = List.copyOf(problems);
        unresolved = List.copyOf(unresolved);
    }

    /** Pins a validator finding to the field, annotation and attribute value it is about. */
    public SourceProblem locate(Diagnostic diagnostic) {
        if (diagnostic.layerIndex() == Diagnostic.NETWORK) {
            return new SourceProblem(diagnostic.message(), diagnostic.text(), type, annotation,
                    AnnotationValues.explicitValue(annotation, diagnostic.attribute()));
        }
        LayerSource source = sources.get(diagnostic.layerIndex());
        return new SourceProblem(diagnostic.message(), diagnostic.text(), source.field(), source.annotation(),
                AnnotationValues.explicitValue(source.annotation(), diagnostic.attribute()));
    }
}
