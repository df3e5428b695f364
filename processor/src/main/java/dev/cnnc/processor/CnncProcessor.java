package dev.cnnc.processor;

import com.google.auto.service.AutoService;
import dev.cnnc.Network;
import dev.cnnc.processor.emit.GeneratedFiles;
import dev.cnnc.processor.model.NetworkModel;
import dev.cnnc.processor.model.SummaryTable;
import dev.cnnc.processor.read.NetworkReader;
import dev.cnnc.processor.read.ReadNetwork;
import dev.cnnc.processor.read.SourceProblem;
import dev.cnnc.processor.validate.Diagnostic;
import dev.cnnc.processor.validate.Message;
import dev.cnnc.processor.validate.NetworkValidator;
import dev.cnnc.processor.validate.ValidationReport;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.HashSet;
import java.util.Set;
import java.util.TreeSet;
import javax.annotation.processing.AbstractProcessor;
import javax.annotation.processing.Processor;
import javax.annotation.processing.RoundEnvironment;
import javax.lang.model.SourceVersion;
import javax.lang.model.element.AnnotationMirror;
import javax.lang.model.element.Element;
import javax.lang.model.element.TypeElement;
import javax.tools.Diagnostic.Kind;

/**
 * The javac entry point. It only wires the pipeline: read each {@code @Network} class, validate it,
 * print every diagnostic on its source, and, when there is no error, write the generated classes.
 * Nothing is generated for a network with an error (a half-generated class would hide the real
 * message behind "cannot find symbol").
 */
@AutoService(Processor.class)
public final class CnncProcessor extends AbstractProcessor {
    /** {@code -Acnnc.summary=false} silences the summary note. */
    static final String SUMMARY_OPTION = "cnnc.summary";

    private final Set<String> generated = new HashSet<>();

    @Override
    public Set<String> getSupportedAnnotationTypes() {
        Set<String> types = new TreeSet<>(NetworkReader.LAYER_ANNOTATIONS);
        types.add(Network.class.getCanonicalName());
        return types;
    }

    @Override
    public Set<String> getSupportedOptions() {
        return Set.of(SUMMARY_OPTION);
    }

    @Override
    public SourceVersion getSupportedSourceVersion() {
        return SourceVersion.latestSupported();
    }

    @Override
    public boolean process(Set<? extends TypeElement> annotations, RoundEnvironment round) {
        reportOrphanLayers(round);
        for (Element element : round.getElementsAnnotatedWith(Network.class)) {
            try {
                processNetwork(element);
            } catch (RuntimeException | Error failure) {
                reportInternalError(element, failure);
            }
        }
        // The annotations are cnnc's own: claiming them keeps -Xlint:processing quiet
        // ("No processor claimed any of these annotations"), which would fail a -Werror build.
        return true;
    }

    private void processNetwork(Element element) {
        AnnotationMirror annotation = NetworkReader.find(element, Network.class.getCanonicalName());
        if (!NetworkReader.isClass(element)) {
            String kind = element.getKind().toString().toLowerCase(java.util.Locale.ROOT).replace('_', ' ');
            error(new SourceProblem(Message.NOT_A_CLASS,
                    Message.NOT_A_CLASS.format(element.getSimpleName(), article(kind),
                            element.getSimpleName()), element, annotation, null));
            return;
        }
        TypeElement type = (TypeElement) element;
        if (!generated.add(type.getQualifiedName().toString())) {
            return; // already handled in an earlier round
        }
        ReadNetwork read = new NetworkReader(processingEnv).read(type);
        ValidationReport report = NetworkValidator.validate(read.spec());
        boolean failed = !read.problems().isEmpty() || report.hasErrors();
        for (SourceProblem problem : read.problems()) {
            error(problem);
        }
        for (Diagnostic diagnostic : report.diagnostics()) {
            print(read.locate(diagnostic));
        }
        if (failed || report.network().isEmpty()) {
            processingEnv.getMessager().printMessage(Kind.NOTE,
                    Message.NOT_GENERATED.format(type.getSimpleName()), type);
            return;
        }
        NetworkModel network = report.network().get();
        if (!"false".equals(processingEnv.getOptions().get(SUMMARY_OPTION))) {
            processingEnv.getMessager().printMessage(Kind.NOTE, "\n" + SummaryTable.render(network), type);
        }
        new GeneratedFiles(processingEnv, type).write(network);
    }

    /** A layer annotation is read only inside a {@code @Network} class; anywhere else it is a mistake. */
    private void reportOrphanLayers(RoundEnvironment round) {
        Set<Element> fields = new HashSet<>();
        for (String name : NetworkReader.LAYER_ANNOTATIONS) {
            TypeElement annotationType = processingEnv.getElementUtils().getTypeElement(name);
            if (annotationType != null) {
                fields.addAll(round.getElementsAnnotatedWith(annotationType));
            }
        }
        for (Element field : fields) {
            Element owner = field.getEnclosingElement();
            if (NetworkReader.find(owner, Network.class.getCanonicalName()) != null) {
                continue;
            }
            AnnotationMirror annotation = NetworkReader.firstLayerAnnotation(field);
            error(new SourceProblem(Message.ORPHAN_LAYER, Message.ORPHAN_LAYER.format(field.getSimpleName(),
                    NetworkReader.simpleName(annotation), owner.getSimpleName(), owner.getSimpleName()),
                    field, annotation, null));
        }
    }

    private static String article(String noun) {
        return ("aeiou".indexOf(noun.charAt(0)) >= 0 ? "an " : "a ") + noun;
    }

    private void reportInternalError(Element element, Throwable failure) {
        StringWriter trace = new StringWriter();
        failure.printStackTrace(new PrintWriter(trace));
        String where = element instanceof TypeElement type ? type.getQualifiedName().toString()
                : element.getSimpleName().toString();
        processingEnv.getMessager().printMessage(Kind.ERROR,
                Message.INTERNAL_ERROR.format(where, failure + "\n" + trace), element);
    }

    private void error(SourceProblem problem) {
        print(problem);
    }

    private void print(SourceProblem problem) {
        processingEnv.getMessager().printMessage(problem.message().kind(), problem.text(), problem.element(),
                problem.annotation(), problem.value());
    }
}
