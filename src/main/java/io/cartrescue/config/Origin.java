package io.cartrescue.config;

import java.nio.file.Path;

/**
 * Where a setting's value came from, so that error messages and {@link AppConfig#describe()} can
 * send the operator to the right place.
 *
 * @param kind  the layer
 * @param where the file and line, or the environment variable; empty for defaults and overrides
 */
record Origin(Kind kind, String where) {
    /** The layers, lowest precedence first. */
    enum Kind { DEFAULT, FILE, ENVIRONMENT, OVERRIDE }

    static Origin builtIn() {
        return new Origin(Kind.DEFAULT, "");
    }

    static Origin file(final Path file, final int line) {
        return new Origin(Kind.FILE, file + " line " + line);
    }

    static Origin environment(final String variable) {
        return new Origin(Kind.ENVIRONMENT, variable);
    }

    static Origin override() {
        return new Origin(Kind.OVERRIDE, "");
    }

    /** Short form for a listing: {@code default}, {@code file /etc/x.properties line 3}, {@code env KAFKA_X}. */
    String label() {
        return switch (kind) {
            case DEFAULT -> "default";
            case FILE -> "file " + where;
            case ENVIRONMENT -> "env " + where;
            case OVERRIDE -> "override";
        };
    }

    /** For messages: {@code (from /etc/x.properties line 3)}. */
    String from() {
        return switch (kind) {
            case DEFAULT -> "(from the built-in default)";
            case FILE -> "(from " + where + ")";
            case ENVIRONMENT -> "(from environment variable " + where + ")";
            case OVERRIDE -> "(from an override)";
        };
    }
}
