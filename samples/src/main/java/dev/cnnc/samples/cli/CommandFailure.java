package dev.cnnc.samples.cli;

/**
 * A failure the user can fix (missing data, a wrong option combination, a missing weights file):
 * the command line prints its message alone, without a stack trace, and exits with status 1.
 */
public final class CommandFailure extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public CommandFailure(String message) {
        super(message);
    }

    public CommandFailure(String message, Throwable cause) {
        super(message, cause);
    }
}
