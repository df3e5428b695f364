package dev.cnnc.processor.emit;

import static com.google.testing.compile.Compiler.javac;
import static org.junit.jupiter.api.Assertions.assertEquals;

import com.google.testing.compile.Compilation;
import com.google.testing.compile.JavaFileObjects;
import dev.cnnc.processor.CnncProcessor;
import dev.cnnc.runtime.TrainableModel;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.lang.reflect.Constructor;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.TreeMap;
import java.util.concurrent.Executor;
import javax.tools.JavaFileObject;

/**
 * A network compiled by the processor in memory, with its generated classes loaded: the model as a
 * {@link TrainableModel} and the inference class through reflection.
 */
public final class GeneratedNetwork {
    final String qualifiedName;
    final Compilation compilation;
    private final Map<String, byte[]> classFiles = new TreeMap<>();
    private final ClassLoader loader;

    private GeneratedNetwork(String qualifiedName, Compilation compilation) {
        this.qualifiedName = qualifiedName;
        this.compilation = compilation;
        for (JavaFileObject file : compilation.generatedFiles()) {
            if (file.getKind() == JavaFileObject.Kind.CLASS) {
                String name = file.getName().replaceFirst("^/CLASS_OUTPUT/", "").replaceFirst("\\.class$", "")
                        .replace('/', '.');
                try (InputStream in = file.openInputStream()) {
                    classFiles.put(name, in.readAllBytes());
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            }
        }
        this.loader = new ClassLoader(GeneratedNetwork.class.getClassLoader()) {
            @Override
            protected Class<?> findClass(String name) throws ClassNotFoundException {
                byte[] bytes = classFiles.get(name);
                if (bytes == null) {
                    throw new ClassNotFoundException(name);
                }
                return defineClass(name, bytes, 0, bytes.length);
            }
        };
    }

    /** Compiles {@code source} (a class {@code qualifiedName} annotated with @Network) and loads the result. */
    static GeneratedNetwork compile(String qualifiedName, String source) {
        Compilation compilation = javac()
                .withProcessors(new CnncProcessor())
                .withOptions("-Acnnc.summary=false")
                .compile(JavaFileObjects.forSourceString(qualifiedName, source));
        assertEquals(Compilation.Status.SUCCESS, compilation.status(),
                () -> "compilation failed: " + compilation.diagnostics() + "\n" + source);
        return new GeneratedNetwork(qualifiedName, compilation);
    }

    /** The generated classes of {@code qualifiedName} from a compilation of several networks. */
    public static GeneratedNetwork of(Compilation compilation, String qualifiedName) {
        assertEquals(Compilation.Status.SUCCESS, compilation.status(), () -> compilation.diagnostics().toString());
        return new GeneratedNetwork(qualifiedName, compilation);
    }

    /** {@link #compile(String, String)} for tests in other packages. */
    public static GeneratedNetwork compileSource(String qualifiedName, String source) {
        return compile(qualifiedName, source);
    }

    static GeneratedNetwork compile(NetworkSource source) {
        return compile(source.qualifiedName(), source.text());
    }

    Map<String, byte[]> classFiles() {
        return classFiles;
    }

    String generatedSource(String suffix) {
        try {
            return compilation.generatedSourceFile(qualifiedName + suffix).orElseThrow().getCharContent(true)
                    .toString();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    Class<?> load(String suffix) {
        try {
            return loader.loadClass(qualifiedName + suffix);
        } catch (ClassNotFoundException e) {
            throw new AssertionError("not generated: " + qualifiedName + suffix, e);
        }
    }

    public TrainableModel model() {
        return (TrainableModel) construct(load("Model"), new Class<?>[0]);
    }

    /** A new {@code <Name>Inference} over {@code parameters}. */
    Object inference(float[] parameters) {
        return construct(load("Inference"), new Class<?>[] {float[].class}, (Object) parameters);
    }

    /** A new {@code <Name>Inference} over {@link TestData#randomize} parameters from {@link TestData#SEED}. */
    Object seededInference() {
        return seededInference(new SplittableRandom(TestData.SEED));
    }

    /** A new {@code <Name>Inference} over parameters drawn from {@code random} ({@link TestData#randomize}). */
    Object seededInference(SplittableRandom random) {
        TrainableModel model = model();
        TestData.randomize(model, random);
        return inference(model.parameters());
    }

    /** {@code inference.predict(chw)}. */
    static float[] predict(Object inference, float[] chw) {
        return (float[]) invoke(inference, "predict", new Class<?>[] {float[].class}, (Object) chw);
    }

    /**
     * {@code inference.predictBatch(images, count, outputs)}; with {@code lanes} non-null, the
     * package-private form that forces the lane kernel (true) or the per-image one (false).
     */
    static void predictBatch(Object inference, float[] images, int count, float[] outputs, Boolean lanes) {
        if (lanes == null) {
            invoke(inference, "predictBatch", new Class<?>[] {float[].class, int.class, float[].class}, images, count,
                    outputs);
            return;
        }
        try {
            Method method = inference.getClass().getDeclaredMethod("predictBatch", float[].class, int.class,
                    int.class, float[].class, boolean.class);
            method.setAccessible(true);
            method.invoke(inference, images, 0, count, outputs, lanes);
        } catch (ReflectiveOperationException e) {
            throw unwrapped(e);
        }
    }

    /** {@code inference.predictBatch(images, count, outputs, executor, threads)}: the batch on several threads. */
    static void predictBatch(Object inference, float[] images, int count, float[] outputs, Executor executor,
            int threads) {
        invoke(inference, "predictBatch", new Class<?>[] {float[].class, int.class, float[].class, Executor.class,
            int.class}, images, count, outputs, executor, threads);
    }

    /** The inference class's {@code batchKernel()}. */
    String batchKernel() {
        try {
            return (String) load("Inference").getMethod("batchKernel").invoke(null);
        } catch (ReflectiveOperationException e) {
            throw unwrapped(e);
        }
    }

    /** The package-private {@code inference.predict(chw, output, exactRows)}: one row layout, forced. */
    static float[] predict(Object inference, float[] chw, boolean exactRows) {
        try {
            Method method = inference.getClass().getDeclaredMethod("predict", float[].class, float[].class,
                    boolean.class);
            method.setAccessible(true);
            float[] output = new float[(Integer) inference.getClass().getField("OUTPUT_SIZE").get(null)];
            method.invoke(inference, chw, output, exactRows);
            return output;
        } catch (ReflectiveOperationException e) {
            throw unwrapped(e);
        }
    }

    /** The inference class's {@code convLayout()}. */
    String convLayout() {
        try {
            return (String) load("Inference").getMethod("convLayout").invoke(null);
        } catch (ReflectiveOperationException e) {
            throw unwrapped(e);
        }
    }

    static int classify(Object inference, float[] chw) {
        return (Integer) invoke(inference, "classify", new Class<?>[] {float[].class}, (Object) chw);
    }

    static Object invoke(Object target, String name, Class<?>[] types, Object... arguments) {
        try {
            Method method = target.getClass().getMethod(name, types);
            return method.invoke(target, arguments);
        } catch (ReflectiveOperationException e) {
            throw unwrapped(e);
        }
    }

    private static Object construct(Class<?> type, Class<?>[] types, Object... arguments) {
        try {
            Constructor<?> constructor = type.getConstructor(types);
            return constructor.newInstance(arguments);
        } catch (ReflectiveOperationException e) {
            throw unwrapped(e);
        }
    }

    /** What a reflective call threw: the generated code's own runtime exception, else an AssertionError. */
    private static RuntimeException unwrapped(ReflectiveOperationException e) {
        if (e instanceof InvocationTargetException invocation && invocation.getCause() instanceof RuntimeException runtime) {
            return runtime;
        }
        throw new AssertionError(e instanceof InvocationTargetException ? e.getCause() : e);
    }
}
