package dev.cnnc.benchmarks;

import dev.cnnc.runtime.Init;
import dev.cnnc.runtime.SplitMix64;
import dev.cnnc.runtime.TrainableModel;
import dev.cnnc.samples.CifarLeNetInference;
import dev.cnnc.samples.CifarLeNetModel;
import dev.cnnc.samples.FashionLeNetInference;
import dev.cnnc.samples.FashionLeNetModel;

/**
 * The networks under test: the samples' generated LeNets, and the names of their PyTorch/ONNX twins
 * (written by {@code benchmarks/peers/export_onnx.py}, measured by {@code benchmarks/peers/torch_lenet.py}).
 */
public enum BenchmarkNetwork {
    /** LeNet-5 on 32x32x3 CIFAR-10 images, 62,006 parameters. */
    CifarLeNet("cifar-lenet", CifarLeNetModel.INPUT_CHANNELS, CifarLeNetModel.INPUT_HEIGHT,
            CifarLeNetModel.INPUT_WIDTH) {
        @Override
        TrainableModel newModel() {
            return new CifarLeNetModel();
        }

        @Override
        Predictor inference(float[] parameters) {
            return new CifarLeNetInference(parameters)::predict;
        }

        @Override
        TwoThreadPredictor twoThreads(float[] parameters) {
            CifarLeNetInference.TwoThreads twoThreads = new CifarLeNetInference(parameters).twoThreads();
            return TwoThreadPredictor.of(twoThreads::predict, twoThreads::split, twoThreads::close);
        }

        @Override
        BatchPredictor batchInference(float[] parameters) {
            return new CifarLeNetInference(parameters)::predictBatch;
        }

        @Override
        String batchKernel() {
            return CifarLeNetInference.batchKernel();
        }

        @Override
        String convLayout() {
            return CifarLeNetInference.convLayout();
        }
    },
    /** LeNet-5 on 28x28x1 Fashion-MNIST images (first convolution SAME), 61,706 parameters. */
    FashionLeNet("fashion-lenet", FashionLeNetModel.INPUT_CHANNELS, FashionLeNetModel.INPUT_HEIGHT,
            FashionLeNetModel.INPUT_WIDTH) {
        @Override
        TrainableModel newModel() {
            return new FashionLeNetModel();
        }

        @Override
        Predictor inference(float[] parameters) {
            return new FashionLeNetInference(parameters)::predict;
        }

        @Override
        TwoThreadPredictor twoThreads(float[] parameters) {
            FashionLeNetInference.TwoThreads twoThreads = new FashionLeNetInference(parameters).twoThreads();
            return TwoThreadPredictor.of(twoThreads::predict, twoThreads::split, twoThreads::close);
        }

        @Override
        BatchPredictor batchInference(float[] parameters) {
            return new FashionLeNetInference(parameters)::predictBatch;
        }

        @Override
        String batchKernel() {
            return FashionLeNetInference.batchKernel();
        }

        @Override
        String convLayout() {
            return FashionLeNetInference.convLayout();
        }
    };

    /** Seed of the parameters and of the random inputs: every run measures the same numbers. */
    static final long SEED = 42;

    /** The name the peer scripts use for the same network (file {@code <peerName>.onnx}). */
    final String peerName;
    /** The input image shape (channels, height, width), as an NCHW tensor wants it after the batch. */
    final long[] imageShape;

    BenchmarkNetwork(String peerName, int channels, int height, int width) {
        this.peerName = peerName;
        this.imageShape = new long[] {channels, height, width};
    }

    /** A new generated model with all parameters zero. */
    abstract TrainableModel newModel();

    /** The generated standalone inference class on a copy of {@code parameters}. */
    abstract Predictor inference(float[] parameters);

    /**
     * The generated inference class's {@code twoThreads()} on a copy of {@code parameters}: one image at a
     * time over the calling thread and a helper thread (started here when the network has a split), to close.
     */
    abstract TwoThreadPredictor twoThreads(float[] parameters);

    /** The generated inference class's batch entry ({@code predictBatch}) on a copy of {@code parameters}. */
    abstract BatchPredictor batchInference(float[] parameters);

    /** Which kernel the generated class's {@code predictBatch} runs in this JVM, and why. */
    abstract String batchKernel();

    /** Which row layout the generated class's convolutions run in this JVM, and why. */
    abstract String convLayout();

    /** A generated model with He-uniform parameters from {@link #SEED}, as training would start. */
    TrainableModel initializedModel() {
        TrainableModel model = newModel();
        Init.HE_UNIFORM.apply(model, SEED);
        return model;
    }

    /** {@code count} images of standard normal noise (as {@code torch.randn}), flat, CHW each. */
    float[] randomImages(int count, long stream) {
        int inputSize = newModel().inputSize();
        SplitMix64 random = SplitMix64.derive(SEED, stream);
        float[] images = new float[count * inputSize];
        for (int i = 0; i < images.length; i++) {
            images[i] = (float) random.nextGaussian();
        }
        return images;
    }
}
