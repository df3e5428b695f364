package dev.cnnc.processor.read;

import javax.lang.model.element.AnnotationMirror;
import javax.lang.model.element.VariableElement;

/** Where a layer was declared: its field and the layer annotation on it, for pinning messages. */
public record LayerSource(VariableElement field, AnnotationMirror annotation) {}
