package dev.cnnc.runtime.interchange;

import java.io.IOException;

/** A JSON text that {@link JsonParser} refuses, with the character index where the problem starts. */
public final class JsonSyntaxException extends IOException {
    private static final long serialVersionUID = 1L;

    private final int position;

    JsonSyntaxException(String problem, int position) {
        super(problem + " at position " + position);
        this.position = position;
    }

    /** Index (in chars, from 0) into the parsed text where the problem starts. */
    public int position() {
        return position;
    }
}
