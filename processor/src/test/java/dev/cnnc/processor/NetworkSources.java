package dev.cnnc.processor;

import static com.google.testing.compile.Compiler.javac;

import com.google.testing.compile.Compilation;
import com.google.testing.compile.JavaFileObjects;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Map;
import java.util.List;
import java.util.Locale;
import java.util.stream.Collectors;
import javax.tools.Diagnostic;
import javax.tools.DiagnosticCollector;
import javax.tools.JavaCompiler;
import javax.tools.JavaFileObject;
import javax.tools.StandardJavaFileManager;
import javax.tools.StandardLocation;
import javax.tools.ToolProvider;

/**
 * Builds the small {@code @Network} sources the processor tests compile, and runs javac with the
 * cnnc processor on them. Every source lives in package {@value #PACKAGE}, imports the whole DSL and
 * statically imports the enum constants, so a test writes a layer as the README does:
 * {@code @Conv(filters = 6, kernel = 5, activation = RELU) Layer conv1;}.
 */
public final class NetworkSources {
    public static final String PACKAGE = "test";

    private NetworkSources() {}

    /**
     * A class {@code test.<name>} with the given class annotation line (usually {@code @Network(...)})
     * and body lines, one member per line so that {@code onLineContaining("Layer conv1;")} is unique.
     */
    public static JavaFileObject network(String name, String annotationLine, String... bodyLines) {
        return type(name, annotationLine, "final class " + name, bodyLines);
    }

    /** Like {@link #network} but with any declaration head, e.g. {@code "interface Net"}. */
    public static JavaFileObject type(String name, String annotationLine, String declaration, String... bodyLines) {
        List<String> lines = new ArrayList<>(List.of(
                "package " + PACKAGE + ";",
                "",
                "import dev.cnnc.*;",
                "import static dev.cnnc.Activation.*;",
                "import static dev.cnnc.Padding.*;",
                "import static dev.cnnc.PoolKind.*;",
                ""));
        if (!annotationLine.isEmpty()) {
            lines.add(annotationLine);
        }
        lines.add(declaration + " {");
        for (String line : bodyLines) {
            lines.add("    " + line);
        }
        lines.add("}");
        return JavaFileObjects.forSourceLines(PACKAGE + "." + name, lines);
    }

    /** The lecture's LeNet-5 for CIFAR-10 (32x32x3, 62,006 parameters) as class {@code test.<name>}. */
    public static JavaFileObject leNet(String name, String networkAnnotation) {
        return network(name, networkAnnotation,
                "@Conv(filters = 6, kernel = 5, activation = RELU)  Layer conv1;",
                "@Pool(kind = MAX, size = 2)                        Layer pool1;",
                "@Conv(filters = 16, kernel = 5, activation = RELU) Layer conv2;",
                "@Pool(kind = MAX, size = 2)                        Layer pool2;",
                "@Dense(units = 120, activation = RELU)             Layer fc1;",
                "@Dense(units = 84, activation = RELU)              Layer fc2;",
                "@Dense(units = 10, activation = SOFTMAX)           Layer output;");
    }

    /** javac with only the cnnc processor, as a user's build runs it. */
    public static Compilation compile(JavaFileObject... sources) {
        return javac().withProcessors(new CnncProcessor()).compile(sources);
    }

    /** javac with the cnnc processor and {@code -A} options, e.g. {@code "-Acnnc.summary=false"}. */
    public static Compilation compileWithOptions(List<String> options, JavaFileObject... sources) {
        return javac().withProcessors(new CnncProcessor()).withOptions(options).compile(sources);
    }

