package dev.cnnc.processor.validate;

import javax.tools.Diagnostic.Kind;

/**
 * One finding of the validator: which layer ({@code -1}: the {@code @Network} annotation), which
 * attribute (so the IDE underlines {@code kernel = 5}; {@code null}: the whole annotation) and the
 * text. The processor maps it back to the source element and prints it.
 */
public record Diagnostic(Message message, int layerIndex, String attribute, String text) {

    public static final int NETWORK = -1;

    public Kind kind() {
        return message.kind();
    }

    public boolean isError() {
        return kind() == Kind.ERROR;
    }
}
