package dev.cnnc.runtime;

/**
 * Scratch memory of one generated model for one thread: every activation and gradient buffer of a
 * forward and backward pass, allocated once. A workspace must not be used by two threads at once;
 * the model itself may be shared by any number of threads, each with its own workspace.
 */
public interface Workspace {
}
