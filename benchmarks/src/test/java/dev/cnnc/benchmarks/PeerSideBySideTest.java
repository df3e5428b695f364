package dev.cnnc.benchmarks;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@link PeerSideBySide} and cnnc's side of it: bad options are usage errors, missing ONNX models a
 * message that says how to make them, and cnnc's windows measure what they claim. (ONNX Runtime's
 * side needs the models that {@code export_onnx.py} writes with PyTorch, which the test machine need
 * not have; compare-peers.sh runs it.)
 */
class PeerSideBySideTest {
    private static final long WINDOW = TimeUnit.MILLISECONDS.toNanos(30);

    @Test
    void badOptionsAreUsageErrors() {
        String[] noThreads = CommandRun.run(PeerSideBySide::new, "--threads", "0");
        assertEquals("2", noThreads[0]);
        assertTrue(noThreads[2].contains("--threads and --phases must be at least 1, --window-ms at least 10"),
                noThreads[2]);
        String[] badMeasure = CommandRun.run(PeerSideBySide::new, "--measure", "fastest");
        assertEquals("2", badMeasure[0]);
        assertTrue(badMeasure[2].contains("--measure"), badMeasure[2]);
    }

    @Test
    void missingOnnxModelsSayHowToMakeThem(@TempDir Path empty) {
        String before = System.getProperty("cnnc.onnx.dir");
        System.setProperty("cnnc.onnx.dir", empty.toString());
        try {
            String[] result = CommandRun.run(PeerSideBySide::new, "--warm-up-s", "0", "--phases", "1");
            assertEquals("1", result[0]);
            assertTrue(result[2].contains(empty.resolve("cifar-lenet.onnx") + " does not exist: run /usr/bin/python3 "
                    + "benchmarks/peers/export_onnx.py"), result[2]);
        } finally {
            if (before == null) {
                System.clearProperty("cnnc.onnx.dir");
            } else {
                System.setProperty("cnnc.onnx.dir", before);
            }
        }
    }

    @Test
    void cnncLatencyIsAMedianOfCallTimesOnEveryCaller() throws Exception {
        for (int threads : new int[] {1, 2}) {
            try (PeerContender cnnc = PeerContender.Measure.latency.cnnc(BenchmarkNetwork.FashionLeNet, threads)) {
                double micros = cnnc.window(WINDOW);
                // one call can neither take no time nor longer than the window
                assertTrue(micros > 0 && micros < 30_000, threads + " callers: " + micros);
            }
        }
    }

    @Test
    void cnncBatchIsImagesPerSecondOfWholeBatches() throws Exception {
        try (PeerContender cnnc = PeerContender.Measure.batch.cnnc(BenchmarkNetwork.FashionLeNet, 2)) {
            long start = System.nanoTime();
            double perSecond = cnnc.window(WINDOW);
            double seconds = (System.nanoTime() - start) / 1e9;
            // at least one batch of 256 ran, and no more images than the elapsed time allows at that rate
            assertTrue(perSecond >= 256 / seconds * 0.99 && perSecond * seconds >= 255, perSecond + " images/s");
        }
    }

    @Test
    void theMedianOfCallTimesIsInMicroseconds() {
        assertEquals(2.0, PeerContender.medianMicros(new long[] {3000, 1000, 2000, 99}, 3));
        assertEquals(2.5, PeerContender.medianMicros(new long[] {4000, 1000, 3000, 2000}, 4));
        assertThrows(IllegalStateException.class, () -> PeerContender.medianMicros(new long[4], 0));
    }
}
