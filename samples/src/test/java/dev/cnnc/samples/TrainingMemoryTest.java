package dev.cnnc.samples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * Training the Fashion-MNIST LeNet fits in {@code -Xmx256m}: a forked JVM with that heap (and
 * {@code -XX:+ExitOnOutOfMemoryError}, so an OutOfMemoryError in any thread fails it) holds a
 * full-size training set of 60,000 28x28 images (188 MB of floats) and trains on it for a few
 * seconds ({@link TrainInSmallHeap}).
 */
class TrainingMemoryTest {
    private static final Pattern RESULT = Pattern.compile("batches=(\\d+) images=(\\d+) peakHeapMiB=(\\d+) maxHeapMiB=(\\d+)");
    /** Where the machine keeps the real data set, if it has it. */
    private static final File FASHION_MNIST = new File("/usr/share/datasets/fashion-mnist");

    private static Matcher trainInSmallHeap(String... arguments) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(Arrays.asList(
            new File(System.getProperty("java.home"), "bin/java").getPath(), "-Xmx256m", "-XX:+ExitOnOutOfMemoryError",
            "-cp", System.getProperty("java.class.path"), TrainInSmallHeap.class.getName()));
        command.addAll(Arrays.asList(arguments));
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(process.waitFor(5, TimeUnit.MINUTES), "the training JVM did not end");
        assertEquals(0, process.exitValue(), "the training JVM failed with -Xmx256m:\n" + output);
        Matcher result = RESULT.matcher(output);
        assertTrue(result.find(), output);
        System.out.println("FashionLeNetModel in -Xmx256m, " + String.join(" ", arguments) + ": " + result.group());
        assertEquals(60_000, Integer.parseInt(result.group(2)));
        assertTrue(Integer.parseInt(result.group(1)) >= 1, "not one batch trained: " + result.group());
        assertTrue(Integer.parseInt(result.group(4)) <= 256, result.group());
        return result;
    }

    @Test
    void sixtyThousandGeneratedImagesTrainWithin256MegabytesOfHeap() throws Exception {
        trainInSmallHeap("generated", "60000", "3");
    }

    @Test
    void realFashionMnistLoadsAndTrainsWithin256MegabytesOfHeap() throws Exception {
        assumeTrue(new File(FASHION_MNIST, "train-images-idx3-ubyte.gz").isFile(), "no Fashion-MNIST on this machine");
        trainInSmallHeap("idx", FASHION_MNIST.getPath(), "3");
    }
}
