package dev.cnnc.samples.cli;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;

/** Checks and creates the directories a command writes into, with messages that name them. */
final class RunFiles {
    private RunFiles() {
    }

    /** Creates {@code directory} if needed; fails before any work if it cannot be a writable directory. */
    static void checkWritable(File directory) {
        try {
            Files.createDirectories(directory.toPath());
        } catch (IOException | RuntimeException e) {
            throw new CommandFailure(directory.getPath() + ": cannot create the output directory (" + e + ")", e);
        }
        if (!Files.isWritable(directory.toPath())) {
            throw new CommandFailure(directory.getPath() + ": the output directory is not writable");
        }
    }

    /** Creates the directory that will hold {@code file}. */
    static void createParent(File file) {
        File parent = file.getAbsoluteFile().getParentFile();
        if (parent != null) {
            checkWritable(parent);
        }
    }

    /** Fails with a hint to train first when a file a command reads is missing. */
    static void checkExists(File file, String what, ModelOptions model) {
        if (!file.isFile()) {
            throw new CommandFailure(file.getPath() + ": no such " + what + " file; train first (cnnc train --network "
                + model.network().cliName() + (model.out.getPath().equals(ModelOptions.DEFAULT_OUT) ? ""
                : " --out " + model.out.getPath()) + ") or pass --weights FILE");
        }
    }
}
