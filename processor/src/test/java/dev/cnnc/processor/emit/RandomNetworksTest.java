package dev.cnnc.processor.emit;

import static com.google.testing.compile.Compiler.javac;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import com.google.testing.compile.Compilation;
import com.google.testing.compile.JavaFileObjects;
import dev.cnnc.processor.CnncProcessor;
import dev.cnnc.runtime.SplitMix64;
import dev.cnnc.runtime.fuzz.FuzzSettings;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import javax.tools.Diagnostic;
import javax.tools.JavaFileObject;
import org.junit.jupiter.api.Test;

/**
 * The processor under random networks ({@link RandomNetworks}), several per javac invocation: it
 * never throws into javac or reports an internal error; every valid network compiles, and its
 * forward pass matches the double-precision reference, a run of samples gives its per-sample bits
 * (a sample also passes the gradient check);
 * every broken network fails, its first error is the documented message on the broken layer's
 * line, and nothing is generated for it. {@code -Dcnnc.fuzz.scale=N} runs N times the rounds.
 */
class RandomNetworksTest {
    private static final int PER_ROUND = 10;
    private static final int GRADIENT_CHECKS_PER_ROUND = 2;
    /** Broken networks compile in a fraction of a second per round (no code is generated or run). */
    private static final int BROKEN_ROUNDS = 3;

    @Test
    void validNetworksCompileAndComputeTheReference() {
        int rounds = FuzzSettings.cases(1);
        int compiled = 0;
        for (int round = 0; round < rounds; round++) {
            SplitMix64 random = SplitMix64.derive(FuzzSettings.seed(), 0x7A11D, round);
            List<NetworkSource> sources = new ArrayList<>();
            List<JavaFileObject> files = new ArrayList<>();
            for (int n = 0; n < PER_ROUND; n++) {
                NetworkSource source = RandomNetworks.valid(String.format(Locale.ROOT, "Valid%d_%d", round, n), random);
                sources.add(source);
                files.add(JavaFileObjects.forSourceString(source.qualifiedName(), source.text()));
            }
            Compilation compilation = compile(files);
            assertNoInternalError(compilation, round);
            int thisRound = round;
            assertEquals(Compilation.Status.SUCCESS, compilation.status(),
                    () -> "round " + thisRound + " " + seedNote() + ": " + compilation.errors() + "\n" + sources);
            for (int n = 0; n < sources.size(); n++) {
                NetworkSource source = sources.get(n);
                GeneratedNetwork generated = GeneratedNetwork.of(compilation, source.qualifiedName());
                try {
                    GradientCheckTest.assertForwardMatchesReference(source, generated);
                    // the inference class's dense layers use transposed weights: still the model's bits
                    StandaloneInferenceTest.assertAgreement(generated);
                    // and the trainer's run of samples (dense weights transposed per run) its per-sample bits
                    GradientRunTest.assertRunMatchesSamples(generated);
                    if (n < GRADIENT_CHECKS_PER_ROUND) {
                        GradientCheckTest.assertGradientMatchesFiniteDifferences(source, generated);
                    }
                } catch (AssertionError e) {
                    throw new AssertionError("round " + round + " " + seedNote() + ":\n" + source.text(), e);
                }
                compiled++;
            }
        }
        System.out.println("fuzz processor, valid networks: " + compiled + " compiled and matched the reference (and their inference classes the model bit for bit) in "
                + rounds + " javac runs, " + rounds * GRADIENT_CHECKS_PER_ROUND + " gradient-checked");
    }

    @Test
    void brokenNetworksFailWithTheDocumentedMessageOnTheirLine() {
        int rounds = FuzzSettings.cases(BROKEN_ROUNDS);
        Map<String, Integer> rules = new TreeMap<>();
        for (int round = 0; round < rounds; round++) {
            SplitMix64 random = SplitMix64.derive(FuzzSettings.seed(), 0xB40CE, round);
            List<RandomNetworks.Broken> networks = new ArrayList<>();
            List<JavaFileObject> files = new ArrayList<>();
            for (int n = 0; n < PER_ROUND; n++) {
                RandomNetworks.Broken broken = RandomNetworks.broken(
                        String.format(Locale.ROOT, "Broken%d_%d", round, n), random);
                networks.add(broken);
                files.add(JavaFileObjects.forSourceString(broken.source().qualifiedName(), broken.source().text()));
            }
            Compilation compilation = compile(files);
            assertNoInternalError(compilation, round);
            for (RandomNetworks.Broken broken : networks) {
                assertFirstError(compilation, broken, round);
                rules.merge(broken.rule(), 1, Integer::sum);
            }
        }
        System.out.println("fuzz processor, broken networks: " + rounds * PER_ROUND + " in " + rounds
                + " javac runs, each refused on its line: " + rules);
    }

    private static Compilation compile(List<JavaFileObject> files) {
        try {
            return javac().withProcessors(new CnncProcessor()).withOptions("-Acnnc.summary=false").compile(files);
        } catch (RuntimeException e) {
            // compile-testing rethrows what a processor threw into javac.
            throw new AssertionError("the processor threw into javac " + seedNote(), e);
        }
    }

    private static void assertNoInternalError(Compilation compilation, int round) {
        for (Diagnostic<? extends JavaFileObject> diagnostic : compilation.diagnostics()) {
            String message = diagnostic.getMessage(Locale.ROOT);
            if (message.contains("internal error")) {
                fail("round " + round + " " + seedNote() + ": " + message);
            }
        }
    }

    private static void assertFirstError(Compilation compilation, RandomNetworks.Broken broken, int round) {
        String name = broken.source().qualifiedName();
        String file = name.replace('.', '/') + ".java";
        List<Diagnostic<? extends JavaFileObject>> errors = new ArrayList<>();
        for (Diagnostic<? extends JavaFileObject> error : compilation.errors()) {
            if (error.getSource() != null && error.getSource().getName().endsWith(file)) {
                errors.add(error);
            }
        }
        String context = "round " + round + " " + seedNote() + ", " + broken.rule() + ":\n" + broken.source().text()
                + "errors: " + errors;
        assertFalse(errors.isEmpty(), () -> "no error for " + context);
        errors.sort(Comparator.comparingLong(Diagnostic::getLineNumber));
        Diagnostic<? extends JavaFileObject> first = errors.get(0);
        assertEquals(broken.line(), first.getLineNumber(), () -> "line of the first error of " + context);
        assertTrue(first.getMessage(Locale.ROOT).startsWith(broken.expected()),
                () -> "expected \"" + broken.expected() + "...\" first, in " + context);
        // compile-testing keeps no generated files of a failed compilation; the processor says it wrote none.
        String simpleName = name.substring(name.lastIndexOf('.') + 1);
        assertTrue(compilation.notes().stream().anyMatch(note -> note.getMessage(Locale.ROOT)
                        .equals("cnnc generated nothing for " + simpleName + " because of the errors above")),
                () -> "no 'generated nothing' note for " + context);
    }

    private static String seedNote() {
        return "(-Dcnnc.fuzz.seed=0x" + Long.toHexString(FuzzSettings.seed()) + ")";
    }
}
