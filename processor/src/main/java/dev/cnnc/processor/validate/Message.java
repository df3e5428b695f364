package dev.cnnc.processor.validate;

import java.util.Locale;
import javax.tools.Diagnostic.Kind;

/**
 * Every text cnnc prints, in one place so that wording is reviewed together and tests name the
 * constant. Each names the layer, the incoming shape, the computed result and one concrete fix.
 */
public enum Message {
    // @Network itself
    NOT_A_CLASS(Kind.ERROR,
            "@Network must annotate a class, but %s is %s; declare it as `final class %s`"),
    NETWORK_SIZE_NOT_POSITIVE(Kind.ERROR,
            "%s: @Network %s = %d must be at least 1; e.g. %s = %d"),
    NO_LAYERS(Kind.ERROR,
            "%s declares no layers; add fields of type dev.cnnc.Layer annotated with @Conv, @Pool or @Dense, "
                    + "e.g. `@Conv(filters = 6, kernel = 5) Layer conv1;`"),
    PARAMS_MISMATCH(Kind.ERROR,
            "%s has %s parameters, %s than @Network(params = %s) expects; per layer: %s; "
                    + "set params = %s or change the layers"),
    TOO_LARGE(Kind.ERROR,
            "%s: %s would need %s floats, more than one Java array holds (%s); use %s"),

    // Layer fields
    FIELD_NOT_LAYER(Kind.ERROR,
            "%s: a layer field must have type dev.cnnc.Layer, not %s; declare it as `Layer %s;`"),
    ORPHAN_LAYER(Kind.ERROR,
            "%s: @%s is only read in a class annotated with @Network, and %s has none; "
                    + "add @Network(height = ..., width = ..., channels = ...) to %s"),
    LAYER_WITHOUT_ANNOTATION(Kind.ERROR,
            "%s: a Layer field declares a layer but has no @Conv, @Pool or @Dense; annotate it, "
                    + "e.g. `@Dense(units = 10) Layer %s;`, or remove it"),
    TWO_LAYER_ANNOTATIONS(Kind.ERROR,
            "%s: one field declares one layer, but it has both @%s and @%s; split it into two fields"),

    // Layer attributes and shapes
    VALUE_NOT_POSITIVE(Kind.ERROR,
            "%s: %s = %d must be at least 1 (input %s); e.g. %s = %d"),
    KERNEL_TOO_LARGE(Kind.ERROR,
            "%s: kernel %dx%d does not fit the %s input (padding %s gives a %dx%d output); %s"),
    POOL_TOO_LARGE(Kind.ERROR,
            "%s: pool window %dx%d does not fit the %s input (it gives a %dx%d output); %s"),
    NEEDS_IMAGE(Kind.ERROR,
            "%s: @%s needs an image input, but %s before it outputs a flat vector of %d values; "
                    + "move %s before %s"),
    SOFTMAX_NOT_LAST(Kind.ERROR,
            "%s: SOFTMAX is only allowed on the last layer (%s); use activation = RELU here, "
                    + "or put SOFTMAX on %s"),
    STRIDE_LEAVES_INPUT_UNUSED(Kind.WARNING,
            "%s: stride %d leaves %s of the %s input unused (floor((%d - %d) / %d) + 1 = %d positions, "
                    + "the last ends at %d of %d); %s"),

    // Processor
    GENERATED_NAME_TAKEN(Kind.ERROR,
            "%s: cnnc would generate %s for it, but the network %s gets that name; rename one of the two classes"),
    NOT_GENERATED(Kind.NOTE,
            "cnnc generated nothing for %s because of the errors above"),
    NOT_GENERATED_UNRESOLVED(Kind.NOTE,
            "cnnc generated nothing for %s because javac could not resolve %s (see javac's errors)"),
    SUMMARY(Kind.NOTE, "%s"),
    INTERNAL_ERROR(Kind.ERROR,
            "cnnc internal error while processing %s: %s; please report it with this message and the class");

    private final Kind kind;
    private final String template;

    Message(Kind kind, String template) {
        this.kind = kind;
        this.template = template;
    }

    public Kind kind() {
        return kind;
    }

    public String format(Object... args) {
        return String.format(Locale.ROOT, template, args);
    }
}
