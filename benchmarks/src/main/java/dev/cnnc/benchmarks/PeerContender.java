package dev.cnnc.benchmarks;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtException;
import java.io.IOException;
import java.util.Arrays;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * One side of {@link PeerSideBySide}: cnnc's generated inference class or ONNX Runtime, doing the same
 * work as the JMH benchmarks do ({@code InferenceLatencyBenchmark}, {@code BatchInferenceBenchmark},
 * {@code OnnxRuntimeBenchmark}) for one window of time at a call.
 */
interface PeerContender extends AutoCloseable {

    /**
     * Works for about {@code nanos} and returns the window's figure: the median microseconds per call
     * (latency), or images per second (batch).
     */
    double window(long nanos) throws Exception;

    @Override
    void close() throws OrtException;

    /** What {@link PeerSideBySide} measures. */
    enum Measure {
        /** Batch 1: median microseconds per image. */
        latency,
        /** Batch 256: images per second. */
        batch;

        PeerContender cnnc(BenchmarkNetwork network, int threads) {
            return this == latency ? new CnncLatency(network, threads) : new CnncBatch(network, threads);
        }

        PeerContender ort(BenchmarkNetwork network, int threads) throws OrtException, IOException {
            return this == latency ? new OrtLatency(network, threads) : new OrtBatch(network, threads);
        }
    }

    /** Most calls one caller records per window; more are run but not timed. */
    int MAX_CALLS = 1 << 18;

    /** The median of the first {@code count} entries of {@code nanos}, in microseconds. */
    static double medianMicros(long[] nanos, int count) {
        if (count == 0) {
            throw new IllegalStateException("no call finished within the window");
        }
        long[] sorted = Arrays.copyOf(nanos, count);
        Arrays.sort(sorted);
        return (count % 2 == 1 ? sorted[count / 2] : (sorted[count / 2 - 1] + sorted[count / 2]) / 2.0) / 1e3;
    }

    /**
     * cnnc at batch 1, as {@code InferenceLatencyBenchmark}: {@code threads} independent callers share
     * one inference object, each cycling through its own 64 images and timing each call; the figure is
     * the median over all callers' calls.
     */
    final class CnncLatency implements PeerContender {
        private static final int IMAGES = 64;
        private final Predictor predictor;
        private final float[][][] images;
        private final long[][] times;
        private final int outputSize;
        private final ExecutorService others;

        CnncLatency(BenchmarkNetwork network, int threads) {
            var model = network.initializedModel();
            predictor = network.inference(model.parameters());
            images = new float[threads][IMAGES][];
            times = new long[threads][MAX_CALLS];
            outputSize = model.outputSize();
            for (int t = 0; t < threads; t++) {
                float[] flat = network.randomImages(IMAGES, 100 + t);
                for (int n = 0; n < IMAGES; n++) {
                    images[t][n] = Arrays.copyOfRange(flat, n * model.inputSize(), (n + 1) * model.inputSize());
                }
            }
            others = threads == 1 ? null : Executors.newFixedThreadPool(threads - 1);
        }

        @Override
        public double window(long nanos) throws Exception {
            long end = System.nanoTime() + nanos;
            Future<?>[] running = new Future<?>[images.length - 1];
            int[] calls = new int[images.length];
            for (int t = 1; t < images.length; t++) {
                int caller = t;
                running[t - 1] = others.submit(() -> calls[caller] = call(caller, end));
            }
            calls[0] = call(0, end);
            for (Future<?> other : running) {
                other.get();
            }
            long[] all = new long[Arrays.stream(calls).sum()];
            int at = 0;
            for (int t = 0; t < images.length; t++) {
                System.arraycopy(times[t], 0, all, at, calls[t]);
                at += calls[t];
            }
            return medianMicros(all, all.length);
        }