    /**
     * Runs javac with the processor on real directories and returns the paths (relative to
     * {@code outputDirectory}, sorted, {@code /}-separated) of every file it wrote, whether the compile
     * failed or not. compile-testing hides the generated files of a failed compile; this shows them.
     */
    public static List<String> filesWritten(Path outputDirectory, JavaFileObject... sources) {
        JavaCompiler compiler = ToolProvider.getSystemJavaCompiler();
        DiagnosticCollector<JavaFileObject> ignored = new DiagnosticCollector<>();
        try (StandardJavaFileManager files = compiler.getStandardFileManager(ignored, Locale.ROOT,
                StandardCharsets.UTF_8)) {
            files.setLocation(StandardLocation.SOURCE_OUTPUT, List.of(outputDirectory.toFile()));
            files.setLocation(StandardLocation.CLASS_OUTPUT, List.of(outputDirectory.toFile()));
            JavaCompiler.CompilationTask task = compiler.getTask(null, files, ignored,
                    List.of(), null, List.of(sources));
            task.setProcessors(List.of(new CnncProcessor()));
            task.call();
            try (var paths = Files.walk(outputDirectory)) {
                return paths.filter(Files::isRegularFile)
                        .map(path -> outputDirectory.relativize(path).toString().replace('\\', '/'))
                        .sorted()
                        .collect(Collectors.toList());
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The 1-based number of the one line of {@code source} that contains {@code lineFragment}. */
    public static long lineOf(JavaFileObject source, String lineFragment) {
        return uniqueLine(source, lineFragment) + 1;
    }

    /**
     * The 1-based column javac reports for the character right after {@code prefix} on the one line of
     * {@code source} that contains {@code lineFragment}: where an attribute's value starts.
     */
    public static long columnAfter(JavaFileObject source, String lineFragment, String prefix) {
        String line = sourceLines(source).get(uniqueLine(source, lineFragment));
        if (!line.contains(prefix)) {
            throw new IllegalArgumentException("no " + prefix + " in " + line);
        }
        return line.indexOf(prefix) + prefix.length() + 1;
    }

    private static int uniqueLine(JavaFileObject source, String lineFragment) {
        List<String> lines = sourceLines(source);
        int found = -1;
        for (int i = 0; i < lines.size(); i++) {
            if (lines.get(i).contains(lineFragment)) {
                if (found >= 0) {
                    throw new IllegalArgumentException("more than one line contains " + lineFragment);
                }
                found = i;
            }
        }
        if (found < 0) {
            throw new IllegalArgumentException("no line contains " + lineFragment);
        }
        return found;
    }

    private static List<String> sourceLines(JavaFileObject source) {
        try {
            return source.getCharContent(true).toString().lines().collect(Collectors.toList());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * Loads a class the compile produced (the generated {@code <Name>Model}, say) so a test can read
     * its constants or run it; the test's own class path supplies the runtime it uses.
     */
    public static Class<?> loadClass(Compilation compilation, String binaryName) {
        Map<String, byte[]> classes = new HashMap<>();
        String outputRoot = "/CLASS_OUTPUT/";
        for (JavaFileObject file : compilation.generatedFiles()) {
            String path = file.toUri().getPath();
            if (file.getKind() == JavaFileObject.Kind.CLASS && path.startsWith(outputRoot)) {
                String name = path.substring(outputRoot.length(), path.length() - ".class".length()).replace('/', '.');
                try (InputStream in = file.openInputStream()) {
                    classes.put(name, in.readAllBytes());
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            }
        }
        ClassLoader loader = new ClassLoader(NetworkSources.class.getClassLoader()) {
            @Override
            protected Class<?> findClass(String name) throws ClassNotFoundException {
                byte[] bytes = classes.get(name);
                if (bytes == null) {
                    throw new ClassNotFoundException(name + " is not among " + classes.keySet());
                }
                return defineClass(name, bytes, 0, bytes.length);
            }
        };
        try {
            return loader.loadClass(binaryName);
        } catch (ClassNotFoundException e) {
            throw new AssertionError(e.getMessage(), e);
        }
    }

    /** The value of a {@code static} field of a loaded class. */
    public static Object staticField(Class<?> type, String name) {
        try {
            return type.getField(name).get(null);
        } catch (ReflectiveOperationException e) {
            throw new AssertionError(type.getName() + " has no readable public static " + name, e);
        }
    }

    /** The text of every diagnostic of {@code kind}, for assertions that count them. */
    public static List<String> messages(Compilation compilation, Diagnostic.Kind kind) {
        return compilation.diagnostics().stream()
                .filter(diagnostic -> diagnostic.getKind() == kind)
                .map(diagnostic -> diagnostic.getMessage(Locale.ROOT))
                .collect(Collectors.toList());
    }

    /**
     * The summary note of a successful compile (the only note that starts with {@code Model:}), each
     * line stripped: javac indents the continuation lines of a multi-line diagnostic.
     */
    public static String summaryNote(Compilation compilation) {
        List<String> summaries = messages(compilation, Diagnostic.Kind.NOTE).stream()
                .map(NetworkSources::stripLines)
                .filter(note -> note.startsWith("Model: "))
                .collect(Collectors.toList());
        if (summaries.size() != 1) {
            throw new AssertionError("expected one summary note, got " + summaries + " in " + compilation.diagnostics());
        }
        return summaries.get(0);
    }

    /** {@code text} without leading and trailing blank lines and with every line stripped. */
    public static String stripLines(String text) {
        return text.strip().lines().map(String::strip).collect(Collectors.joining("\n"));
    }

    /**
     * The cells of the summary row of {@code layer} ({@code "conv1"} or {@code "input"}): columns are
     * separated by at least two spaces, cells contain at most single spaces.
     */
    public static List<String> summaryRow(String summary, String layer) {
        List<String> rows = summary.lines().map(String::strip).filter(line -> line.startsWith(layer + " ("))
                .collect(Collectors.toList());
        if (rows.size() != 1) {
            throw new AssertionError("expected one row for " + layer + " in\n" + summary);
        }
        return List.of(rows.get(0).split(" {2,}"));
    }
}
