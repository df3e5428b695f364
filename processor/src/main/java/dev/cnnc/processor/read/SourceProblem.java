package dev.cnnc.processor.read;

import dev.cnnc.processor.validate.Message;
import javax.lang.model.element.AnnotationMirror;
import javax.lang.model.element.AnnotationValue;
import javax.lang.model.element.Element;

/** A problem found while reading declarations, already attached to its element, annotation and value. */
public record SourceProblem(Message message, String text, Element element, AnnotationMirror annotation,
                            AnnotationValue value) {}
