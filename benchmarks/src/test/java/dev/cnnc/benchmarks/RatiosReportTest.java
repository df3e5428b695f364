package dev.cnnc.benchmarks;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code scripts/ratios.py} on a made-up run: the scaling targets are judged by cnnc paired with
 * itself on one thread where that was measured, by the steps otherwise, and such a pair does not
 * take the place of the pair with ONNX Runtime at the same thread count; batch-1 latency pairs with
 * ONNX Runtime and with PyTorch each judge their own target, and pairs held to one CPU each by the
 * worst CPU; cnnc's 2-thread batch-1 row is its one caller on {@code twoThreads()}.
 */
class RatiosReportTest {

    @Test
    void scalingIsJudgedByTheOneThreadPairWhereThereIsOne(@TempDir Path run) throws Exception {
        Files.writeString(run.resolve("flops.jsonl"),
                "{\"network\": \"cifar-lenet\", \"forward\": 1309744, \"training\": 3223632}\n");
        Files.writeString(run.resolve("ours-jdk17-1.json"), "["
                + jmh("BatchInferenceBenchmark.batch256", 1, 40000) + ","
                + jmh("BatchInferenceBenchmark.batch256", 2, 60000) + ","
                + jmh("TrainingBenchmark.trainOneEpoch", 1, 10000) + ","
                + jmh("TrainingBenchmark.trainOneEpoch", 2, 16000) + "]");
        Files.writeString(run.resolve("paired-jdk17.jsonl"),
                paired("batch", "ORT", 76000, 69090.9, 1.1) + paired("batch", "cnnc-1-thread", 74000, 40000, 1.85));

        String report = ratios(run);
        assertTrue(report.contains("| cifar-lenet: batch-256 inference 2 threads >= 1.8x 1 thread (paired) | 1.850 | yes |"),
                report);
        assertTrue(report.contains("| cifar-lenet: training 2 threads >= 1.8x 1 thread (steps) | 1.600 | NO |"), report);
        assertTrue(report.contains("| cifar-lenet: batch-256 on 2 threads >= 0.9x ORT (paired) | 1.100 | yes |"), report);
        assertTrue(report.contains("| cifar-lenet | batch-256 inference, images/s | 74,000.0 | 40,000.0 | 1.850 |"), report);
    }

    @Test
    void latencyAgainstPyTorchIsJudgedByItsOwnPair(@TempDir Path run) throws Exception {
        Files.writeString(run.resolve("flops.jsonl"),
                "{\"network\": \"cifar-lenet\", \"forward\": 1309744, \"training\": 3223632}\n");
        Files.writeString(run.resolve("ours-jdk17-1.json"), "["
                + jmh("BatchInferenceBenchmark.batch256", 1, 40000) + "]");
        Files.writeString(run.resolve("torch-1.jsonl"),
                "{\"impl\": \"pytorch\", \"network\": \"cifar-lenet\", \"threads\": 1, \"metric\": \"infer_b1_us\", "
                        + "\"value\": 128.0}\n");
        Files.writeString(run.resolve("paired-jdk17.jsonl"),
                paired("latency", "ORT", 25, 27, 0.93, 1) + paired("latency", "PyTorch", 25, 130, 0.19, 1));

        String report = ratios(run);
        assertTrue(report.contains("| cifar-lenet: batch-1 latency >= 5x lower than PyTorch at 1 thread(s) (cnnc/PyTorch"
                + " <= 0.2, paired) | 0.190 | yes |"), report);
        assertTrue(report.contains("| cifar-lenet: batch-1 latency lower than ORT at 1 thread(s) (paired) | 0.930 | yes |"),
                report);
        // no PyTorch pair on two threads: the steps' figures
        assertTrue(report.contains("| cifar-lenet: batch-1 latency >= 5x lower than PyTorch at 2 thread(s) (cnnc/PyTorch"
                + " <= 0.2, steps) | n/a | NO |"), report);
        assertTrue(report.contains("| cifar-lenet | 1 | batch-1 latency, us/image (median) | PyTorch | 25.0 | 130.0 | 0.190 |"),
                report);
        // held to each CPU in turn, the worst CPU decides
        Files.writeString(run.resolve("paired-jdk17-pinned.jsonl"), paired("latency", "PyTorch", 27.1, 124.3, 0.218, 1)
                .replace("null}", "null, \"cpus\": \"0\"}") + paired("latency", "PyTorch", 33.2, 179.4, 0.185, 1)
                .replace("null}", "null, \"cpus\": \"1\"}"));
        String pinned = ratios(run);
        assertTrue(pinned.contains("| cifar-lenet: batch-1 latency >= 5x lower than PyTorch at 1 thread(s) (cnnc/PyTorch"
                + " <= 0.2, paired on each CPU, the worst: CPU 0 0.218, CPU 1 0.185) | 0.218 | NO |"), pinned);
        assertTrue(pinned.contains("| cifar-lenet | 1 | batch-1 latency, us/image (median) | PyTorch | 1 | 33.2 | 179.4 | 0.185 |"),
                pinned);
    }

