package dev.cnnc.benchmarks;

import java.util.Arrays;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Threads;

/**
 * Batch-1 inference latency of the generated {@code <Name>Inference.predict(chw, output)}: one image
 * in, ten probabilities out, nothing allocated. Each caller cycles through {@value #IMAGES} different
 * images, as real use does: on one image repeated, the CPU's branch predictors learn that image's
 * data-dependent branches and the figure flatters any code that has them.
 *
 * <p>Two threads, two ways. {@code predictTwoThreads} is one caller whose every image runs over its own
 * thread and a helper thread, through the generated {@code twoThreads()} (its {@code split()} says what
 * each thread runs; printed at the end of the trial): the same work as the peers' 2-thread rows, one
 * caller on 2 intra-op threads. {@code twoCallers} is two independent callers sharing one inference
 * object (its scratch memory is per thread), each timing its own calls: the latency a caller sees while
 * another core is busy with the same network, not a faster single image.
 *
 * <p>Peers: ONNX Runtime {@code OnnxRuntimeBenchmark.latencyBatch1} (intra-op threads 1 and 2), PyTorch
 * {@code benchmarks/peers/torch_lenet.py} ({@code infer_b1_us}). Both report the median of per-call
 * times, so compare with the {@code p0.50} line of this sample-time benchmark. Run alone:
 * <pre>
 * benchmarks/compare-peers.sh --only ours     # or, after a build:
 * java -cp benchmarks/target/classes:$(cat benchmarks/target/benchmarks.classpath) \
 *      org.openjdk.jmh.Main InferenceLatencyBenchmark -f 1 -wi 2 -i 3 -w 2s -r 2s
 * </pre>
 */
@BenchmarkMode(Mode.SampleTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@State(Scope.Benchmark)
public class InferenceLatencyBenchmark {
    /** Images each caller cycles through. */
    static final int IMAGES = 64;

    @Param({"CifarLeNet", "FashionLeNet"})
    public BenchmarkNetwork network;

    /** Shared by all callers: immutable after construction, scratch per thread. */
    Predictor predictor;
    int inputSize;
    int outputSize;

    @Setup
    public void setUp() {
        var model = network.initializedModel();
        predictor = network.inference(model.parameters());
        inputSize = model.inputSize();
        outputSize = model.outputSize();
    }

    @TearDown
    public void tearDown() {
        // the row layout the convolutions settled on during the warm-up (the first ~8,000 images tune it)
        System.out.println(network + " convolution rows: " + network.convLayout());
    }

    /** One caller's own images and output. */
    @State(Scope.Thread)
    public static class Caller {
        float[][] images;
        float[] output;
        int next;

        @Setup
        public void setUp(InferenceLatencyBenchmark benchmark) {
            long stream = Thread.currentThread().getId();
            float[] flat = benchmark.network.randomImages(IMAGES, stream);
            images = new float[IMAGES][];
            for (int n = 0; n < IMAGES; n++) {
                images[n] = Arrays.copyOfRange(flat, n * benchmark.inputSize, (n + 1) * benchmark.inputSize);
            }
            output = new float[benchmark.outputSize];
        }

        float[] nextImage() {
            next = (next + 1) % IMAGES;
            return images[next];
        }
    }

    @Benchmark
    @Threads(1)
    public float oneThread(Caller caller) {
        predictor.predict(caller.nextImage(), caller.output);
        return caller.output[0];
    }

    @Benchmark
    @Threads(2)
    public float twoCallers(Caller caller) {
        predictor.predict(caller.nextImage(), caller.output);
        return caller.output[0];
    }

    /** One caller's generated {@code TwoThreads}: its helper thread runs from the trial's start to its end. */
    @State(Scope.Thread)
    public static class TwoThreadCaller {
        BenchmarkNetwork network;
        TwoThreadPredictor predictor;

        @Setup
        public void setUp(InferenceLatencyBenchmark benchmark) {
            network = benchmark.network;
            predictor = network.twoThreads(network.initializedModel().parameters());
        }

        @TearDown
        public void tearDown() {
            System.out.println(network + " twoThreads(): " + predictor.split());
            predictor.close();
        }
    }

    @Benchmark
    @Threads(1)
    public float predictTwoThreads(Caller caller, TwoThreadCaller twoThreads) {
        twoThreads.predictor.predict(caller.nextImage(), caller.output);
        return caller.output[0];
    }
}
