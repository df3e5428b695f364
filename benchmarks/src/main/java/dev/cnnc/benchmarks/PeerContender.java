package dev.cnnc.benchmarks;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtException;
import dev.cnnc.runtime.Dataset;
import dev.cnnc.runtime.TrainableModel;
import java.io.IOException;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

/**
 * One side of {@link PeerSideBySide}: cnnc's generated classes, ONNX Runtime or PyTorch, doing the same
 * work as the JMH benchmarks and the PyTorch script do ({@code InferenceLatencyBenchmark},
 * {@code BatchInferenceBenchmark}, {@code OnnxRuntimeBenchmark}, {@code TrainingBenchmark},
 * {@code torch_lenet.py}) for one window of time at a call.
 */
interface PeerContender extends AutoCloseable {

    /**
     * Works for about {@code nanos} (at least one batch or epoch) and returns the window's figure: the
     * median microseconds per call (latency), or images per second (batch, training).
     */
    double window(long nanos) throws Exception;

    /**
     * What this side runs that its measure and thread count do not say, for the report (cnnc's
     * two-thread latency: the split of {@code twoThreads()}), or null.
     */
    default String setup() {
        return null;
    }

    @Override
    void close() throws Exception;

    /** The other side of a pairing. */
    enum Peer {
        /** ONNX Runtime Java, in the same JVM: latency and batch. */
        ORT,
        /** PyTorch, in a {@code torch_lenet.py --serve} process: latency and training. */
        PyTorch
    }

    /** What {@link PeerSideBySide} measures. */
    enum Measure {
        /** Batch 1: median microseconds per image, against ONNX Runtime or PyTorch. */
        latency(Peer.ORT, Peer.PyTorch),
        /** Batch 256: images per second, against ONNX Runtime. */
        batch(Peer.ORT),
        /** Training at batch 64: images per second of one-epoch fits, against PyTorch. */
        training(Peer.PyTorch);

        /** The peer when none is named. */
        final Peer defaultPeer;
        private final Set<Peer> peers;

        /** Against {@code defaultPeer} unless another of {@code others} is named. */
        Measure(Peer defaultPeer, Peer... others) {
            this.defaultPeer = defaultPeer;
            this.peers = EnumSet.of(defaultPeer, others);
        }

        /** Whether {@code peer} can do this measure's work. */
        boolean measures(Peer peer) {
            return peers.contains(peer);
        }

        /** The peers that can, for messages. */
        String peerNames() {
            return peers.stream().map(Peer::name).collect(Collectors.joining(" or "));
        }

        PeerContender cnnc(BenchmarkNetwork network, int threads) {
            switch (this) {
                case latency:
                    return new CnncLatency(network, threads);
                case batch:
                    return new CnncBatch(network, threads);
                default:
                    return new CnncTraining(network, threads);
            }
        }

        /** The default peer's side. */
        PeerContender peer(BenchmarkNetwork network, int threads) throws OrtException, IOException {
            return peer(network, threads, defaultPeer);
        }

        /**
         * {@code peer}'s side.
         * @throws IllegalArgumentException if {@code peer} cannot do this measure's work
         */
        PeerContender peer(BenchmarkNetwork network, int threads, Peer peer) throws OrtException, IOException {
            if (!measures(peer)) {
                throw new IllegalArgumentException(this + " is measured against " + peerNames() + ", not " + peer);
            }
            switch (this) {
                case latency:
                    return peer == Peer.ORT ? new OrtLatency(network, threads) : new PyTorchLatency(network, threads);
                case batch:
                    return new OrtBatch(network, threads);
                default:
                    return new PyTorchTraining(network, threads);
            }
        }
    }

    /** Most calls one caller records per window; more are run but not timed. */
    int MAX_CALLS = 1 << 18;

    /** Work of a fixed number of images. */
    @FunctionalInterface
    interface Run {
        void run() throws Exception;
    }

    /** Repeats {@code run} (of {@code images} images) until {@code nanos} have passed, at least once; images per second. */
    static double imagesPerSecond(long nanos, int images, Run run) throws Exception {
        long start = System.nanoTime();
        long runs = 0;
        long now;
        do {
            run.run();
            runs++;
            now = System.nanoTime();
        } while (now - start < nanos);
        return runs * (double) images / ((now - start) / 1e9);
    }

    /** One call of a latency window; {@code index} counts the window's calls from 0. */
    @FunctionalInterface
    interface Call {
        void call(int index) throws Exception;
    }

    /**
     * Makes calls until {@code end}, at least one (a pool thread may start after the end when the host
     * stalls it), timing each into {@code recorded}; returns how many it timed.
     */
    static int timeCalls(long end, long[] recorded, Call call) throws Exception {
        int count = 0;
        long now = System.nanoTime();
        do {
            call.call(count);
            long after = System.nanoTime();
            if (count < recorded.length) {
                recorded[count++] = after - now;
            }
            now = after;
        } while (now < end);
        return count;
    }

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
     * cnnc at batch 1, as {@code InferenceLatencyBenchmark}: one caller cycles through 64 images, timing
     * each call; the figure is the median of the window's calls. On one thread the generated
     * {@code predict} ({@code oneThread}); on two, each image over the caller's thread and a helper thread
     * of the generated {@code twoThreads()} ({@code predictTwoThreads}), as the peers split one image over
     * their 2 intra-op threads. Closing this side stops the helper.
     */
    final class CnncLatency implements PeerContender {
        private static final int IMAGES = 64;
        /** The predictor timed: {@link #twoThreads} on two threads, else the generated {@code predict}. */
        final Predictor predictor;
        /** On two threads, the generated {@code TwoThreads}; null on one. */
        private final TwoThreadPredictor twoThreads;
        private final float[][] images = new float[IMAGES][];
        private final float[] output;
        private final long[] times = new long[MAX_CALLS];

