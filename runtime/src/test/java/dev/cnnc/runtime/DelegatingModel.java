package dev.cnnc.runtime;

/** A model that forwards every call to another; tests override one method to inject a fault. */
class DelegatingModel implements TrainableModel {
    final TrainableModel delegate;

    DelegatingModel(TrainableModel delegate) {
        this.delegate = delegate;
    }

    @Override
    public String name() {
        return delegate.name();
    }

    @Override
    public long fingerprint() {
        return delegate.fingerprint();
    }

    @Override
    public String architecture() {
        return delegate.architecture();
    }

    @Override
    public String summary() {
        return delegate.summary();
    }

    @Override
    public int parameterCount() {
        return delegate.parameterCount();
    }

    @Override
    public int inputSize() {
        return delegate.inputSize();
    }

    @Override
    public int outputSize() {
        return delegate.outputSize();
    }

    @Override
    public float[] parameters() {
        return delegate.parameters();
    }

    @Override
    public ParameterTensor[] tensors() {
        return delegate.tensors();
    }

    @Override
    public Workspace newWorkspace() {
        return delegate.newWorkspace();
    }

    @Override
    public boolean outputsProbabilities() {
        return delegate.outputsProbabilities();
    }

    @Override
    public void forward(Workspace workspace, float[] images, int imageOffset, float[] output, int outputOffset) {
        delegate.forward(workspace, images, imageOffset, output, outputOffset);
    }

    @Override
    public float gradient(Workspace workspace, float[] images, int imageOffset, int label, float[] grad) {
        return delegate.gradient(workspace, images, imageOffset, label, grad);
    }
}