    @Test
    void theTwoThreadLatencyRowIsOneCallerOnTwoThreads(@TempDir Path run) throws Exception {
        Files.writeString(run.resolve("flops.jsonl"),
                "{\"network\": \"cifar-lenet\", \"forward\": 1309744, \"training\": 3223632}\n");
        Files.writeString(run.resolve("ours-jdk17-1.json"), "["
                + latency("oneThread", 25) + "," + latency("twoCallers", 40) + "," + latency("predictTwoThreads", 15) + "]");

        String report = ratios(run);
        assertTrue(report.contains("| cifar-lenet | 1 | batch-1 latency, us/image (median) | 25.0 | n/a |"), report);
        // predictTwoThreads alone: twoCallers (two independent callers) is not mixed into it
        assertTrue(report.contains("| cifar-lenet | 2 | batch-1 latency, us/image (median) | 15.0 | n/a |"), report);
        assertTrue(report.contains("The 2-thread batch-1 rows: one caller, each image over 2 threads: cnnc's generated"
                + " twoThreads()"), report);
    }

    /** A JMH sample-time result of {@code InferenceLatencyBenchmark.<method>} with median {@code micros}. */
    private static String latency(String method, double micros) {
        return "{\"benchmark\": \"dev.cnnc.benchmarks.InferenceLatencyBenchmark." + method + "\", \"params\": "
                + "{\"network\": \"CifarLeNet\"}, \"primaryMetric\": {\"score\": " + (micros + 1)
                + ", \"scorePercentiles\": {\"50.0\": " + micros + "}}}";
    }

    private static String jmh(String benchmark, int threads, double score) {
        return "{\"benchmark\": \"dev.cnnc.benchmarks." + benchmark + "\", \"params\": {\"network\": \"CifarLeNet\", "
                + "\"threads\": \"" + threads + "\"}, \"primaryMetric\": {\"score\": " + score + "}}";
    }

    private static String paired(String measure, String peer, double cnnc, double peerValue, double ratio) {
        return paired(measure, peer, cnnc, peerValue, ratio, 2);
    }

    private static String paired(String measure, String peer, double cnnc, double peerValue, double ratio, int threads) {
        return "{\"network\": \"cifar-lenet\", \"measure\": \"" + measure + "\", \"peer\": \"" + peer + "\", \"threads\": "
                + threads + ", "
                + "\"java\": \"17\", \"phases\": 150, \"window_ms\": 200, \"lead_in_ms\": 0, \"cnnc\": " + cnnc
                + ", \"peer_value\": " + peerValue + ", \"ratio_median\": " + ratio + ", \"ratio_low\": " + (ratio - 0.1)
                + ", \"ratio_high\": " + (ratio + 0.1) + ", \"cnnc_lead_in_over_timed\": null, "
                + "\"peer_lead_in_over_timed\": null}\n";
    }

    /** The report of {@code run}; the test runs in the benchmarks module, where the script is. */
    private static String ratios(Path run) throws IOException, InterruptedException {
        Process process = new ProcessBuilder("python3", "scripts/ratios.py", run.toString()).redirectErrorStream(true)
                .start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(process.waitFor(60, TimeUnit.SECONDS), "ratios.py did not finish");
        assertEquals(0, process.exitValue(), output);
        return output;
    }
}
