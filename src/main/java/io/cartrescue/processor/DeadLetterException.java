package io.cartrescue.processor;

import java.util.Objects;

/**
 * Thrown by a processor for an input record it cannot use. The application's processing exception
 * handler sends the record's original bytes to the dead-letter topic with {@link #reason()} and the
 * source topic, partition and offset in headers, counts it, and processing continues.
 * Processors throw it before changing any state, so the record is skipped as a whole.
 */
public final class DeadLetterException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    private final String reason;

    /**
     * @param reason a short, stable reason code used in headers and metrics, e.g. {@code late}
     * @param detail a sentence for the operator, naming the values involved
     */
    public DeadLetterException(final String reason, final String detail) {
        super(reason + ": " + detail, null, false, false);
        this.reason = Objects.requireNonNull(reason, "reason");
    }

    public String reason() {
        return reason;
    }
}
