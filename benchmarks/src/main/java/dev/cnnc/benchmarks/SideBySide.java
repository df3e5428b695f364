package dev.cnnc.benchmarks;

import java.io.IOException;
import java.io.PrintStream;
import java.lang.invoke.MethodHandle;
import java.lang.ref.Reference;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * Two builds of one generated inference class in one JVM, each from its own class loader, timed
 * against each other: {@code predict} on 64 images in turn, windows of A and B alternating. Each phase
 * runs on a new thread, where both builds allocate new buffers at a new place in the heap (where they
 * land changes cnnc's speed by up to 25%: docs/PERFORMANCE.md, "Where the buffers land"). Reports each
 * build's median over the phases and B/A.
 *
 * <p>Build A and B into two directories (e.g. copy {@code samples/target/classes} after building
 * each), then: {@code java -cp benchmarks/target/classes:$(cat benchmarks/target/benchmarks.classpath)
 * dev.cnnc.benchmarks.SideBySide --a /tmp/a --b /tmp/b}. Pin the row layout
 * ({@code -Dcnnc.convLayout=padded|exact}) to compare kernels rather than the tuning.
 */
@Command(name = "side-by-side", mixinStandardHelpOptions = true,
        description = "Times two builds of <Network>Inference.predict in one JVM (A/B, new buffers every phase).")
public final class SideBySide implements Callable<Integer> {
    @Option(names = "--a", required = true, description = "Class directory or jar of build A.")
    Path a;

    @Option(names = "--b", required = true, description = "Class directory or jar of build B.")
    Path b;

    @Option(names = "--network", defaultValue = "CifarLeNet",
            description = "Generated network, dev.cnnc.samples.<NETWORK>Inference (default: ${DEFAULT-VALUE}).")
    String network;

    @Option(names = "--phases", defaultValue = "10",
            description = "Phases after two warm-up phases, each on a new thread with new buffers (default: ${DEFAULT-VALUE}).")
    int phases;

    @Option(names = "--window", defaultValue = "2000",
            description = "Images per timed window (default: ${DEFAULT-VALUE}).")
    int window;

    @Spec
    CommandSpec spec;

    /** Timed windows per build and phase; the first three warm each phase up. */
    private static final int WINDOWS = 10;
    private static final int WARM_WINDOWS = 3;
    private static final int WARM_PHASES = 2;
    private static final int IMAGES = 64;

    private final PrintStream out;

    SideBySide(PrintStream out) {
        this.out = out;
    }

    public static void main(String[] args) {
        System.exit(new CommandLine(new SideBySide(System.out)).execute(args));
    }

    @Override
    public Integer call() throws Exception {
        if (phases < 1 || window < 1) {
            throw usageError("--phases and --window must be at least 1");
        }
        Build buildA = load("--a", a);
        Build buildB = load("--b", b);
        if (buildA.inputSize != buildB.inputSize || buildA.parameters != buildB.parameters) {
            throw usageError(network + ": the builds differ in shape (" + a + ": " + buildA.parameters
                    + " parameters, " + b + ": " + buildB.parameters + ")");
        }
        SplittableRandom random = new SplittableRandom(1);
        float[] parameters = new float[buildA.parameters];
        for (int i = 0; i < parameters.length; i++) {
            parameters[i] = (float) (random.nextDouble(-0.1, 0.1));
        }
        float[][] images = new float[IMAGES][buildA.inputSize];
        for (float[] image : images) {
            for (int i = 0; i < image.length; i++) {
                image[i] = (float) random.nextDouble();
            }
        }
        MethodHandle predictA = buildA.predictor(parameters);
        MethodHandle predictB = buildB.predictor(parameters);
        float[] outputA = new float[buildA.outputSize];
        float[] outputB = new float[buildB.outputSize];
        List<Double> mediansA = new ArrayList<>();
        List<Double> mediansB = new ArrayList<>();
        for (int phase = 0; phase < WARM_PHASES + phases; phase++) {
            double[] medians = runPhase(phase, random, predictA, predictB, images, outputA, outputB);
            if (phase >= WARM_PHASES) {
                mediansA.add(medians[0]);
                mediansB.add(medians[1]);
            }
        }
        report(mediansA, mediansB, Arrays.equals(outputA, outputB));
        return 0;
    }

    private Build load(String option, Path location) throws ReflectiveOperationException, IOException {
        if (!Files.exists(location)) {
            throw usageError(option + " " + location + ": no such directory or jar");
        }
        Build build = Build.load(location, network);
        if (build == null) {
            throw usageError(option + " " + location + " has no dev.cnnc.samples." + network + "Inference");
        }
        return build;
    }

    private CommandLine.ParameterException usageError(String message) {
        return new CommandLine.ParameterException(spec.commandLine(), message);
    }

    /**
     * One phase on a new thread: the generated classes keep their buffers per thread, so each build
     * allocates new ones here, after a filler of random size and in alternating order, which puts them
     * somewhere else in the heap every phase. (A GC alone moves them too little: compaction keeps their
     * order and distances, and one placement can favour one build by 20%.)
     *
     * @return the median microseconds per image of A and of B over the phase's windows
     */
    private double[] runPhase(int phase, SplittableRandom random, MethodHandle predictA, MethodHandle predictB,
            float[][] images, float[] outputA, float[] outputB) throws Exception {
        int filler = random.nextInt(1, 4096);
        double[] medians = new double[2];
        Exception[] failure = new Exception[1];
        Thread thread = new Thread(() -> {
            try {
                Object[] keep = {new float[filler], null};
                if (phase % 2 == 0) {
                    time(predictA, images, outputA, 1);
                    keep[1] = new float[random.nextInt(1, 4096)];
                    time(predictB, images, outputB, 1);
                } else {
                    time(predictB, images, outputB, 1);
                    keep[1] = new float[random.nextInt(1, 4096)];
                    time(predictA, images, outputA, 1);
                }
                List<Double> timesA = new ArrayList<>();
                List<Double> timesB = new ArrayList<>();
                for (int w = 0; w < WINDOWS; w++) {
                    double timeA = time(predictA, images, outputA, window);
                    double timeB = time(predictB, images, outputB, window);
                    if (w >= WARM_WINDOWS) {
                        timesA.add(timeA);
                        timesB.add(timeB);
                    }
                }
                medians[0] = median(timesA);
                medians[1] = median(timesB);
                Reference.reachabilityFence(keep); // the fillers stay where they are until the phase ends
            } catch (Exception e) {
                failure[0] = e;
            }
        }, "side-by-side-" + phase);
        thread.start();
        thread.join();
        if (failure[0] != null) {
            throw failure[0];
        }
        System.gc(); // the finished thread's buffers go
        return medians;
    }

    /**
     * Microseconds per image over {@code count} images. (The handles are not constants, so neither
     * build's {@code predict} is inlined here: both pay the same call.)
     */
    private static double time(MethodHandle predict, float[][] images, float[] output, int count) throws Exception {
        long start = System.nanoTime();
        try {
            for (int n = 0; n < count; n++) {
                predict.invokeExact(images[n % IMAGES], output);
            }
        } catch (Exception | Error e) {
            throw e;
        } catch (Throwable t) {
            throw new IllegalStateException(t); // invokeExact declares Throwable; predict throws nothing else
        }
        return (System.nanoTime() - start) / 1e3 / count;
    }

    private void report(List<Double> mediansA, List<Double> mediansB, boolean sameOutputs) {
        StringBuilder phasesLine = new StringBuilder();
        for (int i = 0; i < mediansA.size(); i++) {
            phasesLine.append(String.format(Locale.ROOT, " %.1f/%.1f", mediansA.get(i), mediansB.get(i)));
        }
        double medianA = median(mediansA);
        double medianB = median(mediansB);
        out.printf(Locale.ROOT, "%s, Java %s: A %.1f us per image, B %.1f, B/A %.3f (median of %d phases)%n",
                network, System.getProperty("java.version"), medianA, medianB, medianB / medianA, mediansA.size());
        out.println("per phase, A/B:" + phasesLine);
        if (!sameOutputs) {
            out.println("warning: the builds' outputs differ on the last image: they do not compute the same thing");
        }
    }

    static double median(List<Double> values) {
        List<Double> sorted = new ArrayList<>(values);
        Collections.sort(sorted);
        int n = sorted.size();
        return n % 2 == 1 ? sorted.get(n / 2) : (sorted.get(n / 2 - 1) + sorted.get(n / 2)) / 2;
    }

    /** One build's generated class, loaded apart from every other build. */
    private static final class Build {
        final Class<?> type;
        final int parameters;
        final int inputSize;
        final int outputSize;

        private Build(Class<?> type) throws ReflectiveOperationException {
            this.type = type;
            this.parameters = type.getField("PARAMS").getInt(null);
            this.inputSize = type.getField("INPUT_SIZE").getInt(null);
            this.outputSize = type.getField("OUTPUT_SIZE").getInt(null);
        }

        /** The build's class, or null if {@code location} has none of that name. */
        static Build load(Path location, String network) throws ReflectiveOperationException, IOException {
            String name = "dev.cnnc.samples." + network + "Inference";
            // the platform loader as parent: the class must not come from this JVM's own class path
            URLClassLoader loader = new URLClassLoader(new URL[] {location.toUri().toURL()},
                    ClassLoader.getPlatformClassLoader());
            try {
                return new Build(Class.forName(name, true, loader));
            } catch (ClassNotFoundException e) {
                loader.close();
                return null;
            }
        }

        MethodHandle predictor(float[] parameters) throws ReflectiveOperationException {
            Object inference = type.getConstructor(float[].class).newInstance((Object) parameters);
            return MethodHandles.publicLookup()
                    .findVirtual(type, "predict", MethodType.methodType(void.class, float[].class, float[].class))
                    .bindTo(inference);
        }
    }
}
