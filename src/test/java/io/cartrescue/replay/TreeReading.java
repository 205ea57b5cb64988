package io.cartrescue.replay;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import io.cartrescue.schema.EventType;
import io.cartrescue.schema.StorefrontEvent;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * The reference the replay reader is compared with: lines read as text by a {@link BufferedReader}
 * over a replacing UTF-8 decoder, each line read into a JSON tree and from there by
 * {@link JsonRecords}. What the reader gives for a line, event or problem, must be what this gives.
 */
final class TreeReading {
    private static final ObjectMapper MAPPER = new ObjectMapper();

    private TreeReading() {
    }

    /** The lines of a file as the reference reads them. */
    static List<String> lines(final Path file) throws IOException {
        final List<String> lines = new ArrayList<>();
        try (BufferedReader reader = new BufferedReader(new InputStreamReader(Files.newInputStream(file), StandardCharsets.UTF_8
                .newDecoder().onMalformedInput(CodingErrorAction.REPLACE).onUnmappableCharacter(CodingErrorAction.REPLACE)), 1 << 16)) {
            for (String line = reader.readLine(); line != null; line = reader.readLine()) {
                lines.add(line);
            }
        }
        return lines;
    }

    /** The event on a line, by way of a JSON tree. */
    static Optional<StorefrontEvent> parse(final String line) throws MalformedLineException {
        if (line.isBlank()) {
            return Optional.empty();
        }
        final JsonNode node;
        try {
            node = MAPPER.readTree(line);
        } catch (JsonProcessingException e) {
            throw new MalformedLineException("invalid-json", "not JSON: " + e.getOriginalMessage());
        }
        if (!(node instanceof ObjectNode object)) {
            throw new MalformedLineException("invalid-type", "the line is not a JSON object");
        }
        final JsonNode type = object.get("eventType");
        if (type != null && type.isTextual()) {
            final EventType eventType = EventTypes.parse(type.asText()).orElseThrow(() -> new MalformedLineException(
                    "unknown-event-type", "eventType: '" + JsonRecords.shorten(type.asText())
                    + "' is neither a schema symbol, a Segment e-commerce name nor a GA4 e-commerce event"));
            object.set("eventType", TextNode.valueOf(eventType.name()));
        }
        return Optional.of(JsonRecords.read(object, StorefrontEvent.class));
    }

    /** What reading a line gives, comparable: the event (or none), or the problem's reason and message. */
    record Outcome(StorefrontEvent event, String reason, String message) {
        static Outcome of(final Optional<StorefrontEvent> event) {
            return new Outcome(event.orElse(null), null, null);
        }

        static Outcome of(final MalformedLineException problem) {
            return new Outcome(null, problem.reason(), problem.getMessage());
        }

        static Outcome of(final EventSource.Item item) {
            return item.problem() != null ? of(item.problem()) : new Outcome(item.event(), null, null);
        }

        @Override
        public String toString() {
            return reason == null ? Objects.toString(event) : reason + ": " + message;
        }
    }

    /** The reference's outcome for a line. */
    static Outcome outcome(final String line) {
        try {
            return Outcome.of(parse(line));
        } catch (MalformedLineException e) {
            return Outcome.of(e);
        }
    }

    /** A parser's outcome for a line given as text. */
    static Outcome outcome(final LineParser parser, final String line) {
        try {
            return Outcome.of(parser.parse(line));
        } catch (MalformedLineException e) {
            return Outcome.of(e);
        }
    }

    /** A parser's outcome for a line of printable ASCII given as bytes. */
    static Outcome outcome(final LineParser parser, final byte[] bytes) {
        try {
            return Outcome.of(parser.parse(bytes, 0, bytes.length));
        } catch (MalformedLineException e) {
            return Outcome.of(e);
        }
    }
}
