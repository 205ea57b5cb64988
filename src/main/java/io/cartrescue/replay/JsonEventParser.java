package io.cartrescue.replay;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import io.cartrescue.schema.EventType;
import io.cartrescue.schema.StorefrontEvent;
import java.util.Optional;

/**
 * Reads JSON lines in the plain JSON form of {@code schemas/StorefrontEvent.avsc} (see
 * {@link JsonRecords}), with the event type also accepted as a Segment or GA4 name
 * ({@link EventTypes}). Blank lines carry no event.
 */
public final class JsonEventParser implements LineParser {
    private final ObjectMapper mapper = new ObjectMapper();

    @Override
    public Optional<StorefrontEvent> parse(final String line) throws MalformedLineException {
        if (line.isBlank()) {
            return Optional.empty();
        }
        final JsonNode node;
        try {
            node = mapper.readTree(line);
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
}
