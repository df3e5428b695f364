package dev.cnnc.processor.emit;

/**
 * Index arithmetic written the way a person would: {@code oy} rather than {@code oy * 1},
 * {@code p[row]} rather than {@code p[0 + row]}. Only cosmetic: the JIT folds either form.
 */
final class Terms {
    private Terms() {}

    /** {@code name * factor}, or just {@code name} when the factor is 1. */
    static String times(String name, int factor) {
        return factor == 1 ? name : name + " * " + factor;
    }

    /** {@code " + value"}, {@code " - value"}, or nothing for 0. */
    static String plus(int value) {
        if (value == 0) {
            return "";
        }
        return value > 0 ? " + " + value : " - " + (-value);
    }

    /** {@code value + rest}, or just {@code rest} for 0. */
    static String offset(int value, String rest) {
        return value == 0 ? rest : value + " + " + rest;
    }
}
