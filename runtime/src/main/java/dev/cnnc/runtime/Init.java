package dev.cnnc.runtime;

import java.util.Arrays;

/**
 * Seeded weight initialization from each tensor's fan values ({@link ParameterTensor#fanIn()},
 * {@link ParameterTensor#fanOut()}). Biases are set to zero. The same seed always gives the same
 * parameters; every seed, 0 included, is a valid seed.
 *
 * <ul>
 *   <li>{@link #HE_UNIFORM}: U(-a, a), a = sqrt(6 / fanIn) (Keras {@code he_uniform}); for RELU layers.</li>
 *   <li>{@link #HE_NORMAL}: N(0, sqrt(2 / fanIn)) (PyTorch {@code kaiming_normal_}, not truncated).</li>
 *   <li>{@link #GLOROT_UNIFORM}: U(-a, a), a = sqrt(6 / (fanIn + fanOut)); for TANH/SIGMOID layers.</li>
 *   <li>{@link #GLOROT_NORMAL}: N(0, sqrt(2 / (fanIn + fanOut))).</li>
 *   <li>{@link #KEEP}: leave the parameters as they are (fine-tuning loaded weights).</li>
 * </ul>
 */
public enum Init {
    HE_UNIFORM, HE_NORMAL, GLOROT_UNIFORM, GLOROT_NORMAL, KEEP;

    /** Overwrites {@code model.parameters()} tensor by tensor, in order, from one seeded stream. */
    public void apply(TrainableModel model, long seed) {
        if (this == KEEP) {
            return;
        }
        SplitMix64 random = new SplitMix64(seed);
        float[] parameters = model.parameters();
        for (ParameterTensor tensor : model.tensors()) {
            int from = tensor.offset();
            int to = from + tensor.length();
            if (from < 0 || to > parameters.length) {
                throw new IllegalArgumentException(model.name() + ": tensor " + tensor
                        + " lies outside the " + parameters.length + " parameters");
            }
            if (tensor.isBias()) {
                Arrays.fill(parameters, from, to, 0f);
                continue;
            }
            double fan = (this == HE_UNIFORM || this == HE_NORMAL)
                    ? tensor.fanIn()
                    : tensor.fanIn() + tensor.fanOut();
            if (fan <= 0) {
                throw new IllegalArgumentException(model.name() + ": tensor " + tensor + " has fan " + fan);
            }
            boolean uniform = this == HE_UNIFORM || this == GLOROT_UNIFORM;
            double scaleNumerator = uniform ? 6.0 : 2.0;
            double scale = StrictMath.sqrt(scaleNumerator / fan); // uniform limit or normal std
            for (int i = from; i < to; i++) {
                double unit = uniform ? 2.0 * random.nextDouble() - 1.0 : random.nextGaussian();
                parameters[i] = (float) (unit * scale);
            }
        }
    }
}
