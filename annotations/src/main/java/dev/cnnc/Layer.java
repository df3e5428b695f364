package dev.cnnc;

/**
 * The type of every layer field in a {@link Network} class. The field's annotation ({@link Conv},
 * {@link Pool} or {@link Dense}) says what the layer is; the field's name names it in the summary
 * and in weight files. The field itself is never assigned: it exists only to carry the annotation,
 * in source order.
 *
 * <pre>{@code
 * @Conv(filters = 6, kernel = 5, activation = Activation.RELU) Layer conv1;
 * }</pre>
 */
public interface Layer {
}
