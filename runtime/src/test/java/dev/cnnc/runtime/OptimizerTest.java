package dev.cnnc.runtime;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

/**
 * Each optimizer against updates worked out by hand (PyTorch's formulas) on two parameters over
 * three steps: p = (1, -2), gradients (0.5, -1), (0.25, 0.5), (-0.5, 0.125), lr 0.1.
 */
class OptimizerTest extends RuntimeTestBase {
    private static final float[][] GRADIENTS = {{0.5f, -1f}, {0.25f, 0.5f}, {-0.5f, 0.125f}};
    private static final float TOLERANCE = 1e-6f;

    private static float[][] run(Optimizer optimizer) {
        float[] parameters = {1f, -2f};
        float[][] after = new float[GRADIENTS.length][];
        for (int step = 0; step < GRADIENTS.length; step++) {
            optimizer.step(parameters, GRADIENTS[step].clone(), 0.1f);
            after[step] = parameters.clone();
        }
        return after;
    }

    private static void assertSteps(double[][] expected, float[][] actual) {
        for (int step = 0; step < expected.length; step++) {
            for (int i = 0; i < 2; i++) {
                assertEquals(expected[step][i], actual[step][i], TOLERANCE, "step " + (step + 1) + ", parameter " + i);
            }
        }
    }

    @Test
    void plainSgdSubtractsLearningRateTimesGradient() {
        // p1 = 1 - 0.1*0.5 = 0.95, p2 = 0.95 - 0.025 = 0.925, p3 = 0.925 + 0.05 = 0.975
        assertSteps(new double[][] {{0.95, -1.9}, {0.925, -1.95}, {0.975, -1.9625}}, run(new Sgd(0.1f)));
    }

    @Test
    void momentumStartsWithTheGradientThenAccumulates() {
        // buf1 = g1 = 0.5 -> 0.95; buf2 = 0.9*0.5 + 0.25 = 0.7 -> 0.88; buf3 = 0.63 - 0.5 = 0.13 -> 0.867
        // second: buf = -1 -> -1.9; -0.9+0.5 = -0.4 -> -1.86; -0.36+0.125 = -0.235 -> -1.8365
        assertSteps(new double[][] {{0.95, -1.9}, {0.88, -1.86}, {0.867, -1.8365}},
                run(new Sgd(0.1f).momentum(0.9f)));
    }

    @Test
    void nesterovLooksAheadAlongTheBuffer() {
        // d = g + 0.9*buf: 0.5+0.45 = 0.95 -> 0.905; 0.25+0.63 = 0.88 -> 0.817; -0.5+0.117 = -0.383 -> 0.8553
        // second: -1-0.9 = -1.9 -> -1.81; 0.5-0.36 = 0.14 -> -1.824; 0.125-0.2115 = -0.0865 -> -1.81535
        assertSteps(new double[][] {{0.905, -1.81}, {0.817, -1.824}, {0.8553, -1.81535}},
                run(new Sgd(0.1f).momentum(0.9f).nesterov(true)));
    }

    @Test
    void weightDecayAddsTheL2TermToTheGradient() {
        // d = g + 0.1*p: 0.6 -> 0.94; 0.25+0.094 = 0.344 -> 0.9056; -0.5+0.09056 = -0.40944 -> 0.946544
        // second: -1-0.2 = -1.2 -> -1.88; 0.5-0.188 = 0.312 -> -1.9112; 0.125-0.19112 = -0.06612 -> -1.904588
        assertSteps(new double[][] {{0.94, -1.88}, {0.9056, -1.9112}, {0.946544, -1.904588}},
                run(new Sgd(0.1f).weightDecay(0.1f)));
    }

    @Test
    void adamMatchesTheBiasCorrectedTextbookUpdate() {
        assertSteps(adamInDoubles(0.9, 0.999, 1e-8, 0), run(new Adam(0.1f)));
    }

    @Test
    void adamFirstStepMovesEachParameterByTheLearningRate() {
        // m^ = g, v^ = g^2, so the first update is lr * g / (|g| + eps) = 0.1 * sign(g)
        float[][] steps = run(new Adam(0.1f));
        assertEquals(0.9, steps[0][0], TOLERANCE);
        assertEquals(-1.9, steps[0][1], TOLERANCE);
    }

    @Test
    void adamWithWeightDecayAndOtherBetas() {
        assertSteps(adamInDoubles(0.8f, 0.99f, 1e-3f, 0.05f),
                run(new Adam(0.1f).betas(0.8f, 0.99f).epsilon(1e-3f).weightDecay(0.05f)));
    }

