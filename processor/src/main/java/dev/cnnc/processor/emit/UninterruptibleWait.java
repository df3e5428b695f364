package dev.cnnc.processor.emit;

import com.palantir.javapoet.CodeBlock;

/**
 * A generated wait that an interrupt does not cut short (the generated code must not return before
 * what it waits for has happened), with the interrupt kept for the caller.
 */
final class UninterruptibleWait {
    private UninterruptibleWait() {}

    /** {@code while (condition) waitStatement;}, retried after an interrupt, then the interrupt set again. */
    static CodeBlock loop(String condition, String waitStatement) {
        return CodeBlock.builder()
                .addStatement("boolean interrupted = false")
                .beginControlFlow("while ($L)", condition)
                .beginControlFlow("try")
                .addStatement(waitStatement)
                .nextControlFlow("catch ($T e)", InterruptedException.class)
                .addStatement("interrupted = true")
                .endControlFlow()
                .endControlFlow()
                .beginControlFlow("if (interrupted)")
                .addStatement("Thread.currentThread().interrupt()")
                .endControlFlow()
                .build();
    }
}
