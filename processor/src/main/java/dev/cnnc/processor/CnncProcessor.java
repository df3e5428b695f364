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
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
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
 * message behind "cannot find symbol"). A network that refers to something javac cannot resolve yet
 * (a constant or type another processor may generate) waits for the next round; if it is still
 * unresolved in the last round, javac's own errors explain it and cnnc only notes that it generated
 * nothing.
 */
@AutoService(Processor.class)
public final class CnncProcessor extends AbstractProcessor {
    /** {@code -Acnnc.summary=false} silences the summary note. */
    static final String SUMMARY_OPTION = "cnnc.summary";

    /** What cnnc generates per network: {@code <Name>Model} and {@code <Name>Inference}. */
    private static final List<String> GENERATED_SUFFIXES = List.of("Model", "Inference");

    /** Networks handled (generated or reported); each is handled once. */
    private final Set<String> generated = new HashSet<>();
    /** Networks whose values or field types were not resolved yet; retried in the next round. */
    private final Set<String> deferred = new TreeSet<>();
    /** Generated class name to the network that generates it. */
    private final Map<String, String> generatedNames = new HashMap<>();

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
        Set<Element> networks = new LinkedHashSet<>();
        for (String name : deferred) {
            TypeElement type = processingEnv.getElementUtils().getTypeElement(name);
            if (type != null) {
                networks.add(type); // look it up again: elements of an earlier round are stale
            }
        }
        deferred.clear();
        networks.addAll(round.getElementsAnnotatedWith(Network.class));
        for (Element element : networks) {
            try {
                processNetwork(element, round.processingOver());
            } catch (RuntimeException | Error failure) {
                reportInternalError(element, failure);
            }
        }
        // Not claimed (like AutoValue, Dagger, MapStruct): claiming would hide these annotations from
        // later processors. -Xlint:processing warns about unclaimed annotations, @Generated included.
        return false;
    }

    private void processNetwork(Element element, boolean lastRound) {
        AnnotationMirror annotation = NetworkReader.find(element, Network.class.getCanonicalName());
        if (!NetworkReader.isClass(element)) {
            String kind = element.getKind().toString().toLowerCase(java.util.Locale.ROOT).replace('_', ' ');
            error(new SourceProblem(Message.NOT_A_CLASS,
                    Message.NOT_A_CLASS.format(element.getSimpleName(), article(kind),
                            element.getSimpleName()), element, annotation, null));
            return;
        }
        TypeElement type = (TypeElement) element;
        String qualifiedName = type.getQualifiedName().toString();
        if (generated.contains(qualifiedName)) {
            return; // already handled in an earlier round
        }
        ReadNetwork read = new NetworkReader(processingEnv).read(type);
        if (!read.unresolved().isEmpty()) {
            if (!lastRound) {
                deferred.add(qualifiedName); // another processor may generate what it refers to
                return;
            }
            // javac reports the unresolved names itself; checking placeholder values would only add noise.
            generated.add(qualifiedName);
            processingEnv.getMessager().printMessage(Kind.NOTE, Message.NOT_GENERATED_UNRESOLVED.format(
                    type.getSimpleName(), String.join(", ", read.unresolved())), type);
            return;
        }
        generated.add(qualifiedName);
        ValidationReport report = NetworkValidator.validate(read.spec());
        boolean failed = !read.problems().isEmpty() || report.hasErrors() || !claimGeneratedNames(type, annotation);
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

    /**
     * Reserves {@code <Name>Model} and {@code <Name>Inference} in the network's package for this
     * network, or reports which network has them: two nested classes {@code A.Net} and {@code B.Net}
     * would otherwise make the Filer fail on the second file.
     */
    private boolean claimGeneratedNames(TypeElement type, AnnotationMirror annotation) {
        String packageName = processingEnv.getElementUtils().getPackageOf(type).getQualifiedName().toString();
        String prefix = packageName.isEmpty() ? "" : packageName + ".";
        String owner = type.getQualifiedName().toString();
        for (String suffix : GENERATED_SUFFIXES) {
            String generatedName = prefix + type.getSimpleName() + suffix;
            // Only networks of this compile count: a class of that name on the class path may be
            // this network's own output from an earlier build (Maven puts target/classes there).
            String holder = generatedNames.putIfAbsent(generatedName, owner);
            if (holder != null && !holder.equals(owner)) {
                error(new SourceProblem(Message.GENERATED_NAME_TAKEN, Message.GENERATED_NAME_TAKEN.format(
                        owner, generatedName, holder), type, annotation, null));
                return false;
            }
        }
        return true;
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
