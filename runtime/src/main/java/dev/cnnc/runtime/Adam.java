package dev.cnnc.runtime;

/**
 * Adam with PyTorch's {@code torch.optim.Adam} semantics (not AMSGrad; weight decay as an L2 term
 * added to the gradient, not AdamW's decoupled decay). At step t (from 1):
 * <pre>
 *   g = g + weightDecay * p
 *   m = m + (1 - beta1) * (g - m)            (PyTorch's lerp form of beta1 * m + (1 - beta1) * g)
 *   v = beta2 * v + (1 - beta2) * g * g
 *   p = p - lr / (1 - beta1^t) * m / (sqrt(v) / sqrt(1 - beta2^t) + eps)
 * </pre>
 * Defaults: beta1 0.9, beta2 0.999, eps 1e-8, no weight decay.
 * {@code new Adam(1e-3f).betas(0.9f, 0.99f).weightDecay(1e-4f)}.
 */
public final class Adam extends Optimizer {
    private final float beta1;
    private final float beta2;
    private final float epsilon;
    private final float weightDecay;
    private float[] firstMoment;
    private float[] secondMoment;
    private long steps;
    /** The constants of the step that {@link #begin} started. */
    private float stepSize;
    private double correction2Sqrt;

    public Adam(float learningRate) {
        this(learningRate, 0.9f, 0.999f, 1e-8f, 0f);
    }

    private Adam(float learningRate, float beta1, float beta2, float epsilon, float weightDecay) {
        super(learningRate);
        this.beta1 = checkHyperparameter("beta1", beta1, 0f, true, 1f);
        this.beta2 = checkHyperparameter("beta2", beta2, 0f, true, 1f);
        this.epsilon = checkHyperparameter("eps", epsilon, 0f, false, Float.POSITIVE_INFINITY);
        this.weightDecay = checkHyperparameter("weight decay", weightDecay, 0f, true, Float.POSITIVE_INFINITY);
    }

    /** Decay rates of the first and second moment estimates, each in {@code [0, 1)}. */
    public Adam betas(float beta1, float beta2) {
        return new Adam(learningRate(), beta1, beta2, epsilon, weightDecay);
    }

    /** Term added to the denominator for stability (default 1e-8). */
    public Adam epsilon(float epsilon) {
        return new Adam(learningRate(), beta1, beta2, epsilon, weightDecay);
    }

    /** L2 penalty added to the gradient. */
    public Adam weightDecay(float weightDecay) {
        return new Adam(learningRate(), beta1, beta2, epsilon, weightDecay);
    }

    @Override
    void begin(float[] parameters, float[] gradient, float learningRate) {
        checkLengths(parameters, gradient, firstMoment);
        if (firstMoment == null) {
            firstMoment = new float[parameters.length];
            secondMoment = new float[parameters.length];
        }
        steps++;
        // Bias corrections in double, as PyTorch computes them in Python floats.
        double correction1 = 1.0 - StrictMath.pow(beta1, steps);
        correction2Sqrt = StrictMath.sqrt(1.0 - StrictMath.pow(beta2, steps));
        stepSize = (float) (learningRate / correction1);
    }

    @Override
    void update(float[] parameters, float[] gradient, int from, int to) {
        float oneMinusBeta1 = 1f - beta1;
        float oneMinusBeta2 = 1f - beta2;
        for (int i = from; i < to; i++) {
            float g = gradient[i];
            if (weightDecay != 0f) {
                g += weightDecay * parameters[i];
            }
            float m = firstMoment[i] + oneMinusBeta1 * (g - firstMoment[i]);
            float v = beta2 * secondMoment[i] + oneMinusBeta2 * (g * g);
            firstMoment[i] = m;
            secondMoment[i] = v;
            float denominator = (float) (Math.sqrt(v) / correction2Sqrt) + epsilon;
            parameters[i] -= stepSize * (m / denominator);
        }
    }

    @Override
    public OptimizerState state() {
        float[][] buffers = firstMoment == null ? new float[0][] : new float[][] {firstMoment, secondMoment};
        return new OptimizerState(kind(), steps, buffers);
    }

    @Override
    public void restore(OptimizerState state) {
        checkKind(state);
        if (state.bufferCount() != 0 && state.bufferCount() != 2) {
            throw new IllegalArgumentException("Adam state has 0 or 2 buffers, got " + state.bufferCount());
        }
        steps = state.steps();
        firstMoment = state.bufferCount() == 0 ? null : state.buffer(0);
        secondMoment = state.bufferCount() == 0 ? null : state.buffer(1);
    }

    @Override
    String kind() {
        return "adam";
    }

    @Override
    public String toString() {
        return "Adam[lr=" + learningRate() + ", betas=(" + beta1 + ", " + beta2 + "), eps=" + epsilon
                + ", weightDecay=" + weightDecay + "]";
    }
}
