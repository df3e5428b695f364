package dev.cnnc.benchmarks;

/**
 * One image in, the network's outputs out: the {@code predict(float[], float[])} of a generated
 * {@code <Name>Inference}. The generated inference classes share no interface (they depend on
 * {@code java.base} only), so the benchmarks see them through this one.
 */
@FunctionalInterface
interface Predictor {
    void predict(float[] chw, float[] output);
}
