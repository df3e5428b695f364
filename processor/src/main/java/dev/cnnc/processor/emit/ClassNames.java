package dev.cnnc.processor.emit;

import com.palantir.javapoet.ClassName;

/** Types the generated code names. */
final class ClassNames {
    static final ClassName THREAD_LOCAL = ClassName.get(ThreadLocal.class);
    static final ClassName TRAINABLE_MODEL = ClassName.get("dev.cnnc.runtime", "TrainableModel");
    static final ClassName WORKSPACE = ClassName.get("dev.cnnc.runtime", "Workspace");
    static final ClassName PARAMETER_TENSOR = ClassName.get("dev.cnnc.runtime", "ParameterTensor");
    static final ClassName GRADIENT_ARGUMENTS = ClassName.get("dev.cnnc.runtime", "GradientArguments");

    private ClassNames() {}
}
