package dev.cnnc.runtime;

/**
 * The learning rate of each epoch, derived from the optimizer's base rate. Rates change between
 * epochs, like PyTorch's schedulers stepped once per epoch. Epochs count from 0.
 */
public abstract class Schedule {
    Schedule() {
    }

    /**
     * @param base   the optimizer's learning rate
     * @param epoch  the epoch about to run, from 0
     * @param epochs the total number of epochs of the run
     */
    public abstract float learningRate(float base, int epoch, int epochs);

    /** The base rate throughout. */
    public static Schedule constant() {
        return new Schedule() {
            @Override
            public float learningRate(float base, int epoch, int epochs) {
                return base;
            }

            @Override
            public String toString() {
                return "constant";
            }
        };
    }

    /** {@code base * gamma^(epoch / everyEpochs)} (PyTorch's StepLR). */
    public static Schedule step(final int everyEpochs, final float gamma) {
        if (everyEpochs < 1) {
            throw new IllegalArgumentException("everyEpochs must be at least 1, was " + everyEpochs);
        }
        if (!(gamma > 0) || Float.isInfinite(gamma)) {
            throw new IllegalArgumentException("gamma must be positive and finite, was " + gamma);
        }
        return new Schedule() {
            @Override
            public float learningRate(float base, int epoch, int epochs) {
                return (float) (base * StrictMath.pow(gamma, epoch / everyEpochs));
            }

            @Override
            public String toString() {
                return "step(every " + everyEpochs + " epochs x" + gamma + ")";
            }
        };
    }

    /**
     * Cosine annealing from the base rate at epoch 0 towards {@code minLearningRate} over the run:
     * {@code min + (base - min) * (1 + cos(pi * epoch / epochs)) / 2} (PyTorch's CosineAnnealingLR
     * with {@code T_max = epochs}).
     */
    public static Schedule cosine(final float minLearningRate) {
        if (!(minLearningRate >= 0) || Float.isInfinite(minLearningRate)) {
            throw new IllegalArgumentException("minLearningRate must be >= 0 and finite, was " + minLearningRate);
        }
        return new Schedule() {
            @Override
            public float learningRate(float base, int epoch, int epochs) {
                double progress = (double) epoch / epochs;
                return (float) (minLearningRate
                        + (base - minLearningRate) * (1 + StrictMath.cos(Math.PI * progress)) / 2);
            }

            @Override
            public String toString() {
                return "cosine(to " + minLearningRate + ")";
            }
        };
    }
}
