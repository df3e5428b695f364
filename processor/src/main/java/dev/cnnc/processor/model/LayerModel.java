package dev.cnnc.processor.model;

import dev.cnnc.Activation;
import dev.cnnc.Padding;
import dev.cnnc.PoolKind;

/**
 * A validated layer with everything derived from its input shape: output shape, parameter count and
 * formula, FLOPs, and where its parameters sit in the flat parameter array (PyTorch state_dict
 * order: weight, then bias).
 */
public sealed interface LayerModel {

    String name();

    Shape input();

    Shape output();

    /** Offset of this layer's first parameter in the flat array. */
    int paramOffset();

    /** Weights and biases. */
    int params();

    /** The summary's "Comments" column, e.g. {@code (5x5x3 + 1) x 6}; empty when there are none. */
    String formula();

    /** The summary's "Filter/Kernel for CNN, Neurons for FCN" column. */
    String kernelText();

    /** The summary's layer type, Keras-style. */
    String typeName();

    /** Multiply-adds and compares of one forward pass of one image, counted as 2 per MAC. */
    long flops();

    Activation activation();

    /** A convolution; {@code rows} and {@code cols} hold all of its geometry. */
    record ConvLayer(String name, Shape input, Shape output, int paramOffset, int filters, Axis rows, Axis cols,
                     Padding padding, Activation activation) implements LayerModel {
        public int kernel() {
            return rows.kernel();
        }

        public int stride() {
            return rows.stride();
        }

        public int weightCount() {
            return filters * input.channels() * kernel() * kernel();
        }

        /** Offset of the bias, right after the weight {@code [filters][inChannels][kernel][kernel]}. */
        public int biasOffset() {
            return paramOffset + weightCount();
        }

        @Override
        public int params() {
            return (kernel() * kernel() * input.channels() + 1) * filters;
        }

        @Override
        public String formula() {
            return "(" + kernel() + "x" + kernel() + "x" + input.channels() + " + 1) x " + filters;
        }

        @Override
        public String kernelText() {
            String text = kernel() + "x" + kernel() + "x" + input.channels() + "x" + filters;
            if (stride() != 1) {
                text += ", s" + stride();
            }
            if (padding == Padding.SAME) {
                text += ", SAME";
            }
            return text;
        }

        @Override
        public String typeName() {
            return "Conv2D";
        }

        @Override
        public long flops() {
            long macs = output.size() * kernel() * kernel() * input.channels();
            return 2 * macs;
        }
    }

    /** Max or average pooling; no parameters. */
    record PoolLayer(String name, Shape input, Shape output, int paramOffset, PoolKind kind, Axis rows, Axis cols)
            implements LayerModel {
        public int size() {
            return rows.kernel();
        }

        public int stride() {
            return rows.stride();
        }

        @Override
        public int params() {
            return 0;
        }

        @Override
        public String formula() {
            return "";
        }

        @Override
        public String kernelText() {
            String text = size() + "x" + size();
            return stride() == size() ? text : text + ", s" + stride();
        }

        @Override
        public String typeName() {
            return kind == PoolKind.MAX ? "MaxPool2D" : "AvgPool2D";
        }

        @Override
        public long flops() {
            return output.size() * size() * size();
        }

        @Override
        public Activation activation() {
            return Activation.LINEAR;
        }
    }

    /** A fully connected layer over the flattened (C, H, W) input. */
    record DenseLayer(String name, Shape input, Shape output, int paramOffset, int units, Activation activation)
            implements LayerModel {
        public int inputs() {
            return (int) input.size();
        }

        public int weightCount() {
            return units * inputs();
        }

        /** Offset of the bias, right after the weight {@code [units][inputs]}. */
        public int biasOffset() {
            return paramOffset + weightCount();
        }

        @Override
        public int params() {
            return (inputs() + 1) * units;
        }

        @Override
        public String formula() {
            return "(" + inputs() + " + 1) x " + units;
        }

        @Override
        public String kernelText() {
            return input.flat() ? Integer.toString(inputs())
                    : input.height() + "x" + input.width() + "x" + input.channels() + " = " + inputs();
        }

        @Override
        public String typeName() {
            return "Dense";
        }

        @Override
        public long flops() {
            return 2L * inputs() * units;
        }
    }
}
