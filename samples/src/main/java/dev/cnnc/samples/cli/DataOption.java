package dev.cnnc.samples.cli;

import java.io.File;
import picocli.CommandLine.Option;

/** Where the data set's files are, when not in the system default place. */
public final class DataOption {
    @Option(names = "--data", paramLabel = "DIR",
        description = "directory of the data set's files (default for fashion-mnist: /usr/share/datasets/fashion-mnist)")
    File data;
}
