package dev.cnnc.benchmarks;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * {@link PeerSideBySide}: bad options are usage errors, missing ONNX models or peer script a message
 * that says what to do, cnnc's windows measure what they claim, and the PyTorch side speaks the
 * {@code torch_lenet.py --serve} protocol (against a stand-in: the test machine need not have PyTorch,
 * nor the models that {@code export_onnx.py} writes with it; compare-peers.sh runs the real peers).
 */
class PeerSideBySideTest {
    private static final long WINDOW = TimeUnit.MILLISECONDS.toNanos(30);

    @Test
    void badOptionsAreUsageErrors() {
        String[] noThreads = CommandRun.run(PeerSideBySide::new, "--threads", "0");
        assertEquals("2", noThreads[0]);
        assertTrue(noThreads[2].contains("--threads and --phases must be at least 1, --window-ms at least 10"),
                noThreads[2]);
        String[] negativeLeadIn = CommandRun.run(PeerSideBySide::new, "--lead-in-ms", "-1");
        assertEquals("2", negativeLeadIn[0]);
        assertTrue(negativeLeadIn[2].contains("--lead-in-ms not negative"), negativeLeadIn[2]);
        String[] badMeasure = CommandRun.run(PeerSideBySide::new, "--measure", "fastest");
        assertEquals("2", badMeasure[0]);
        assertTrue(badMeasure[2].contains("--measure"), badMeasure[2]);
    }

    @Test
    void againstOneThreadPairsCnncWithItselfOnOneThread(@TempDir Path dir) throws Exception {
        Path json = dir.resolve("scaling.jsonl");
        String[] result = CommandRun.run(PeerSideBySide::new, "--network", "FashionLeNet", "--measure", "batch",
                "--threads", "2", "--against-one-thread", "--phases", "2", "--window-ms", "10", "--warm-up-s", "0",
                "--json", json.toString());
        assertEquals("0", result[0], result[2]);
        assertTrue(result[1].contains("cnnc/cnnc-1-thread per phase: median "), result[1]);
        String line = Files.readString(json);
        assertTrue(line.contains("\"peer\": \"cnnc-1-thread\", \"threads\": 2"), line);
        String[] latency = CommandRun.run(PeerSideBySide::new, "--measure", "latency", "--threads", "2",
                "--against-one-thread");
        assertEquals("2", latency[0]);
        assertTrue(latency[2].contains("--against-one-thread needs --measure batch or training and --threads of at least 2"),
                latency[2]);
        assertEquals("2", CommandRun.run(PeerSideBySide::new, "--measure", "training", "--against-one-thread")[0]);
    }

