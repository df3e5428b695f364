package dev.cnnc.benchmarks;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.cnnc.samples.EdgeFiltersInference;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@link SideBySide}: loads two builds apart, reports both and their ratio; bad options are usage errors. */
class SideBySideTest {
    private static Path samples() throws Exception {
        return CommandRun.location(EdgeFiltersInference.class);
    }

    private static String[] run(String... args) {
        return CommandRun.run(SideBySide::new, args);
    }

    @Test
    void reportsBothBuildsPerPhaseAndTheirRatio() throws Exception {
        String location = samples().toString();
        String[] result = run("--a", location, "--b", location, "--network", "EdgeFilters", "--phases", "3",
                "--window", "20");
        assertEquals("0", result[0], result[2]);
        String[] lines = result[1].split("\n");
        assertTrue(lines[0].matches("EdgeFilters, Java .*: A [0-9.]+ us per image, B [0-9.]+, B/A [0-9.]+ \\(median of 3 phases\\)"),
                lines[0]);
        assertTrue(lines[1].matches("per phase, A/B:( [0-9.]+/[0-9.]+){3}"), lines[1]);
        assertFalse(result[1].contains("warning"), "one build twice computes the same outputs");
    }

    @Test
    void aMissingBuildOrNetworkIsAUsageErrorNamingIt(@TempDir Path empty) throws Exception {
        String location = samples().toString();
        String[] missing = run("--a", empty.resolve("nothing").toString(), "--b", location);
        assertEquals("2", missing[0]);
        assertTrue(missing[2].contains("--a " + empty.resolve("nothing") + ": no such directory or jar"), missing[2]);

        String[] noClass = run("--a", location, "--b", empty.toString(), "--network", "EdgeFilters");
        assertEquals("2", noClass[0]);
        assertTrue(noClass[2].contains("--b " + empty + " has no dev.cnnc.samples.EdgeFiltersInference"), noClass[2]);

        String[] badPhases = run("--a", location, "--b", location, "--phases", "0");
        assertEquals("2", badPhases[0]);
        assertTrue(badPhases[2].contains("--phases and --window must be at least 1"), badPhases[2]);
    }

    @Test
    void theMedianOfAnEvenCountIsTheMeanOfTheMiddleTwo() {
        assertEquals(2.5, SideBySide.median(List.of(4.0, 1.0, 3.0, 2.0)));
        assertEquals(3.0, SideBySide.median(List.of(5.0, 3.0, 1.0)));
    }
}
