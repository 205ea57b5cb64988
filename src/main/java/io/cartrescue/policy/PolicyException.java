package io.cartrescue.policy;

import java.util.List;
import java.util.stream.Collectors;

/** A policy that cannot be used, with every problem found in it (not just the first). */
public final class PolicyException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    private final transient List<PolicyError> errors;

    public PolicyException(final String source, final List<PolicyError> errors) {
        super(message(source, errors));
        this.errors = List.copyOf(errors);
    }

    public List<PolicyError> errors() {
        return errors;
    }

    private static String message(final String source, final List<PolicyError> errors) {
        return "policy " + source + " has " + errors.size() + (errors.size() == 1 ? " error" : " errors") + ":\n"
                + errors.stream().map(e -> "  " + e).collect(Collectors.joining("\n"));
    }
}