        /** @throws IllegalArgumentException unless {@code threads} is 1 or 2 */
        CnncLatency(BenchmarkNetwork network, int threads) {
            if (threads < 1 || threads > 2) {
                throw new IllegalArgumentException("cnnc's batch-1 latency runs one image on 1 or 2 threads, not "
                        + threads);
            }
            var model = network.initializedModel();
            float[] flat = network.randomImages(IMAGES, 100);
            for (int n = 0; n < IMAGES; n++) {
                images[n] = Arrays.copyOfRange(flat, n * model.inputSize(), (n + 1) * model.inputSize());
            }
            output = new float[model.outputSize()];
            twoThreads = threads == 2 ? network.twoThreads(model.parameters()) : null;
            predictor = twoThreads != null ? twoThreads : network.inference(model.parameters());
        }

        @Override
        public double window(long nanos) throws Exception {
            return medianMicros(times, timeCalls(System.nanoTime() + nanos, times,
                    index -> predictor.predict(images[index % IMAGES], output)));
        }

        @Override
        public String setup() {
            return twoThreads == null ? null : "twoThreads() " + twoThreads.split();
        }

        @Override
        public void close() {
            if (twoThreads != null) {
                twoThreads.close();
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
        public double window(long nanos) throws Exception {
            return imagesPerSecond(nanos, BatchInferenceBenchmark.BATCH,
                    () -> predictor.predictBatch(images, BatchInferenceBenchmark.BATCH, outputs, helpers, threads));
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
        public double window(long nanos) throws Exception {
            return medianMicros(times, timeCalls(System.nanoTime() + nanos, times, index -> peer.run(single, output)));
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
        public double window(long nanos) throws Exception {
            return imagesPerSecond(nanos, OnnxRuntimeBenchmark.BATCH, () -> peer.run(batch, outputs));
        }

        @Override
        public void close() throws OrtException {
            batch.close();
            peer.close();
        }
    }

    /**
     * cnnc's training, as {@code TrainingBenchmark}: one-epoch {@code Trainer.fit} calls of 50 batches of 64
     * on {@code threads} workers, each from the same initial parameters (random labels would drift the
     * model over hundreds of epochs).
     */
    final class CnncTraining implements PeerContender {
        private final TrainableModel model;
        private final float[] initialParameters;
        private final Dataset data;
        private final int threads;

        CnncTraining(BenchmarkNetwork network, int threads) {
            model = network.initializedModel();
            initialParameters = model.parameters().clone();
            data = TrainingBenchmark.randomData(network, model);
            this.threads = threads;
        }

        @Override
        public double window(long nanos) throws Exception {
            return imagesPerSecond(nanos, TrainingBenchmark.IMAGES, () -> {
                System.arraycopy(initialParameters, 0, model.parameters(), 0, initialParameters.length);
                TrainingBenchmark.oneEpoch(model, threads).fit(data);
            });
        }

        @Override
        public void close() {
        }
    }

    /**
     * PyTorch's training, as {@code torch_lenet.py} measures it (zero_grad, forward, CrossEntropyLoss,
     * backward, SGD momentum step), in a {@link TorchServer} that this side asks for 50 steps of 64 at a
     * time; timed here, on the same clock as cnnc's windows.
     */
    final class PyTorchTraining implements PeerContender {
        private final TorchServer torch;
        private final int threads;

        PyTorchTraining(BenchmarkNetwork network, int threads) throws IOException {
            this.torch = new TorchServer(network);
            this.threads = threads;
        }

        @Override
        public double window(long nanos) throws Exception {
            return imagesPerSecond(nanos, TrainingBenchmark.IMAGES,
                    () -> torch.ask("train " + threads + " " + TrainingBenchmark.STEPS));
        }

        @Override
        public void close() throws InterruptedException {
            torch.close();
        }
    }

    /**
     * PyTorch at batch 1, as {@code torch_lenet.py}'s {@code infer_b1_us}: a {@link TorchServer} times
     * its calls one by one for the window's length and answers their median (PyTorch splits each call
     * over {@code threads} threads).
     */
    final class PyTorchLatency implements PeerContender {
        private final TorchServer torch;
        private final int threads;

        PyTorchLatency(BenchmarkNetwork network, int threads) throws IOException {
            this.torch = new TorchServer(network);
            this.threads = threads;
        }

        @Override
        public double window(long nanos) throws Exception {
            return torch.ask("latency " + threads + " " + Math.max(1, TimeUnit.NANOSECONDS.toMillis(nanos)));
        }

        @Override
        public void close() throws InterruptedException {
            torch.close();
        }
    }
}
