package dev.cnnc.processor.emit;

import dev.cnnc.Activation;
import dev.cnnc.PoolKind;
import dev.cnnc.processor.model.LayerModel;
import dev.cnnc.processor.model.LayerModel.ConvLayer;
import dev.cnnc.processor.model.LayerModel.DenseLayer;
import dev.cnnc.processor.model.LayerModel.PoolLayer;
import dev.cnnc.processor.model.NetworkModel;

/**
 * A deliberately naive double-precision interpreter of a {@link NetworkModel}: the textbook loops
 * (output position, then every tap, bounds checked), written independently of the emitters. It is
 * the reference for finite-difference gradient checks and forward comparisons.
 */
final class ReferenceNetwork {
    private final NetworkModel network;

    ReferenceNetwork(NetworkModel network) {
        this.network = network;
    }

    /** The network's outputs: probabilities after a SOFTMAX last layer, else the last layer's outputs. */
    double[] forward(double[] parameters, double[] input) {
        double[] activation = input;
        for (LayerModel layer : network.layers()) {
            activation = layer(layer, parameters, activation);
        }
        return activation;
    }

    /** Softmax cross-entropy of one sample, as the generated {@code gradient} defines it. */
    double loss(double[] parameters, double[] input, int label) {
        double[] activation = input;
        for (LayerModel layer : network.layers()) {
            boolean softmaxLast = layer == network.last() && layer.activation() == Activation.SOFTMAX;
            activation = softmaxLast ? linear(layer, parameters, activation) : layer(layer, parameters, activation);
        }
        double max = Double.NEGATIVE_INFINITY;
        for (double v : activation) {
            max = Math.max(max, v);
        }
        double sum = 0;
        for (double v : activation) {
            sum += Math.exp(v - max);
        }
        return Math.log(sum) + max - activation[label];
    }

    /** Central differences in double: {@code (L(p + h) - L(p - h)) / 2h} for every parameter. */
    double[] numericGradient(double[] parameters, double[] input, int label, double step) {
        double[] gradient = new double[parameters.length];
        for (int i = 0; i < parameters.length; i++) {
            double saved = parameters[i];
            parameters[i] = saved + step;
            double plus = loss(parameters, input, label);
            parameters[i] = saved - step;
            double minus = loss(parameters, input, label);
            parameters[i] = saved;
            gradient[i] = (plus - minus) / (2 * step);
        }
        return gradient;
    }

    private double[] layer(LayerModel layer, double[] p, double[] in) {
        double[] z = linear(layer, p, in);
        return activate(layer.activation(), z);
    }

    private double[] linear(LayerModel layer, double[] p, double[] in) {
        if (layer instanceof ConvLayer conv) {
            return conv(conv, p, in);
        }
        if (layer instanceof PoolLayer pool) {
            return pool(pool, in);
        }
        return dense((DenseLayer) layer, p, in);
    }

    private static double[] conv(ConvLayer conv, double[] p, double[] in) {
        int c = conv.input().channels();
        int h = conv.input().height();
        int w = conv.input().width();
        int k = conv.kernel();
        int s = conv.stride();
        int oh = conv.output().height();
        int ow = conv.output().width();
        int top = conv.rows().padBefore();
        int left = conv.cols().padBefore();
        double[] out = new double[conv.filters() * oh * ow];
        for (int f = 0; f < conv.filters(); f++) {
            for (int oy = 0; oy < oh; oy++) {
                for (int ox = 0; ox < ow; ox++) {
                    double sum = p[conv.biasOffset() + f];
                    for (int ch = 0; ch < c; ch++) {
                        for (int ky = 0; ky < k; ky++) {
                            for (int kx = 0; kx < k; kx++) {
                                int iy = oy * s + ky - top;
                                int ix = ox * s + kx - left;
                                if (iy < 0 || iy >= h || ix < 0 || ix >= w) {
                                    continue; // zero padding
                                }
                                double weight = p[conv.paramOffset() + ((f * c + ch) * k + ky) * k + kx];
                                sum += weight * in[(ch * h + iy) * w + ix];
                            }
                        }
                    }
                    out[(f * oh + oy) * ow + ox] = sum;
                }
            }
        }
        return out;
    }

    private static double[] pool(PoolLayer pool, double[] in) {
        int c = pool.input().channels();
        int h = pool.input().height();
        int w = pool.input().width();
        int oh = pool.output().height();
        int ow = pool.output().width();
        double[] out = new double[c * oh * ow];
        for (int ch = 0; ch < c; ch++) {
            for (int oy = 0; oy < oh; oy++) {
                for (int ox = 0; ox < ow; ox++) {
                    double max = Double.NEGATIVE_INFINITY;
                    double sum = 0;
                    for (int ky = 0; ky < pool.size(); ky++) {
                        for (int kx = 0; kx < pool.size(); kx++) {
                            double v = in[(ch * h + oy * pool.stride() + ky) * w + ox * pool.stride() + kx];
                            max = Math.max(max, v);
                            sum += v;
                        }
                    }
                    out[(ch * oh + oy) * ow + ox] = pool.kind() == PoolKind.MAX ? max
                            : sum / (pool.size() * pool.size());
                }
            }
        }
        return out;
    }

    private static double[] dense(DenseLayer dense, double[] p, double[] in) {
        double[] out = new double[dense.units()];
        for (int u = 0; u < dense.units(); u++) {
            double sum = p[dense.biasOffset() + u];
            for (int i = 0; i < dense.inputs(); i++) {
                sum += p[dense.paramOffset() + u * dense.inputs() + i] * in[i];
            }
            out[u] = sum;
        }
        return out;
    }

    private static double[] activate(Activation activation, double[] z) {
        double[] y = new double[z.length];
        switch (activation) {
            case LINEAR -> System.arraycopy(z, 0, y, 0, z.length);
            case RELU -> {
                for (int i = 0; i < z.length; i++) {
                    y[i] = Math.max(0, z[i]);
                }
            }
            case SIGMOID -> {
                for (int i = 0; i < z.length; i++) {
                    y[i] = 1 / (1 + Math.exp(-z[i]));
                }
            }
            case TANH -> {
                for (int i = 0; i < z.length; i++) {
                    y[i] = Math.tanh(z[i]);
                }
            }
            case SOFTMAX -> {
                double max = Double.NEGATIVE_INFINITY;
                for (double v : z) {
                    max = Math.max(max, v);
                }
                double sum = 0;
                for (int i = 0; i < z.length; i++) {
                    y[i] = Math.exp(z[i] - max);
                    sum += y[i];
                }
                for (int i = 0; i < z.length; i++) {
                    y[i] /= sum;
                }
            }
        }
        return y;
    }
}
