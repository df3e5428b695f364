package dev.cnnc.runtime;

/**
 * Training stopped because a batch's loss was NaN or infinite. The parameters are those before that
 * batch (it was not applied), and a checkpoint file, if configured, still holds the last completed
 * epoch. Lower the learning rate or check the data for NaN values.
 */
public final class TrainingDivergedException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    private final int epoch;
    private final int batch;

    TrainingDivergedException(String message, int epoch, int batch) {
        super(message);
        this.epoch = epoch;
        this.batch = batch;
    }

    /** The epoch that failed, from 1. */
    public int epoch() {
        return epoch;
    }

    /** The batch that failed within its epoch, from 1. */
    public int batch() {
        return batch;
    }
}
