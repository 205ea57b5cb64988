package io.cartrescue.replay;

import io.cartrescue.schema.StorefrontEvent;
import java.nio.charset.StandardCharsets;
import java.util.Optional;

/** Reads one line of an input file as a storefront event. */
public interface LineParser {
    /**
     * The event on the line, or empty for a line that carries none (a header, a blank line).
     *
     * @throws MalformedLineException when the line cannot be read as an event
     */
    Optional<StorefrontEvent> parse(String line) throws MalformedLineException;

    /**
     * The same for a line of printable ASCII and tabs only, given as its bytes
     * {@code bytes[offset, offset + length)}, which are not kept. By default read as text.
     */
    default Optional<StorefrontEvent> parse(final byte[] bytes, final int offset, final int length) throws MalformedLineException {
        return parse(new String(bytes, offset, length, StandardCharsets.ISO_8859_1));
    }
}
