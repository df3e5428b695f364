package dev.cnnc.benchmarks;

import java.util.concurrent.Executor;

/**
 * {@code count} images in, their outputs out, on {@code threads} threads: the
 * {@code predictBatch(float[], int, float[], Executor, int)} of a generated {@code <Name>Inference}
 * (image n at {@code n * INPUT_SIZE}, its outputs at {@code n * OUTPUT_SIZE}).
 */
@FunctionalInterface
interface BatchPredictor {
    void predictBatch(float[] images, int count, float[] outputs, Executor executor, int threads);
}
