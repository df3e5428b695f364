package dev.cnnc.benchmarks;

import dev.cnnc.benchmarks.PeerContender.Measure;
import dev.cnnc.benchmarks.PeerContender.Peer;
import ai.onnxruntime.OrtException;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * cnnc against its peer, timed in alternating windows of a few tens of milliseconds or more, so that
 * both meet the same host: ONNX Runtime in the same JVM for inference, PyTorch in a
 * {@code torch_lenet.py --serve} process for training and, with {@code --peer PyTorch}, batch-1
 * latency. On the 2-vCPU machines of these runs the host's
 * slow stretches last from a fraction of a second to minutes and hit whichever contender runs then: in
 * {@code compare-peers.sh}, whose steps take minutes each, ORT's own batch-1 median moved between 39
 * and 64 us from run to run, which decided whether cnnc's ratio read above or below 1. Here each phase
 * is one window of each, in alternating order, and the ratio is taken per phase; the report gives its
 * median and range over the phases, besides each contender's median figure.
 *
 * <p>The work is that of the JMH benchmarks: batch-1 latency (one caller timing each image of 64 in turn,
 * as {@code InferenceLatencyBenchmark.oneThread}, against {@code OnnxRuntimeBenchmark.latencyBatch1} or
 * {@code torch_lenet.py}'s {@code infer_b1_us}; with {@code --threads 2} still one cnnc caller, each image
 * run over its thread and a helper thread by the generated {@code twoThreads()}, as
 * {@code InferenceLatencyBenchmark.predictTwoThreads}, against one peer caller on 2 intra-op threads; latency
 * takes 1 or 2 threads), batch-256 throughput ({@code predictBatch} on a thread pool against one 256-image
 * ORT tensor) and training ({@code TrainingBenchmark}'s one-epoch fits
 * against {@code torch_lenet.py}'s steps; a window runs whole epochs of 50 batches). From
 * {@code benchmarks/}, after the export ({@code peers/export_onnx.py target/onnx}):
 * {@code java -Dcnnc.onnx.dir=target/onnx -cp target/classes:$(cat target/benchmarks.classpath)
 * dev.cnnc.benchmarks.PeerSideBySide --measure latency --threads 1}.
 *
 * <p>With {@code --against-one-thread} the other contender is cnnc itself on one thread, so the ratio
 * is what {@code --threads} threads give over one, paired the same way (batch and training only).
 */
@Command(name = "peer-side-by-side", mixinStandardHelpOptions = true,
        description = "Times cnnc against ONNX Runtime (inference) or PyTorch (training, batch-1 latency) in alternating"
                + " windows, and prints the ratio per phase.")
public final class PeerSideBySide implements Callable<Integer> {
    @Option(names = "--network", defaultValue = "CifarLeNet",
            description = "CifarLeNet or FashionLeNet (default: ${DEFAULT-VALUE}).")
    BenchmarkNetwork network;

    @Option(names = "--measure", defaultValue = "latency",
            description = "latency (batch 1, median us per image), batch (batch 256, images/s) or training (batch 64,"
                    + " images/s, against PyTorch) (default: ${DEFAULT-VALUE}).")
    Measure measure;

    @Option(names = "--peer",
            description = "ORT or PyTorch (default: ORT for latency and batch, PyTorch for training; latency takes either).")
    Peer peer;

    @Option(names = "--threads", defaultValue = "1",
            description = "Threads per image (latency, 1 or 2: on 2 one cnnc caller runs each image over its own and a"
                    + " helper thread, twoThreads(), and the peer one caller on 2 intra-op threads), pool threads (batch)"
                    + " or trainer threads; the peer's threads (default: ${DEFAULT-VALUE}).")
    int threads;

    @Option(names = "--phases", defaultValue = "12",
            description = "Timed phases, each one window of each contender (default: ${DEFAULT-VALUE}).")
    int phases;

    @Option(names = "--window-ms", defaultValue = "1500",
            description = "Milliseconds per window (default: ${DEFAULT-VALUE}).")
    int windowMillis;

    @Option(names = "--lead-in-ms", defaultValue = "0",
            description = "Milliseconds of untimed work (at least one batch or epoch) by a contender right before each of"
                    + " its timed windows, so that neither is timed straight after an idle gap (default: ${DEFAULT-VALUE}).")
    int leadInMillis;

    @Option(names = "--warm-up-s", defaultValue = "40",
            description = "Seconds of untimed alternating windows first: the JIT compiles both, and the generated"
                    + " class tunes its layouts on its first ~32,000 images (default: ${DEFAULT-VALUE}).")
    int warmUpSeconds;

    @Option(names = "--against-one-thread",
            description = "Pair cnnc on --threads threads with cnnc on one thread instead of its peer: the"
                    + " multi-thread scaling, batch or training only.")
    boolean againstOneThread;

    @Option(names = "--json", description = "Also append the result as one JSON line to this file (compare-peers.sh's report reads it).")
    Path json;

    @Spec
    CommandSpec spec;

    /** The other contender's name in reports with {@code --against-one-thread}. */
    static final String ONE_THREAD = "cnnc-1-thread";

    private final PrintStream out;

    PeerSideBySide(PrintStream out) {
        this.out = out;
    }

    public static void main(String[] args) {
        System.exit(new CommandLine(new PeerSideBySide(System.out)).execute(args));
    }

    @Override
    public Integer call() throws Exception {
        if (threads < 1 || phases < 1 || windowMillis < 10 || warmUpSeconds < 0 || leadInMillis < 0) {
            throw new CommandLine.ParameterException(spec.commandLine(), "--threads and --phases must be at least 1,"
                    + " --window-ms at least 10, --warm-up-s and --lead-in-ms not negative");
        }
        if (measure == Measure.latency && threads > 2) {
            throw new CommandLine.ParameterException(spec.commandLine(), "--measure latency takes --threads 1 or 2:"
                    + " cnnc runs one image at a time over at most two threads (twoThreads())");
        }
        if (againstOneThread && (measure == Measure.latency || threads < 2)) {
            throw new CommandLine.ParameterException(spec.commandLine(), "--against-one-thread needs --measure batch or"
                    + " training and --threads of at least 2");
        }
        if (peer != null && (againstOneThread || !measure.measures(peer))) {
            throw new CommandLine.ParameterException(spec.commandLine(), againstOneThread
                    ? "--peer and --against-one-thread exclude each other"
                    : "--measure " + measure + " is measured against " + measure.peerNames() + ", not " + peer);
        }
        long window = TimeUnit.MILLISECONDS.toNanos(windowMillis);
        long leadIn = TimeUnit.MILLISECONDS.toNanos(leadInMillis);
        try (PeerContender cnnc = measure.cnnc(network, threads);
                PeerContender peer = openPeer()) {
            if (peer == null) {
                return 1;
            }
            long warmUpEnd = System.nanoTime() + TimeUnit.SECONDS.toNanos(warmUpSeconds);
            while (System.nanoTime() < warmUpEnd) {
                cnnc.window(window);
                peer.window(window);
            }
            Side ours = new Side(cnnc);
            Side theirs = new Side(peer);
            List<Double> ratios = new ArrayList<>();
            StringBuilder perPhase = new StringBuilder();
            for (int phase = 0; phase < phases; phase++) {
                double cnncFigure;
                double peerFigure;
                if (phase % 2 == 0) {
                    cnncFigure = ours.timedWindow(leadIn, window);
                    peerFigure = theirs.timedWindow(leadIn, window);
                } else {
                    peerFigure = theirs.timedWindow(leadIn, window);
                    cnncFigure = ours.timedWindow(leadIn, window);
                }
                ratios.add(cnncFigure / peerFigure);
                perPhase.append(String.format(Locale.ROOT, " %.1f/%.1f", cnncFigure, peerFigure));
            }
            report(ours, theirs, ratios, perPhase);
        }
        return 0;
    }

    /** One contender's timed windows, and what its lead-ins measured. */
    static final class Side {
        final PeerContender contender;
        final List<Double> figures = new ArrayList<>();
        /** Per phase, the lead-in's figure over the timed window's: what following the other contender costs. */
        final List<Double> leadInOverTimed = new ArrayList<>();

        Side(PeerContender contender) {
            this.contender = contender;
        }

        /** One timed window, after the untimed lead-in if there is one; its figure. */
        double timedWindow(long leadIn, long window) throws Exception {
            double leadInFigure = leadIn > 0 ? contender.window(leadIn) : Double.NaN;
            double figure = contender.window(window);
            figures.add(figure);
            if (leadIn > 0) {
                leadInOverTimed.add(leadInFigure / figure);
            }
            return figure;
        }

        /** The median of {@link #leadInOverTimed}, or null without lead-ins. */
        Double leadInMedian() {
            return leadInOverTimed.isEmpty() ? null : SideBySide.median(leadInOverTimed);
        }
    }

    /** A JSON number, or null. */
    private static String json(Double value) {
        return value == null ? "null" : String.format(Locale.ROOT, "%.4f", value);
    }

    /** The peer named by {@code --peer}, or the measure's default. */
    private Peer chosenPeer() {
        return peer != null ? peer : measure.defaultPeer;
    }

    /** The peer's side, or null after saying why it cannot start (missing model files or script). */
    private PeerContender openPeer() throws OrtException {
        if (againstOneThread) {
            return measure.cnnc(network, 1);
        }
        try {
            return measure.peer(network, threads, chosenPeer());
        } catch (IOException e) {
            spec.commandLine().getErr().println(e.getMessage());
            return null;
        }
    }

    private void report(Side ours, Side theirs, List<Double> ratios, StringBuilder perPhase) {
        String other = againstOneThread ? ONE_THREAD : chosenPeer().name();
        String unit = measure == Measure.latency ? "us per image (median of the window's calls)" : "images/s";
        String better = measure == Measure.latency ? "below 1: cnnc faster" : "above 1: cnnc faster";
        List<Double> sorted = new ArrayList<>(ratios);
        sorted.sort(null);
        double cnncMedian = SideBySide.median(ours.figures);
        double peerMedian = SideBySide.median(theirs.figures);
        double ratioMedian = SideBySide.median(ratios);
        double low = sorted.get(0);
        double high = sorted.get(sorted.size() - 1);
        Double cnncLeadIn = ours.leadInMedian();
        Double peerLeadIn = theirs.leadInMedian();
        String cpus = AllowedCpus.ofThisProcess();
        out.printf(Locale.ROOT, "%s %s, %d thread(s), Java %s, %d phases of %d ms per contender%s%s%n", network, measure,
                threads, System.getProperty("java.version"), ratios.size(), windowMillis,
                leadInMillis == 0 ? "" : ", each after its own untimed lead-in of " + leadInMillis + " ms",
                cpus == null ? "" : ", CPUs " + cpus);
        out.printf(Locale.ROOT, "cnnc %.1f, %s %.1f %s (medians over the phases)%n",
                cnncMedian, other, peerMedian, unit);
        out.printf(Locale.ROOT, "cnnc/%s per phase: median %.3f, range %.3f-%.3f (%s)%n", other, ratioMedian, low, high,
                better);
        out.println("per phase, cnnc/" + other + ":" + perPhase);
        if (cnncLeadIn != null) {
            // comparable with the timed window when the lead-in is as long (a training window is one epoch either way)
            out.printf(Locale.ROOT, "lead-in over timed window, median over the phases (the first window after the other"
                    + " contender against the one after it; %s: following the other costs): cnnc %.3f, %s %.3f%n",
                    measure == Measure.latency ? "above 1" : "below 1", cnncLeadIn, other, peerLeadIn);
        }
        if (measure != Measure.training) {
            String setup = ours.contender.setup();
            out.println(network + " kernels: predictBatch " + network.batchKernel() + "; rows " + network.convLayout()
                    + (setup == null ? "" : "; " + setup));
        }
        if (json != null) {
            String line = String.format(Locale.ROOT, "{\"network\": \"%s\", \"measure\": \"%s\", \"peer\": \"%s\", \"threads\": %d, "
                    + "\"java\": \"%s\", \"phases\": %d, \"window_ms\": %d, \"lead_in_ms\": %d, \"cnnc\": %.4f, \"peer_value\": %.4f, "
                    + "\"ratio_median\": %.4f, \"ratio_low\": %.4f, \"ratio_high\": %.4f, \"cnnc_lead_in_over_timed\": %s, "
                    + "\"peer_lead_in_over_timed\": %s, \"cpus\": %s}%n", network.peerName, measure,
                    other, threads, System.getProperty("java.version"), ratios.size(), windowMillis, leadInMillis,
                    cnncMedian, peerMedian, ratioMedian, low, high, json(cnncLeadIn), json(peerLeadIn),
                    cpus == null ? "null" : "\"" + cpus + "\"");
            try {
                Files.writeString(json, line, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
            } catch (IOException e) {
                throw new UncheckedIOException("--json " + json + ": " + e.getMessage(), e);
            }
        }
    }
}
