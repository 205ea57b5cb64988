package io.cartrescue.config;

import java.util.List;

/**
 * The configuration cannot be used. It lists every problem found, not just the first, so that an
 * operator fixes a deployment in one round; the message has one problem per line. Messages name
 * keys, sources and expected values, and never contain the value of a secret.
 */
public final class ConfigException extends RuntimeException {
    private static final long serialVersionUID = 1L;
    private final List<String> problems;

    ConfigException(final List<String> problems) {
        super(message(problems));
        this.problems = List.copyOf(problems);
    }

    /** Each problem, in the order found. */
    public List<String> problems() {
        return problems;
    }

    private static String message(final List<String> problems) {
        final StringBuilder message = new StringBuilder("invalid cart-rescue configuration (")
                .append(problems.size()).append(problems.size() == 1 ? " problem):" : " problems):");
        problems.forEach(problem -> message.append(System.lineSeparator()).append("  - ").append(problem));
        return message.toString();
    }
}
