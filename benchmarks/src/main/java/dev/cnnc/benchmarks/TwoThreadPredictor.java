package dev.cnnc.benchmarks;

import java.util.function.Supplier;

/**
 * One image at a time over the calling thread and one helper thread: a generated
 * {@code <Name>Inference.TwoThreads} (from {@code twoThreads()}), seen through {@link Predictor} as the
 * generated classes share no interface. Same outputs as {@code predict}; one caller at a time. Closing
 * it stops the helper thread.
 */
interface TwoThreadPredictor extends Predictor, AutoCloseable {
    /** What each thread runs, or why the network has no split (then the caller's thread runs it all). */
    String split();

    /** Stops the helper thread; {@code predict} afterwards throws {@link IllegalStateException}. */
    @Override
    void close();

    /** The generated class's {@code predict}, {@code split} and {@code close}, as one. */
    static TwoThreadPredictor of(Predictor predict, Supplier<String> split, Runnable close) {
        return new TwoThreadPredictor() {
            @Override
            public void predict(float[] chw, float[] output) {
                predict.predict(chw, output);
            }

            @Override
            public String split() {
                return split.get();
            }

            @Override
            public void close() {
                close.run();
            }
        };
    }
}