        /** One caller's calls until {@code end}; returns how many it timed. */
        private int call(int caller, long end) {
            float[][] own = images[caller];
            long[] recorded = times[caller];
            float[] output = new float[outputSize];
            int count = 0;
            for (long now = System.nanoTime(); now < end; ) {
                predictor.predict(own[count % IMAGES], output);
                long after = System.nanoTime();
                if (count < MAX_CALLS) {
                    recorded[count++] = after - now;
                }
                now = after;
            }
            return count;
        }

        @Override
        public void close() {
            if (others != null) {
                others.shutdownNow();
            }
        }
    }

    /**
     * cnnc at batch 256, as {@code BatchInferenceBenchmark}: {@code predictBatch(images, 256, outputs,
     * executor, threads)}.
     */
    final class CnncBatch implements PeerContender {
        private final BatchPredictor predictor;
        private final float[] images;
        private final float[] outputs;
        private final int threads;
        private final ExecutorService helpers;

        CnncBatch(BenchmarkNetwork network, int threads) {
            var model = network.initializedModel();
            predictor = network.batchInference(model.parameters());
            images = network.randomImages(BatchInferenceBenchmark.BATCH, 256);
            outputs = new float[BatchInferenceBenchmark.BATCH * model.outputSize()];
            this.threads = threads;
            helpers = threads == 1 ? null : Executors.newFixedThreadPool(threads - 1);
        }

        @Override
        public double window(long nanos) {
            long start = System.nanoTime();
            long batches = 0;
            long now;
            do {
                predictor.predictBatch(images, BatchInferenceBenchmark.BATCH, outputs, helpers, threads);
                batches++;
                now = System.nanoTime();
            } while (now - start < nanos);
            return batches * BatchInferenceBenchmark.BATCH / ((now - start) / 1e9);
        }

        @Override
        public void close() {
            if (helpers != null) {
                helpers.shutdownNow();
            }
        }
    }

    /** ONNX Runtime at batch 1, as {@code OnnxRuntimeBenchmark.latencyBatch1}, each call timed. */
    final class OrtLatency implements PeerContender {
        private final OrtLeNet peer;
        private final OnnxTensor single;
        private final float[] output;
        private final long[] times = new long[MAX_CALLS];

        OrtLatency(BenchmarkNetwork network, int threads) throws OrtException, IOException {
            peer = new OrtLeNet(network, threads);
            single = peer.tensor(network.randomImages(1, 1), 1);
            output = new float[network.newModel().outputSize()];
        }

        @Override
        public double window(long nanos) throws OrtException {
            long end = System.nanoTime() + nanos;
            int count = 0;
            for (long now = System.nanoTime(); now < end; ) {
                peer.run(single, output);
                long after = System.nanoTime();
                if (count < MAX_CALLS) {
                    times[count++] = after - now;
                }
                now = after;
            }
            return medianMicros(times, count);
        }

        @Override
        public void close() throws OrtException {
            single.close();
            peer.close();
        }
    }

    /** ONNX Runtime at batch 256, as {@code OnnxRuntimeBenchmark.batch256}: one 256-image tensor per run. */
    final class OrtBatch implements PeerContender {
        private final OrtLeNet peer;
        private final OnnxTensor batch;
        private final float[] outputs;

        OrtBatch(BenchmarkNetwork network, int threads) throws OrtException, IOException {
            peer = new OrtLeNet(network, threads);
            batch = peer.tensor(network.randomImages(OnnxRuntimeBenchmark.BATCH, 256), OnnxRuntimeBenchmark.BATCH);
            outputs = new float[OnnxRuntimeBenchmark.BATCH * network.newModel().outputSize()];
        }

        @Override
        public double window(long nanos) throws OrtException {
            long start = System.nanoTime();
            long runs = 0;
            long now;
            do {
                peer.run(batch, outputs);
                runs++;
                now = System.nanoTime();
            } while (now - start < nanos);
            return runs * OnnxRuntimeBenchmark.BATCH / ((now - start) / 1e9);
        }

        @Override
        public void close() throws OrtException {
            batch.close();
            peer.close();
        }
    }
}
