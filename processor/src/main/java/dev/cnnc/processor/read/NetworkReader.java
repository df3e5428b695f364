package dev.cnnc.processor.read;

import dev.cnnc.Activation;
import dev.cnnc.Conv;
import dev.cnnc.Dense;
import dev.cnnc.Layer;
import dev.cnnc.Network;
import dev.cnnc.Padding;
import dev.cnnc.Pool;
import dev.cnnc.PoolKind;
import dev.cnnc.processor.model.LayerSpec;
import dev.cnnc.processor.model.NetworkSpec;
import dev.cnnc.processor.validate.Message;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import javax.annotation.processing.ProcessingEnvironment;
import javax.lang.model.element.AnnotationMirror;
import javax.lang.model.element.Element;
import javax.lang.model.element.ElementKind;
import javax.lang.model.element.PackageElement;
import javax.lang.model.element.TypeElement;
import javax.lang.model.element.VariableElement;
import javax.lang.model.type.TypeKind;
import javax.lang.model.util.Elements;
import javax.lang.model.util.Types;

/**
 * Turns a {@code @Network} class into a plain {@link NetworkSpec}: its layer fields in source order,
 * each with the values of its annotation (defaults included). Reading checks only what is about
 * declarations (field types, one layer annotation per field); shapes are the validator's job.
 */
public final class NetworkReader {
    /** The layer annotations, by qualified name. */
    public static final Set<String> LAYER_ANNOTATIONS =
            Set.of(Conv.class.getCanonicalName(), Pool.class.getCanonicalName(), Dense.class.getCanonicalName());

    private final Elements elements;
    private final Types types;
    private final SourceOrder sourceOrder;

    public NetworkReader(ProcessingEnvironment env) {
        this.elements = env.getElementUtils();
        this.types = env.getTypeUtils();
        this.sourceOrder = SourceOrder.of(env);
    }

    /** Reads one class annotated with {@code @Network}; the caller has checked that it is a class. */
    public ReadNetwork read(TypeElement type) {
        AnnotationMirror networkAnnotation = find(type, Network.class.getCanonicalName());
        AnnotationValues network = new AnnotationValues(elements, networkAnnotation);
        List<LayerSpec> layers = new ArrayList<>();
        List<LayerSource> sources = new ArrayList<>();
        List<SourceProblem> problems = new ArrayList<>();
        List<String> unresolved = new ArrayList<>();
        TypeElement layerType = elements.getTypeElement(Layer.class.getCanonicalName());

        for (VariableElement field : sourceOrder.fields(type)) {
            List<AnnotationMirror> layerAnnotations = layerAnnotations(field);
            String name = field.getSimpleName().toString();
            if (field.asType().getKind() == TypeKind.ERROR) {
                unresolved.add(name); // a type that does not exist (yet): javac reports it
                continue;
            }
            boolean isLayerTyped = layerType != null && types.isSameType(field.asType(), layerType.asType());
            if (layerAnnotations.isEmpty()) {
                if (isLayerTyped) {
                    // Silently skipping it would drop a layer the user meant to declare.
                    problems.add(new SourceProblem(Message.LAYER_WITHOUT_ANNOTATION,
                            Message.LAYER_WITHOUT_ANNOTATION.format(name, name), field, null, null));
                }
                continue;
            }
            AnnotationMirror first = layerAnnotations.get(0);
            if (layerAnnotations.size() > 1) {
                AnnotationMirror second = layerAnnotations.get(1);
                problems.add(new SourceProblem(Message.TWO_LAYER_ANNOTATIONS,
                        Message.TWO_LAYER_ANNOTATIONS.format(name, simpleName(first), simpleName(second)),
                        field, second, null));
            }
            if (!isLayerTyped) {
                problems.add(new SourceProblem(Message.FIELD_NOT_LAYER,
                        Message.FIELD_NOT_LAYER.format(name, field.asType(), name), field, first, null));
            }
            layers.add(toSpec(name, first, unresolved));
            sources.add(new LayerSource(field, first));
        }
        NetworkSpec spec = new NetworkSpec(packageOf(type), type.getSimpleName().toString(),
                network.intValue("height"), network.intValue("width"), network.intValue("channels"),
                network.longValue("params"), layers);
        for (String attribute : network.unresolved()) {
            unresolved.add("@Network." + attribute);
        }
        return new ReadNetwork(type, networkAnnotation, spec, sources, problems, unresolved);
    }

    private LayerSpec toSpec(String name, AnnotationMirror mirror, List<String> unresolved) {
        AnnotationValues values = new AnnotationValues(elements, mirror);
        LayerSpec spec = toSpec(name, mirror, values);
        for (String attribute : values.unresolved()) {
            unresolved.add(name + "." + attribute);
        }
        return spec;
    }

    private LayerSpec toSpec(String name, AnnotationMirror mirror, AnnotationValues values) {
        String kind = qualifiedName(mirror);
        if (kind.equals(Conv.class.getCanonicalName())) {
            return new LayerSpec.ConvSpec(name, values.intValue("filters"), values.intValue("kernel"),
                    values.intValue("stride"), values.enumValue("padding", Padding.class, Padding.VALID),
                    values.enumValue("activation", Activation.class, Activation.RELU));
        }
        if (kind.equals(Pool.class.getCanonicalName())) {
            int size = values.intValue("size");
            int stride = values.intValue("stride");
            // stride = 0 is the documented default "same as size"; negative strides stay invalid.
            return new LayerSpec.PoolSpec(name, values.enumValue("kind", PoolKind.class, PoolKind.MAX), size,
                    stride == 0 ? size : stride);
        }
        return new LayerSpec.DenseSpec(name, values.intValue("units"),
                values.enumValue("activation", Activation.class, Activation.RELU));
    }

    private static List<AnnotationMirror> layerAnnotations(Element field) {
        List<AnnotationMirror> found = new ArrayList<>();
        for (AnnotationMirror mirror : field.getAnnotationMirrors()) {
            if (LAYER_ANNOTATIONS.contains(qualifiedName(mirror))) {
                found.add(mirror);
            }
        }
        return found;
    }

    /** The annotation named {@code qualifiedName} on {@code element}, or null. */
    public static AnnotationMirror find(Element element, String qualifiedName) {
        for (AnnotationMirror mirror : element.getAnnotationMirrors()) {
            if (qualifiedName(mirror).equals(qualifiedName)) {
                return mirror;
            }
        }
        return null;
    }

    /** The first layer annotation on a field, or null. */
    public static AnnotationMirror firstLayerAnnotation(Element field) {
        List<AnnotationMirror> found = layerAnnotations(field);
        return found.isEmpty() ? null : found.get(0);
    }

    static String qualifiedName(AnnotationMirror mirror) {
        return ((TypeElement) mirror.getAnnotationType().asElement()).getQualifiedName().toString();
    }

    public static String simpleName(AnnotationMirror mirror) {
        return mirror.getAnnotationType().asElement().getSimpleName().toString();
    }

    private String packageOf(TypeElement type) {
        PackageElement pkg = elements.getPackageOf(type);
        return pkg.isUnnamed() ? "" : pkg.getQualifiedName().toString();
    }

    /** True for the element kinds that may carry {@code @Network}. */
    public static boolean isClass(Element element) {
        return element.getKind() == ElementKind.CLASS;
    }
}
