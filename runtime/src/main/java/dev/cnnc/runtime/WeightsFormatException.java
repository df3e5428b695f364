package dev.cnnc.runtime;

import java.io.IOException;

/**
 * A weights or checkpoint file that cannot be loaded: not a cnnc file, an unsupported version,
 * weights of another network, truncated, or a bad checksum. The message names the file and the
 * problem; the model was not changed.
 */
public final class WeightsFormatException extends IOException {
    private static final long serialVersionUID = 1L;

    public WeightsFormatException(String message) {
        super(message);
    }
}