    @Test
    void aPeerThatCannotDoTheWorkIsAUsageError() {
        String[] ortTraining = CommandRun.run(PeerSideBySide::new, "--measure", "training", "--peer", "ORT");
        assertEquals("2", ortTraining[0]);
        assertTrue(ortTraining[2].contains("--measure training is measured against PyTorch, not ORT"), ortTraining[2]);
        String[] torchBatch = CommandRun.run(PeerSideBySide::new, "--measure", "batch", "--peer", "PyTorch");
        assertEquals("2", torchBatch[0]);
        assertTrue(torchBatch[2].contains("--measure batch is measured against ORT, not PyTorch"), torchBatch[2]);
        String[] both = CommandRun.run(PeerSideBySide::new, "--measure", "batch", "--threads", "2", "--peer", "ORT",
                "--against-one-thread");
        assertEquals("2", both[0]);
        assertTrue(both[2].contains("--peer and --against-one-thread exclude each other"), both[2]);
        IllegalArgumentException direct = assertThrows(IllegalArgumentException.class,
                () -> PeerContender.Measure.batch.peer(BenchmarkNetwork.CifarLeNet, 1, PeerContender.Peer.PyTorch));
        assertEquals("batch is measured against ORT, not PyTorch", direct.getMessage());
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
    void cnncLatencyIsAMedianOfCallTimes() throws Exception {
        for (int threads : new int[] {1, 2}) {
            try (PeerContender cnnc = PeerContender.Measure.latency.cnnc(BenchmarkNetwork.FashionLeNet, threads)) {
                double micros = cnnc.window(WINDOW);
                // one call can neither take no time nor longer than the window
                assertTrue(micros > 0 && micros < 30_000, threads + " thread(s): " + micros);
            }
        }
    }

    @Test
    void cnncLatencyOnTwoThreadsIsOneCallerOnTwoThreadsWithPredictsBits() throws Exception {
        for (BenchmarkNetwork network : BenchmarkNetwork.values()) {
            var model = network.initializedModel();
            Predictor predict = network.inference(model.parameters());
            float[] images = network.randomImages(16, 7);
            int inputSize = model.inputSize();
            float[] image = Arrays.copyOf(images, inputSize);
            PeerContender.CnncLatency cnnc = (PeerContender.CnncLatency) PeerContender.Measure.latency.cnnc(network, 2);
            try {
                // the generated twoThreads() runs it, and the report says how it splits the image
                assertTrue(cnnc.setup() != null && cnnc.setup().startsWith("twoThreads() ")
                        && cnnc.setup().length() > "twoThreads() ".length(), network + ": " + cnnc.setup());
                assertTrue(cnnc.window(WINDOW) > 0, network.toString());
                for (int n = 0; n < 16; n++) {
                    float[] chw = Arrays.copyOfRange(images, n * inputSize, (n + 1) * inputSize);
                    float[] expected = new float[model.outputSize()];
                    float[] actual = new float[model.outputSize()];
                    predict.predict(chw, expected);
                    cnnc.predictor.predict(chw, actual);
                    assertArrayEquals(expected, actual, network + " image " + n);
                }
            } finally {
                cnnc.close();
            }
            // closing the contender stopped the helper thread
            assertThrows(IllegalStateException.class, () -> cnnc.predictor.predict(image, new float[model.outputSize()]),
                    network.toString());
            try (PeerContender oneThread = PeerContender.Measure.latency.cnnc(network, 1)) {
                assertNull(oneThread.setup(), network.toString());
            }
        }
    }

    @Test
    void latencyOnMoreThanTwoThreadsIsAUsageError() {
        String[] three = CommandRun.run(PeerSideBySide::new, "--measure", "latency", "--threads", "3");
        assertEquals("2", three[0]);
        assertTrue(three[2].contains("--measure latency takes --threads 1 or 2: cnnc runs one image at a time over at"
                + " most two threads (twoThreads())"), three[2]);
        IllegalArgumentException direct = assertThrows(IllegalArgumentException.class,
                () -> PeerContender.Measure.latency.cnnc(BenchmarkNetwork.CifarLeNet, 3));
        assertEquals("cnnc's batch-1 latency runs one image on 1 or 2 threads, not 3", direct.getMessage());
        String help = new CommandLine(new PeerSideBySide(System.out)).getUsageMessage();
        assertTrue(help.replaceAll("\\s+", " ").contains("on 2 one cnnc caller runs each image over its own and a"
                + " helper thread, twoThreads(), and the peer one caller on 2 intra-op threads"), help);
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
    void cnncTrainingIsImagesPerSecondOfWholeEpochs() throws Exception {
        try (PeerContender cnnc = PeerContender.Measure.training.cnnc(BenchmarkNetwork.FashionLeNet, 1)) {
            long start = System.nanoTime();
            double perSecond = cnnc.window(WINDOW);
            double seconds = (System.nanoTime() - start) / 1e9;
            assertTrue(perSecond * seconds >= TrainingBenchmark.IMAGES * 0.99, perSecond + " images/s");
        }
    }

    @Test
    void pyTorchIsAskedForEpochsOverItsPipes(@TempDir Path scripts) throws Exception {
        // a stand-in for torch_lenet.py --serve (the test machine need not have PyTorch): it checks
        // what it is asked and answers as the script does
        Path fake = fakePython(scripts, "echo ready\n"
                + "while read command threads steps; do\n"
                + "  [ \"$command $threads $steps\" = \"train 2 50\" ] && echo 5000.0 || echo \"error: $command\"\n"
                + "done\n");
        withPeerScript(scripts, fake, () -> {
            try (PeerContender torch = PeerContender.Measure.training.peer(BenchmarkNetwork.CifarLeNet, 2)) {
                assertTrue(torch.window(WINDOW) > 0);
            }
            return null;
        });
        Path mute = fakePython(scripts, "echo 'no module named torch'\n");
        IOException notStarted = assertThrows(IOException.class, () -> withPeerScript(scripts, mute,
                () -> PeerContender.Measure.training.peer(BenchmarkNetwork.CifarLeNet, 1)));
        assertTrue(notStarted.getMessage().endsWith("--serve cifar-lenet did not start: it said no module named torch"),
                notStarted.getMessage());
        IOException noScript = assertThrows(IOException.class, () -> withPeerScript(scripts.resolve("none"), fake,
                () -> PeerContender.Measure.training.peer(BenchmarkNetwork.CifarLeNet, 1)));
        assertTrue(noScript.getMessage().endsWith("torch_lenet.py does not exist: run from benchmarks/ or set"
                + " -Dcnnc.peers.dir"), noScript.getMessage());
    }

    @Test
    void pyTorchLatencyIsTheMedianItTimesForTheWindow(@TempDir Path scripts) throws Exception {
        // the stand-in answers a latency window of the asked threads and milliseconds, and nothing else
        Path fake = fakePython(scripts, "echo ready\n"
                + "while read command threads millis; do\n"
                + "  [ \"$command $threads $millis\" = \"latency 2 30\" ] && echo 131.25 || echo \"error: $command\"\n"
                + "done\n");
        withPeerScript(scripts, fake, () -> {
            try (PeerContender torch = PeerContender.Measure.latency.peer(BenchmarkNetwork.CifarLeNet, 2,
                    PeerContender.Peer.PyTorch)) {
                assertEquals(131.25, torch.window(WINDOW));
                IOException refused = assertThrows(IOException.class, () -> torch.window(WINDOW / 2));
                assertEquals("torch_lenet.py --serve answered error: latency to latency 2 15", refused.getMessage());
            }
            return null;
        });
        Path json = scripts.resolve("paired.jsonl");
        String[] result = withPeerScript(scripts, fake, () -> CommandRun.run(PeerSideBySide::new, "--network",
                "FashionLeNet", "--measure", "latency", "--peer", "PyTorch", "--threads", "2", "--phases", "2",
                "--window-ms", "30", "--warm-up-s", "0", "--json", json.toString()));
        assertEquals("0", result[0], result[2]);
        assertTrue(result[1].contains(", PyTorch 131.3 us per image"), result[1]);
        // cnnc's side on two threads: one caller on twoThreads(), whose split the report names
        assertTrue(result[1].matches("(?s).*\nFashionLeNet kernels: predictBatch .*; rows .*; twoThreads\\(\\) \\S.*"),
                result[1]);
        assertTrue(Files.readString(json).contains("\"measure\": \"latency\", \"peer\": \"PyTorch\", \"threads\": 2,"));
    }

    @Test
    void aLeadInIsAnUntimedWindowRightBeforeTheTimedOne() throws Exception {
        List<Long> asked = new ArrayList<>();
        double[] answers = {80, 100, 90, 100};
        PeerContender counting = new PeerContender() {
            @Override
            public double window(long nanos) {
                asked.add(nanos);
                return answers[asked.size() - 1];
            }

            @Override
            public void close() {
            }
        };
        PeerSideBySide.Side side = new PeerSideBySide.Side(counting);
        assertEquals(100, side.timedWindow(7, WINDOW));
        assertEquals(List.of(7L, WINDOW), asked);
        assertEquals(100, side.timedWindow(7, WINDOW));
        // each lead-in's figure is set against the timed window right after it, never counted as one
        assertEquals(List.of(100.0, 100.0), side.figures);
        assertEquals(List.of(0.8, 0.9), side.leadInOverTimed);
        asked.clear();
        PeerSideBySide.Side without = new PeerSideBySide.Side(counting);
        assertEquals(80, without.timedWindow(0, WINDOW));
        assertEquals(List.of(WINDOW), asked);
        assertTrue(without.leadInOverTimed.isEmpty());
    }

    @Test
    void trainingWithLeadInsReportsWhatFollowingTheOtherCosts(@TempDir Path scripts) throws Exception {
        Path fake = fakePython(scripts, "echo ready\n"
                + "while read command threads steps; do echo 5000.0; done\n");
        Path json = scripts.resolve("paired.jsonl");
        String[] result = withPeerScript(scripts, fake, () -> CommandRun.run(PeerSideBySide::new, "--network",
                "FashionLeNet", "--measure", "training", "--phases", "2", "--window-ms", "10", "--lead-in-ms", "10",
                "--warm-up-s", "0", "--json", json.toString()));
        assertEquals("0", result[0], result[2]);
        assertTrue(result[1].contains("2 phases of 10 ms per contender, each after its own untimed lead-in of 10 ms"),
                result[1]);
        assertTrue(result[1].contains("lead-in over timed window, median over the phases"), result[1]);
        String line = Files.readString(json);
        assertTrue(line.matches("(?s).*\"lead_in_ms\": 10, .*\"cnnc_lead_in_over_timed\": [0-9.]+, "
                + "\"peer_lead_in_over_timed\": [0-9.]+, \"cpus\": (\"[0-9,-]+\"|null)}\n"), line);
    }

    /** An executable that stands for python and runs {@code body} whatever script it is given. */
    private static Path fakePython(Path directory, String body) throws IOException {
        Path fake = Files.createTempFile(directory, "python", ".sh");
        Files.writeString(fake, "#!/bin/sh\n" + body);
        assertTrue(fake.toFile().setExecutable(true));
        Files.writeString(directory.resolve("torch_lenet.py"), "# stand-in\n");
        return fake;
    }

    private static <T> T withPeerScript(Path peersDirectory, Path python, Callable<T> body) throws Exception {
        Properties saved = (Properties) System.getProperties().clone();
        System.setProperty("cnnc.peers.dir", peersDirectory.toString());
        System.setProperty("cnnc.python", python.toString());
        try {
            return body.call();
        } finally {
            System.setProperties(saved);
        }
    }

    @Test
    void theAllowedCpusAreReadFromTheProcessStatus() {
        assertEquals("0", AllowedCpus.parse(List.of("Name:\tjava", "Cpus_allowed:\t1", "Cpus_allowed_list:\t0",
                "Mems_allowed_list:\t0")));
        assertEquals(null, AllowedCpus.parse(List.of("Name:\tjava")));
        String here = AllowedCpus.ofThisProcess();
        assertTrue(here == null || here.matches("[0-9][0-9,-]*"), here);
    }

    @Test
    void theMedianOfCallTimesIsInMicroseconds() {
        assertEquals(2.0, PeerContender.medianMicros(new long[] {3000, 1000, 2000, 99}, 3));
        assertEquals(2.5, PeerContender.medianMicros(new long[] {4000, 1000, 3000, 2000}, 4));
        assertThrows(IllegalStateException.class, () -> PeerContender.medianMicros(new long[4], 0));
    }
}
