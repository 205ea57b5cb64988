package io.cartrescue.replay;

/**
 * An input line that cannot be read as an event: a stable reason code (such as {@code invalid-json},
 * {@code missing-field}, {@code invalid-time}) and a sentence naming the value. The replay reports it
 * with its line number, counts it and goes on, or stops with {@code --strict}.
 */
public final class MalformedLineException extends Exception {
    private static final long serialVersionUID = 1L;
    private final String reason;

    public MalformedLineException(final String reason, final String detail) {
        super(detail, null, false, false);
        this.reason = reason;
    }

    /** The reason code. */
    public String reason() {
        return reason;
    }
}
