package dev.cnnc.runtime;

/**
 * The state an {@link Optimizer} carries between steps, as checkpoints store it: the optimizer kind,
 * the number of steps taken and its per-parameter buffers (none before the first step). Immutable.
 */
public final class OptimizerState {
    private final String kind;
    private final long steps;
    private final float[][] buffers;

    public OptimizerState(String kind, long steps, float[][] buffers) {
        this.kind = kind;
        this.steps = steps;
        this.buffers = copy(buffers);
    }

    /** "sgd" or "adam". */
    public String kind() {
        return kind;
    }

    public long steps() {
        return steps;
    }

    public int bufferCount() {
        return buffers.length;
    }

    /** A copy of buffer {@code index} (SGD: momentum; Adam: first, then second moment). */
    public float[] buffer(int index) {
        return buffers[index].clone();
    }

    float[][] buffersCopy() {
        return copy(buffers);
    }

    private static float[][] copy(float[][] source) {
        float[][] copy = new float[source.length][];
        for (int i = 0; i < source.length; i++) {
            copy[i] = source[i].clone();
        }
        return copy;
    }
}
