package dev.cnnc.samples.cli;

import picocli.CommandLine.Option;

/** {@code --threads N}, shared by the commands that run the runtime's worker pool. */
final class ThreadsOption {
    @Option(names = "--threads", paramLabel = "N",
        description = "worker threads (default: available processors); the result does not depend on it")
    Integer threads;

    /** The threads asked for, else one per available processor; fails clearly below 1. */
    int threads() {
        if (threads != null && threads < 1) {
            throw new CommandFailure("--threads must be at least 1, was " + threads);
        }
        return threads != null ? threads : Runtime.getRuntime().availableProcessors();
    }
}
