package dev.cnnc.processor.read;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import javax.lang.model.element.AnnotationMirror;
import javax.lang.model.element.AnnotationValue;
import javax.lang.model.element.ExecutableElement;
import javax.lang.model.element.VariableElement;
import javax.lang.model.util.Elements;

/** Reads attribute values of one annotation mirror, defaults included, without loading its class. */
final class AnnotationValues {
    private final AnnotationMirror mirror;
    private final Map<? extends ExecutableElement, ? extends AnnotationValue> withDefaults;
    private final List<String> unresolved = new ArrayList<>();

    AnnotationValues(Elements elements, AnnotationMirror mirror) {
        this.mirror = mirror;
        this.withDefaults = elements.getElementValuesWithDefaults(mirror);
    }

    int intValue(String name) {
        Object value = raw(name);
        if (value instanceof Number number) {
            return number.intValue();
        }
        unresolved(name, value);
        return 0;
    }

    long longValue(String name) {
        Object value = raw(name);
        if (value instanceof Number number) {
            return number.longValue();
        }
        unresolved(name, value);
        return 0;
    }

    <E extends Enum<E>> E enumValue(String name, Class<E> type, E fallback) {
        Object value = raw(name);
        if (value instanceof VariableElement constant) {
            try {
                return Enum.valueOf(type, constant.getSimpleName().toString());
            } catch (IllegalArgumentException unknown) {
                return fallback;
            }
        }
        unresolved(name, value);
        return fallback;
    }

    /**
     * Attributes whose value javac could not resolve (it hands over {@code "<error>"} instead of a
     * number or an enum constant), e.g. a constant from a class another processor has yet to generate.
     */
    List<String> unresolved() {
        return unresolved;
    }

    private void unresolved(String name, Object value) {
        if (value != null) {
            unresolved.add(name);
        }
    }

    /** The value written in source, for underlining it; null when the attribute takes its default. */
    AnnotationValue explicit(String name) {
        for (Map.Entry<? extends ExecutableElement, ? extends AnnotationValue> entry
                : mirror.getElementValues().entrySet()) {
            if (entry.getKey().getSimpleName().contentEquals(name)) {
                return entry.getValue();
            }
        }
        return null;
    }

    private Object raw(String name) {
        for (Map.Entry<? extends ExecutableElement, ? extends AnnotationValue> entry : withDefaults.entrySet()) {
            if (entry.getKey().getSimpleName().contentEquals(name)) {
                return entry.getValue().getValue();
            }
        }
        return null;
    }

    /** Static helper for the reporter: the explicit value of {@code name} on {@code mirror}, or null. */
    static AnnotationValue explicitValue(AnnotationMirror mirror, String name) {
        if (name == null) {
            return null;
        }
        for (Map.Entry<? extends ExecutableElement, ? extends AnnotationValue> entry
                : mirror.getElementValues().entrySet()) {
            if (entry.getKey().getSimpleName().contentEquals(name)) {
                return entry.getValue();
            }
        }
        return null;
    }
}
