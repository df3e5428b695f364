package dev.cnnc.runtime.interchange;

/**
 * How strictly {@link Safetensors#read} matches a file against the model. Immutable; each method
 * returns a new value: {@code SafetensorsOptions.strict().allowExtraTensors()}.
 */
public final class SafetensorsOptions {
    private static final SafetensorsOptions STRICT = new SafetensorsOptions(false, false);

    private final boolean allowExtraTensors;
    private final boolean ignoreFingerprint;

    private SafetensorsOptions(boolean allowExtraTensors, boolean ignoreFingerprint) {
        this.allowExtraTensors = allowExtraTensors;
        this.ignoreFingerprint = ignoreFingerprint;
    }

    /**
     * The default: exactly the model's tensors, and, if the file carries a {@code cnnc.fingerprint}
     * (files written by cnnc do; PyTorch's do not), the model's fingerprint.
     */
    public static SafetensorsOptions strict() {
        return STRICT;
    }

    /**
     * Also accept tensors the model does not have (e.g. a PyTorch checkpoint with optimizer or
     * batch-norm buffers); they are checked for well-formed offsets and skipped.
     */
    public SafetensorsOptions allowExtraTensors() {
        return new SafetensorsOptions(true, ignoreFingerprint);
    }

    /**
     * Load a cnnc-written file whose fingerprint differs from the model's, as long as every tensor's
     * name and shape match (e.g. after changing an activation, which keeps all shapes).
     */
    public SafetensorsOptions ignoreFingerprint() {
        return new SafetensorsOptions(allowExtraTensors, true);
    }

    public boolean extraTensorsAllowed() {
        return allowExtraTensors;
    }

    public boolean fingerprintIgnored() {
        return ignoreFingerprint;
    }

    @Override
    public String toString() {
        return "SafetensorsOptions[allowExtraTensors=" + allowExtraTensors
                + ", ignoreFingerprint=" + ignoreFingerprint + "]";
    }
}
