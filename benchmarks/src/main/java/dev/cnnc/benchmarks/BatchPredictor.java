package dev.cnnc.benchmarks;

/**
 * {@code count} images in, their outputs out: the {@code predictBatch(float[], int, float[])} of a
 * generated {@code <Name>Inference} (image n at {@code n * INPUT_SIZE}, its outputs at
 * {@code n * OUTPUT_SIZE}).
 */
@FunctionalInterface
interface BatchPredictor {
    void predictBatch(float[] images, int count, float[] outputs);
}
