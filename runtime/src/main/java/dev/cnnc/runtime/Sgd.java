package dev.cnnc.runtime;

/**
 * Stochastic gradient descent with PyTorch's {@code torch.optim.SGD} semantics (dampening 0):
 * <pre>
 *   d = g + weightDecay * p
 *   buf = d on the first step, else momentum * buf + d      (only if momentum != 0)
 *   d = nesterov ? d + momentum * buf : buf                 (only if momentum != 0)
 *   p = p - lr * d
 * </pre>
 * Configure with the fluent methods, each returns a new optimizer:
 * {@code new Sgd(0.01f).momentum(0.9f).nesterov(true).weightDecay(5e-4f)}.
 */
public final class Sgd extends Optimizer {
    private final float momentum;
    private final boolean nesterov;
    private final float weightDecay;
    private float[] momentumBuffer;
    private long steps;
    /** The step that {@link #begin} started: its rate, and whether it is the first (momentum = d). */
    private float stepRate;
    private boolean firstStep;

    /** Plain SGD: no momentum, no weight decay. */
    public Sgd(float learningRate) {
        this(learningRate, 0f, false, 0f);
    }

    private Sgd(float learningRate, float momentum, boolean nesterov, float weightDecay) {
        super(learningRate);
        this.momentum = checkHyperparameter("momentum", momentum, 0f, true, 1f);
        this.weightDecay = checkHyperparameter("weight decay", weightDecay, 0f, true, Float.POSITIVE_INFINITY);
        if (nesterov && momentum == 0f) {
            throw new IllegalArgumentException("Nesterov momentum needs momentum > 0; call momentum(...) first");
        }
        this.nesterov = nesterov;
    }

    /** Momentum factor in {@code [0, 1)}. */
    public Sgd momentum(float momentum) {
        return new Sgd(learningRate(), momentum, nesterov, weightDecay);
    }

    /** Nesterov momentum (needs {@code momentum > 0}). */
    public Sgd nesterov(boolean nesterov) {
        return new Sgd(learningRate(), momentum, nesterov, weightDecay);
    }

    /** L2 penalty added to the gradient ({@code d = g + weightDecay * p}). */
    public Sgd weightDecay(float weightDecay) {
        return new Sgd(learningRate(), momentum, nesterov, weightDecay);
    }

    @Override
    void begin(float[] parameters, float[] gradient, float learningRate) {
        checkLengths(parameters, gradient, momentumBuffer);
        firstStep = momentumBuffer == null;
        if (momentum != 0f && firstStep) {
            momentumBuffer = new float[parameters.length];
        }
        stepRate = learningRate;
        steps++;
    }

    @Override
    void update(float[] parameters, float[] gradient, int from, int to) {
        float[] buffer = momentumBuffer;
        float learningRate = stepRate;
        boolean first = firstStep;
        for (int i = from; i < to; i++) {
            float direction = gradient[i];
            if (weightDecay != 0f) {
                direction += weightDecay * parameters[i];
            }
            if (momentum != 0f) {
                float velocity = first ? direction : momentum * buffer[i] + direction;
                buffer[i] = velocity;
                direction = nesterov ? direction + momentum * velocity : velocity;
            }
            parameters[i] -= learningRate * direction;
        }
    }

    @Override
    public OptimizerState state() {
        float[][] buffers = momentumBuffer == null ? new float[0][] : new float[][] {momentumBuffer};
        return new OptimizerState(kind(), steps, buffers);
    }

    @Override
    public void restore(OptimizerState state) {
        checkKind(state);
        if (state.bufferCount() > 1) {
            throw new IllegalArgumentException("SGD state has at most 1 buffer, got " + state.bufferCount());
        }
        steps = state.steps();
        momentumBuffer = state.bufferCount() == 0 ? null : state.buffer(0);
    }

    @Override
    String kind() {
        return "sgd";
    }

    @Override
    public String toString() {
        return "Sgd[lr=" + learningRate() + ", momentum=" + momentum + ", nesterov=" + nesterov
                + ", weightDecay=" + weightDecay + "]";
    }
}
