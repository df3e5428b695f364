package dev.cnnc.benchmarks;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.List;

/**
 * The CPUs this process may run on, as Linux lists them ({@code 0-1}, or {@code 0} under
 * {@code taskset -c 0}). The reference machine's two vCPUs at times differ in speed by about a fifth
 * (cnnc's batch-1 latency 27 us on one, 33 us on the other; PyTorch's 124 and 179 us), so a pairing
 * of two processes is only fair when both are held to the same CPU, and a report has to say which.
 */
final class AllowedCpus {
    private static final Path STATUS = Paths.get("/proc/self/status");

    private AllowedCpus() {
    }

    /** This process's allowed CPUs, or null where {@code /proc/self/status} does not say (not Linux). */
    static String ofThisProcess() {
        try {
            return parse(Files.readAllLines(STATUS));
        } catch (IOException | SecurityException e) {
            return null;
        }
    }

    /** The {@code Cpus_allowed_list} field of a {@code /proc/<pid>/status} text, or null without one. */
    static String parse(List<String> statusLines) {
        for (String line : statusLines) {
            if (line.startsWith("Cpus_allowed_list:")) {
                return line.substring("Cpus_allowed_list:".length()).trim();
            }
        }
        return null;
    }
}
