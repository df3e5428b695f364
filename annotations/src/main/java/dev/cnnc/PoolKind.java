package dev.cnnc;

/** What a {@link Pool} layer computes over each window. */
public enum PoolKind {
    /** The largest value of the window; the gradient flows back to that position only. */
    MAX,
    /** The mean of the window; the gradient is spread evenly over it. */
    AVG
}
