package dev.cnnc.runtime;

/** Called by the {@link Trainer} after each epoch (after its checkpoint was written). */
public interface EpochListener {
    /**
     * @param epoch   the epoch just completed, from 1
     * @param history the history up to and including it
     * @return {@code true} to go on, {@code false} to stop training after this epoch
     */
    boolean epochEnded(int epoch, History history);
}