    /** torch.optim.Adam's algorithm, written out in doubles. */
    private static double[][] adamInDoubles(double beta1, double beta2, double eps, double weightDecay) {
        double[] p = {1, -2};
        double[] m = new double[2];
        double[] v = new double[2];
        double[][] after = new double[GRADIENTS.length][];
        for (int t = 1; t <= GRADIENTS.length; t++) {
            for (int i = 0; i < 2; i++) {
                double g = GRADIENTS[t - 1][i] + weightDecay * p[i];
                m[i] = beta1 * m[i] + (1 - beta1) * g;
                v[i] = beta2 * v[i] + (1 - beta2) * g * g;
                double mHat = m[i] / (1 - Math.pow(beta1, t));
                double vHat = v[i] / (1 - Math.pow(beta2, t));
                p[i] -= 0.1 * mHat / (Math.sqrt(vHat) + eps);
            }
            after[t - 1] = p.clone();
        }
        return after;
    }

    @Test
    void restoredStateContinuesBitwise() {
        for (Optimizer[] pair : new Optimizer[][] {
            {new Sgd(0.1f).momentum(0.9f), new Sgd(0.1f).momentum(0.9f)},
            {new Adam(0.1f), new Adam(0.1f)},
        }) {
            float[] parameters = {1f, -2f};
            pair[0].step(parameters, GRADIENTS[0], 0.1f);
            pair[0].step(parameters, GRADIENTS[1], 0.1f);
            float[] copy = parameters.clone();
            pair[1].restore(pair[0].state());
            pair[0].step(parameters, GRADIENTS[2], 0.1f);
            pair[1].step(copy, GRADIENTS[2], 0.1f);
            assertArrayEquals(parameters, copy, pair[0].toString());
            assertEquals(3, pair[1].state().steps());
        }
    }

    @Test
    void updatesOfRangesInAnyOrderGiveTheBitsOfWholeSteps() {
        // the trainer runs begin once per step, then update on blocks of parameters on several threads
        for (Optimizer[] pair : new Optimizer[][] {
            {new Sgd(0.1f), new Sgd(0.1f)},
            {new Sgd(0.1f).momentum(0.9f).nesterov(true).weightDecay(0.01f),
                new Sgd(0.1f).momentum(0.9f).nesterov(true).weightDecay(0.01f)},
            {new Adam(0.1f).weightDecay(0.01f), new Adam(0.1f).weightDecay(0.01f)},
        }) {
            SplitMix64 random = new SplitMix64(7);
            float[] whole = new float[10];
            for (int i = 0; i < whole.length; i++) {
                whole[i] = random.nextFloat() - 0.5f;
            }
            float[] ranges = whole.clone();
            for (int step = 0; step < 3; step++) {
                float[] gradient = new float[whole.length];
                for (int i = 0; i < gradient.length; i++) {
                    gradient[i] = random.nextFloat() - 0.5f;
                }
                float rate = 0.1f / (step + 1);
                pair[0].step(whole, gradient, rate);
                pair[1].begin(ranges, gradient, rate);
                pair[1].update(ranges, gradient, 6, 10);
                pair[1].update(ranges, gradient, 0, 6);
            }
            assertArrayEquals(whole, ranges, pair[0].toString());
            assertEquals(3, pair[1].state().steps());
        }
    }

    @Test
    void stateOfAnotherOptimizerIsRefused() {
        Sgd sgd = new Sgd(0.1f);
        sgd.step(new float[2], new float[2], 0.1f);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new Adam(0.1f).restore(sgd.state()));
        assertEquals("the optimizer state is from sgd, this optimizer is adam", e.getMessage());
    }

    @Test
    void badHyperparametersAreRefusedWithTheirName() {
        assertEquals("Nesterov momentum needs momentum > 0; call momentum(...) first",
                assertThrows(IllegalArgumentException.class, () -> new Sgd(0.1f).nesterov(true)).getMessage());
        assertEquals("momentum must be in [0.0, 1.0), was 1.5",
                assertThrows(IllegalArgumentException.class, () -> new Sgd(0.1f).momentum(1.5f)).getMessage());
        assertEquals("learning rate must be positive and finite, was 0.0",
                assertThrows(IllegalArgumentException.class, () -> new Adam(0f)).getMessage());
    }

    @Test
    void gradientOfAnotherSizeIsRefused() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new Sgd(0.1f).step(new float[3], new float[2], 0.1f));
        assertEquals("gradient has 2 values, parameters 3", e.getMessage());
    }
}
