package dev.cnnc.runtime.fuzz;

import dev.cnnc.runtime.SplitMix64;
import java.io.File;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Runs a parser on many hostile inputs and allows exactly two outcomes: it loads (and the caller's
 * checks of the result pass), or it throws the documented exception with a message naming the
 * source. Anything else fails the test with the case number, the seed and the edits that made the
 * input, which is also saved under {@code target/fuzz-failures/}: any other exception or error
 * (ArrayIndexOutOfBounds, NegativeArraySize, OutOfMemoryError, ...), a message that does not name
 * the source, a case that takes longer than {@link #TIME_LIMIT_SECONDS} (a hang), or a case that
 * allocates more than the caller's allowance (a size taken from a header before it was checked).
 */
public final class ParserFuzz {
    /** Longer than any honest parse of a test input by three orders of magnitude. */
    public static final int TIME_LIMIT_SECONDS = 20;

    private static final com.sun.management.ThreadMXBean THREADS =
        (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();

    /** Parses one input; returns normally if it loaded (after checking the result), else throws. */
    public interface Target {
        void parse(byte[] input) throws Exception;
    }

    /** Makes the next input from the case's own generator. */
    public interface Generator {
        ByteMutator.Mutant next(SplitMix64 random);
    }

    /** Bytes a case may allocate, given its input. */
    public interface Allowance {
        long bytes(byte[] input);
    }

    private final String name;
    private final Class<? extends Exception> documented;
    private final String sourceName;
    private Allowance allowance = input -> (8L << 20) + 64L * input.length;

    /**
     * @param name       the property, for reports ("WeightsFile.load")
     * @param documented the exception the parser documents for bad input
     * @param sourceName text every such message must contain (the file name or path given to the parser)
     */
    public ParserFuzz(String name, Class<? extends Exception> documented, String sourceName) {
        this.name = name;
        this.documented = documented;
        this.sourceName = sourceName;
    }

    /** Replaces the default allowance of 8 MiB plus 64 bytes per input byte. */
    public ParserFuzz allowance(Allowance allowance) {
        this.allowance = allowance;
        return this;
    }

    /** What a run saw; {@link #toString()} is the line the reliability table quotes. */
    public static final class Report {
        public final String name;
        public final int cases;
        public int loaded;
        public int rejected;
        public long maxAllocated;
        public long slowestNanos;
        /** Rejection messages with the source and numbers removed, and how often each came. */
        public final Map<String, Integer> messages = new TreeMap<String, Integer>();

        Report(String name, int cases) {
            this.name = name;
            this.cases = cases;
        }

        @Override
        public String toString() {
            return String.format("fuzz %s: %d cases, %d loaded, %d rejected (%d distinct messages), "
                    + "max allocation %.1f MiB, slowest case %.1f ms", name, cases, loaded, rejected, messages.size(),
                maxAllocated / 1048576.0, slowestNanos / 1e6);
        }
    }

    /** Runs {@link FuzzSettings#cases(int)} cases; fails on the first forbidden outcome. */
    public Report run(int ciCases, Generator generator, Target target) {
        int cases = FuzzSettings.cases(ciCases);
        long seed = FuzzSettings.seed();
        Report report = new Report(name, cases);
        ExecutorService watchdog = Executors.newSingleThreadExecutor(runnable -> {
            Thread thread = new Thread(runnable, "fuzz-" + name);
            thread.setDaemon(true);
            return thread;
        });
        try {
            for (int index = 0; index < cases; index++) {
                SplitMix64 random = SplitMix64.derive(seed, name.hashCode(), index);
                ByteMutator.Mutant mutant = generator.next(random);
                runCase(index, seed, mutant, target, watchdog, report);
            }
        } finally {
            watchdog.shutdownNow();
        }
        System.out.println(report);
        return report;
    }

    private void runCase(int index, long seed, ByteMutator.Mutant mutant, Target target, ExecutorService watchdog,
                         Report report) {
        final byte[] input = mutant.bytes;
        Future<long[]> future = watchdog.submit(() -> {
            long before = THREADS.getCurrentThreadAllocatedBytes();
            long start = System.nanoTime();
            Throwable thrown = null;
            try {
                target.parse(input);
            } catch (Throwable t) {
                thrown = t;
            }
            long[] cost = {THREADS.getCurrentThreadAllocatedBytes() - before, System.nanoTime() - start};
            if (thrown != null) {
                throw new CaseOutcome(thrown, cost);
            }
            return cost;
        });
        long[] cost;
        Throwable thrown = null;
        try {
            cost = future.get(TIME_LIMIT_SECONDS, TimeUnit.SECONDS);
        } catch (TimeoutException e) {
            future.cancel(true);
            throw failure(index, seed, mutant, "still running after " + TIME_LIMIT_SECONDS + " s (a hang)", null);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted", e);
        } catch (ExecutionException e) {
            CaseOutcome outcome = (CaseOutcome) e.getCause();
            thrown = outcome.getCause();
            cost = outcome.cost;
        }
        if (cost[0] > allowance.bytes(input)) {
            throw failure(index, seed, mutant, "allocated " + cost[0] + " bytes, more than the allowance of "
                + allowance.bytes(input) + " for " + input.length + " input bytes (a size used before it was checked?)",
                thrown);
        }
        report.maxAllocated = Math.max(report.maxAllocated, cost[0]);
        report.slowestNanos = Math.max(report.slowestNanos, cost[1]);
        if (thrown == null) {
            report.loaded++;
            return;
        }
        if (!documented.isInstance(thrown)) {
            throw failure(index, seed, mutant, "threw " + thrown.getClass().getName() + ", not the documented "
                + documented.getSimpleName(), thrown);
        }
        String message = thrown.getMessage();
        if (message == null || !message.contains(sourceName)) {
            throw failure(index, seed, mutant, "the message does not name the source " + sourceName + ": " + message,
                thrown);
        }
        report.rejected++;
        String shape = (sourceName.isEmpty() ? message : message.replace(sourceName, "<source>")).replaceAll("[0-9a-fA-F]*[0-9][0-9a-fA-F]*", "#");
        report.messages.merge(shape.length() > 80 ? shape.substring(0, 80) : shape, 1, Integer::sum);
    }

    private AssertionError failure(int index, long seed, ByteMutator.Mutant mutant, String what, Throwable thrown) {
        File saved = new File("target/fuzz-failures/" + name.replaceAll("[^A-Za-z0-9.]", "_") + "-" + index + ".bin");
        String where;
        try {
            Files.createDirectories(saved.getParentFile().toPath());
            Files.write(saved.toPath(), mutant.bytes);
            where = saved.getPath();
        } catch (IOException e) {
            where = "not saved: " + e;
        }
        String trace = "";
        if (thrown != null) {
            StringWriter text = new StringWriter();
            thrown.printStackTrace(new PrintWriter(text));
            trace = "\n" + text;
        }
        return new AssertionError(name + " case " + index + " (-Dcnnc.fuzz.seed=0x" + Long.toHexString(seed) + "): "
            + what + "\n  input: " + mutant.edits + "\n  saved: " + where + trace, thrown);
    }

    /** Carries a thrown exception and the case's cost out of the watchdog thread. */
    private static final class CaseOutcome extends Exception {
        private static final long serialVersionUID = 1L;
        final long[] cost;

        CaseOutcome(Throwable thrown, long[] cost) {
            super(thrown);
            this.cost = cost;
        }
    }
}
