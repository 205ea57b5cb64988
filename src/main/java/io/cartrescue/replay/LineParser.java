package io.cartrescue.replay;

import io.cartrescue.schema.StorefrontEvent;
import java.util.Optional;

/** Reads one line of an input file as a storefront event. */
public interface LineParser {
    /**
     * The event on the line, or empty for a line that carries none (a header, a blank line).
     *
     * @throws MalformedLineException when the line cannot be read as an event
     */
    Optional<StorefrontEvent> parse(String line) throws MalformedLineException;
}
