package dev.cnnc.runtime;

/**
 * Updates parameters from a mean gradient. An optimizer holds state between steps (momentum, Adam's
 * moments) sized on its first step; {@link #state()} and {@link #restore(OptimizerState)} move that
 * state in and out of checkpoints. One optimizer instance serves one model.
 */
public abstract class Optimizer {
    private final float learningRate;

    Optimizer(float learningRate) {
        if (!(learningRate > 0) || Float.isInfinite(learningRate)) {
            throw new IllegalArgumentException("learning rate must be positive and finite, was " + learningRate);
        }
        this.learningRate = learningRate;
    }

    /** The base learning rate; a {@link Schedule} derives each epoch's rate from it. */
    public final float learningRate() {
        return learningRate;
    }

    /**
     * One update of {@code parameters} in place.
     *
     * @param gradient     mean gradient of the batch, same layout as the parameters
     * @param learningRate the rate for this step (the schedule's value for the current epoch)
     */
    public final void step(float[] parameters, float[] gradient, float learningRate) {
        begin(parameters, gradient, learningRate);
        update(parameters, gradient, 0, parameters.length);
    }

    /**
     * Starts a step: checks the lengths, sizes the state on the first step, counts the step and
     * derives its constants. Then {@link #update} must cover every parameter exactly once.
     */
    abstract void begin(float[] parameters, float[] gradient, float learningRate);

    /**
     * The step begun by {@link #begin} for parameters {@code [from, to)}. Each parameter's update reads
     * only its own gradient and state, so disjoint ranges may run on different threads, in any order,
     * with the bits of one {@link #step}.
     */
    abstract void update(float[] parameters, float[] gradient, int from, int to);

    /** A copy of the state between steps. */
    public abstract OptimizerState state();

    /**
     * Replaces the state with a copy of {@code state}.
     *
     * @throws IllegalArgumentException if the state belongs to another kind of optimizer
     */
    public abstract void restore(OptimizerState state);

    /** Short name stored in checkpoints ("sgd", "adam"). */
    abstract String kind();

    final void checkKind(OptimizerState state) {
        if (!state.kind().equals(kind())) {
            throw new IllegalArgumentException("the optimizer state is from " + state.kind() + ", this optimizer is "
                    + kind());
        }
    }

    static void checkLengths(float[] parameters, float[] gradient, float[] buffer) {
        if (gradient.length != parameters.length) {
            throw new IllegalArgumentException("gradient has " + gradient.length + " values, parameters "
                    + parameters.length);
        }
        if (buffer != null && buffer.length != parameters.length) {
            throw new IllegalArgumentException("optimizer state holds " + buffer.length + " values, parameters "
                    + parameters.length + " (state of another model?)");
        }
    }

    static float checkHyperparameter(String name, float value, float low, boolean lowInclusive, float high) {
        boolean aboveLow = lowInclusive ? value >= low : value > low;
        if (!(aboveLow && value < high)) {
            throw new IllegalArgumentException(name + " must be in " + (lowInclusive ? "[" : "(") + low + ", " + high
                    + "), was " + value);
        }
        return value;
    }
}
