package dev.cnnc.runtime;

import java.io.InterruptedIOException;

/**
 * Training stopped because its thread was interrupted. The {@link Trainer} looks at the interrupt
 * flag before every batch, so it stops within one batch: the batch in flight finishes (its workers
 * are joined, none keeps running), the parameters are those after it, and a checkpoint file, if
 * configured, holds the last completed epoch, from which {@code resumeFrom} continues exactly as
 * if the run had never stopped. The thread's interrupt flag stays set for its owner to see.
 *
 * <p>An {@link InterruptedIOException}, so {@code fit}'s {@code throws IOException} covers it.
 */
public final class TrainingInterruptedException extends InterruptedIOException {
    private static final long serialVersionUID = 1L;

    private final int epoch;
    private final int batch;

    TrainingInterruptedException(String message, int epoch, int batch) {
        super(message);
        this.epoch = epoch;
        this.batch = batch;
    }

    /** The epoch that was interrupted, from 1. */
    public int epoch() {
        return epoch;
    }

    /** The batch that would have run next within that epoch, from 1. */
    public int batch() {
        return batch;
    }
}
