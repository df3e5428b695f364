package dev.cnnc.runtime;

import java.io.BufferedOutputStream;
import java.io.File;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.OutputStream;

/**
 * Writes a file all or nothing: the content goes to a temporary file in the target's directory,
 * is synced to disk, and then renamed over the target. If anything fails the temporary file is
 * deleted and the previous target is left as it was.
 */
final class AtomicFile {

    /** Produces the file's content. */
    interface Content {
        void writeTo(OutputStream out) throws IOException;
    }

    /** Wraps the temporary file's stream; lets tests fail a write midway. */
    interface StreamWrapper {
        OutputStream wrap(OutputStream out);
    }

    /** Test hook (package-private): when set, every temporary file's stream goes through it. */
    static volatile StreamWrapper testWrapper;

    private AtomicFile() {
    }

    static void write(File target, Content content) throws IOException {
        File directory = target.getAbsoluteFile().getParentFile();
        if (directory == null || !directory.isDirectory()) {
            throw new IOException("cannot write " + target + ": directory " + directory + " does not exist");
        }
        File temporary = File.createTempFile("." + target.getName() + ".", ".tmp", directory);
        boolean renamed = false;
        try {
            FileOutputStream file = new FileOutputStream(temporary);
            try {
                StreamWrapper wrapper = testWrapper;
                OutputStream out = new BufferedOutputStream(wrapper == null ? file : wrapper.wrap(file), 65536);
                content.writeTo(out);
                out.flush();
                file.getFD().sync(); // the data must be on disk before the rename makes it the target
            } finally {
                file.close();
            }
            if (!temporary.renameTo(target)) {
                // Windows does not rename over an existing file; there the replacement is not atomic.
                if (!target.delete() || !temporary.renameTo(target)) {
                    throw new IOException("cannot rename " + temporary + " to " + target);
                }
            }
            renamed = true;
        } finally {
            if (!renamed && !temporary.delete() && temporary.exists()) {
                temporary.deleteOnExit();
            }
        }
    }
}
