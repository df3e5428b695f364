package dev.cnnc.benchmarks;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.cnnc.samples.FashionLeNetModel;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@link TrainingSideBySide}: trains two builds loaded apart, reports both and their ratio; bad options are usage errors. */
class TrainingSideBySideTest {
    private static Path samples() throws Exception {
        return CommandRun.location(FashionLeNetModel.class);
    }

    private static String[] run(String... args) {
        return CommandRun.run(TrainingSideBySide::new, args);
    }

    @Test
    void reportsBothBuildsAndTheirRatio() throws Exception {
        String location = samples().toString();
        String[] result = run("--a", location, "--b", location, "--network", "FashionLeNet", "--images", "128",
                "--epochs", "3", "--warm-up", "1", "--threads", "2");
        assertEquals("0", result[0], result[2]);
        assertTrue(result[1].matches("FashionLeNet, Java .*, 2 threads: A [0-9]+ images/s, B [0-9]+, B/A [0-9.]+ "
                + "\\(median of 3 epochs\\)\\R"), result[1]);
        assertFalse(result[1].contains("warning"), "one build twice trains to the same loss");
    }

    @Test
    void aMissingBuildOrNetworkOrABadCountIsAUsageErrorNamingIt(@TempDir Path empty) throws Exception {
        String location = samples().toString();
        String[] missing = run("--a", empty.resolve("nothing").toString(), "--b", location);
        assertEquals("2", missing[0]);
        assertTrue(missing[2].contains("--a " + empty.resolve("nothing") + ": no such directory or jar"), missing[2]);

        // the build's directory lacks the class: it must not come from this JVM's class path instead
        String[] noClass = run("--a", location, "--b", empty.toString(), "--network", "FashionLeNet");
        assertEquals("2", noClass[0]);
        assertTrue(noClass[2].contains("--b " + empty + " has no dev.cnnc.samples.FashionLeNetModel"), noClass[2]);

        String[] badEpochs = run("--a", location, "--b", location, "--epochs", "0");
        assertEquals("2", badEpochs[0]);
        assertTrue(badEpochs[2].contains("--threads, --epochs and --images must be at least 1"), badEpochs[2]);
    }
}
