package dev.cnnc.runtime.interchange;

import dev.cnnc.runtime.ParameterTensor;
import dev.cnnc.runtime.TrainableModel;
import dev.cnnc.runtime.Workspace;

/**
 * A hand-written stand-in for a generated model: one dense layer {@code fc} of 4 inputs and 3
 * units ({@code fc.weight [3, 4]} then {@code fc.bias [3]}, 15 parameters). Only the parts that
 * weight interchange uses are implemented.
 */
final class TinyModel implements TrainableModel {
    static final long FINGERPRINT = 0x0123456789abcdefL;
    static final String ARCHITECTURE = "input 4; fc dense u3 LINEAR -> 3";

    private final long fingerprint;
    private final float[] parameters = new float[15];

    TinyModel() {
        this(FINGERPRINT);
    }

    TinyModel(long fingerprint) {
        this.fingerprint = fingerprint;
    }

    /** A model whose parameter {@code i} is {@code first + i * step}. */
    static TinyModel withRamp(float first, float step) {
        TinyModel model = new TinyModel();
        for (int i = 0; i < model.parameters.length; i++) {
            model.parameters[i] = first + i * step;
        }
        return model;
    }

    @Override
    public String name() {
        return "Tiny";
    }

    @Override
    public long fingerprint() {
        return fingerprint;
    }

    @Override
    public String architecture() {
        return ARCHITECTURE;
    }

    @Override
    public String summary() {
        return ARCHITECTURE;
    }

    @Override
    public int parameterCount() {
        return parameters.length;
    }

    @Override
    public int inputSize() {
        return 4;
    }

    @Override
    public int outputSize() {
        return 3;
    }

    @Override
    public float[] parameters() {
        return parameters;
    }

    @Override
    public ParameterTensor[] tensors() {
        return new ParameterTensor[] {
            new ParameterTensor("fc.weight", new int[] {3, 4}, 0, 4, 3, false),
            new ParameterTensor("fc.bias", new int[] {3}, 12, 4, 3, true),
        };
    }

    @Override
    public Workspace newWorkspace() {
        throw new UnsupportedOperationException("interchange tests do not run the model");
    }

    @Override
    public void forward(Workspace workspace, float[] images, int imageOffset, float[] output, int outputOffset) {
        throw new UnsupportedOperationException("interchange tests do not run the model");
    }

    @Override
    public float gradient(Workspace workspace, float[] images, int imageOffset, int label, float[] grad) {
        throw new UnsupportedOperationException("interchange tests do not run the model");
    }
}
