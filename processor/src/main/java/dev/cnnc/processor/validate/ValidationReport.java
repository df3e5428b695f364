package dev.cnnc.processor.validate;

import dev.cnnc.processor.model.NetworkModel;
import java.util.List;
import java.util.Optional;

/** What the validator found: the model when there was no error, and every diagnostic in source order. */
public record ValidationReport(Optional<NetworkModel> network, List<Diagnostic> diagnostics) {

    public ValidationReport {
        diagnostics = List.copyOf(diagnostics);
    }

    public boolean hasErrors() {
        return diagnostics.stream().anyMatch(Diagnostic::isError);
    }
}
