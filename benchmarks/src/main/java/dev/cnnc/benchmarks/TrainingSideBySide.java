package dev.cnnc.benchmarks;

import dev.cnnc.runtime.Dataset;
import dev.cnnc.runtime.Init;
import dev.cnnc.runtime.TrainableModel;
import dev.cnnc.runtime.Trainer;
import java.io.IOException;
import java.io.PrintStream;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
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
 * Two builds of one generated trainable model in one JVM, each from its own class loader, trained
 * against each other: one {@code Trainer.fit} epoch of A, one of B ({@link TrainingBenchmark#oneEpoch}),
 * alternating which goes first, each from the same parameters over the same images. Reports each build's median images per second and
 * B/A, and warns when the builds' losses differ (then they do not compute the same thing).
 *
 * <p>Why alternate the order: run both ways round on one build against another, the build that went
 * first was favoured by about 2% (docs/PERFORMANCE.md, "How far the kernels are from this machine's
 * floor"), and JMH runs of the training benchmark move by 10-30% with the host. Run it both ways round
 * ({@code --a old --b new}, then {@code --a new --b old}) before believing a difference of a few percent.
 *
 * <p>Build A and B into two directories (e.g. copy {@code samples/target/classes} after building
 * each), then: {@code java -cp benchmarks/target/classes:$(cat benchmarks/target/benchmarks.classpath)
 * dev.cnnc.benchmarks.TrainingSideBySide --a /tmp/a --b /tmp/b}.
 */
@Command(name = "training-side-by-side", mixinStandardHelpOptions = true,
        description = "Times Trainer.fit of two builds of <Network>Model in one JVM, epochs alternating A and B.")
public final class TrainingSideBySide implements Callable<Integer> {
    @Option(names = "--a", required = true, description = "Class directory or jar of build A.")
    Path a;

    @Option(names = "--b", required = true, description = "Class directory or jar of build B.")
    Path b;

    @Option(names = "--network", defaultValue = "CifarLeNet",
            description = "Generated network, dev.cnnc.samples.<NETWORK>Model (default: ${DEFAULT-VALUE}).")
    String network;

    @Option(names = "--threads", defaultValue = "1", description = "Trainer threads (default: ${DEFAULT-VALUE}).")
    int threads;

    @Option(names = "--epochs", defaultValue = "30",
            description = "Timed epochs per build, after the warm-up (default: ${DEFAULT-VALUE}).")
    int epochs;

    @Option(names = "--warm-up", defaultValue = "8",
            description = "Untimed epochs per build first: the JIT and the row-layout tuning (default: ${DEFAULT-VALUE}).")
    int warmUp;

    @Option(names = "--images", defaultValue = "3200",
            description = "Random images per epoch, trained in batches of 64 as TrainingBenchmark does (default: ${DEFAULT-VALUE}).")
    int images;

    @Spec
    CommandSpec spec;

    private static final long SEED = 42;

    private final PrintStream out;

    TrainingSideBySide(PrintStream out) {
        this.out = out;
    }

    public static void main(String[] args) {
        System.exit(new CommandLine(new TrainingSideBySide(System.out)).execute(args));
    }

    @Override
    public Integer call() throws Exception {
        if (threads < 1 || epochs < 1 || warmUp < 0 || images < 1) {
            throw usageError("--threads, --epochs and --images must be at least 1, --warm-up at least 0");
        }
        TrainableModel modelA = load("--a", a);
        TrainableModel modelB = load("--b", b);
        if (modelA.parameterCount() != modelB.parameterCount() || modelA.inputSize() != modelB.inputSize()
                || modelA.outputSize() != modelB.outputSize()) {
            throw usageError(network + ": the builds differ in shape (" + a + ": " + modelA.parameterCount()
                    + " parameters, " + b + ": " + modelB.parameterCount() + ")");
        }
        Init.HE_UNIFORM.apply(modelA, SEED);
        float[] start = modelA.parameters().clone();
        Dataset data = randomData(modelA);
        TrainableModel[] models = {modelA, modelB};
        List<List<Double>> rates = List.of(new ArrayList<>(), new ArrayList<>());
        double[] losses = new double[2];
        for (int epoch = 0; epoch < warmUp + epochs; epoch++) {
            for (int turn = 0; turn < 2; turn++) {
                int build = epoch % 2 == 0 ? turn : 1 - turn;
                System.arraycopy(start, 0, models[build].parameters(), 0, start.length);
                Trainer trainer = TrainingBenchmark.oneEpoch(models[build], threads);
                long begin = System.nanoTime();
                losses[build] = trainer.fit(data).trainLoss(0);
                double rate = images / ((System.nanoTime() - begin) / 1e9);
                if (epoch >= warmUp) {
                    rates.get(build).add(rate);
                }
            }
        }
        report(rates.get(0), rates.get(1), Double.doubleToLongBits(losses[0]) == Double.doubleToLongBits(losses[1]));
        return 0;
    }

    /** Gaussian pixels and uniform labels, the same for both builds. */
    private Dataset randomData(TrainableModel model) {
        SplittableRandom random = new SplittableRandom(SEED);
        float[] pixels = new float[images * model.inputSize()];
        for (int i = 0; i < pixels.length; i++) {
            pixels[i] = (float) random.nextGaussian();
        }
        int[] labels = new int[images];
        for (int i = 0; i < images; i++) {
            labels[i] = random.nextInt(model.outputSize());
        }
        return new Dataset(pixels, labels, model.inputSize());
    }

    private TrainableModel load(String option, Path location) throws ReflectiveOperationException, IOException {
        if (!Files.exists(location)) {
            throw usageError(option + " " + location + ": no such directory or jar");
        }
        String name = "dev.cnnc.samples." + network + "Model";
        BuildLoader loader = new BuildLoader(location);
        try {
            return (TrainableModel) Class.forName(name, true, loader).getConstructor().newInstance();
        } catch (ClassNotFoundException e) {
            loader.close();
            throw usageError(option + " " + location + " has no " + name);
        }
    }

    private CommandLine.ParameterException usageError(String message) {
        return new CommandLine.ParameterException(spec.commandLine(), message);
    }

    private void report(List<Double> ratesA, List<Double> ratesB, boolean sameLoss) {
        double medianA = SideBySide.median(ratesA);
        double medianB = SideBySide.median(ratesB);
        out.printf(Locale.ROOT, "%s, Java %s, %d thread%s: A %.0f images/s, B %.0f, B/A %.3f (median of %d epochs)%n",
                network, System.getProperty("java.version"), threads, threads == 1 ? "" : "s", medianA, medianB,
                medianB / medianA, ratesA.size());
        if (!sameLoss) {
            out.println("warning: the builds' training losses differ: they do not compute the same thing");
        }
    }

    /**
     * Loads the generated classes ({@code dev.cnnc.samples.*}) from one build only, never from this
     * JVM's class path, and everything else (the runtime they implement) from the class path, so that
     * both builds' models are {@link TrainableModel}s.
     */
    private static final class BuildLoader extends URLClassLoader {
        BuildLoader(Path location) throws IOException {
            super(new URL[] {location.toUri().toURL()}, TrainingSideBySide.class.getClassLoader());
        }

        @Override
        protected Class<?> loadClass(String name, boolean resolve) throws ClassNotFoundException {
            if (!name.startsWith("dev.cnnc.samples.")) {
                return super.loadClass(name, resolve);
            }
            synchronized (getClassLoadingLock(name)) {
                Class<?> loaded = findLoadedClass(name);
                return loaded != null ? loaded : findClass(name);
            }
        }
    }
}
