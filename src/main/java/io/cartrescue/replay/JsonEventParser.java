package io.cartrescue.replay;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.util.JsonRecyclerPools;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import io.cartrescue.schema.EventType;
import io.cartrescue.schema.StorefrontEvent;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;

/**
 * Reads JSON lines in the plain JSON form of {@code schemas/StorefrontEvent.avsc} (see
 * {@link JsonRecords}), with the event type also accepted as a Segment or GA4 name
 * ({@link EventTypes}). Blank lines carry no event.
 *
 * <p>A line is first read straight from the parser's tokens ({@link JsonRecordReader}), which
 * handles lines as writers produce them; any other line is read into a JSON tree and from there by
 * {@link JsonRecords}, which also says what is wrong with a line that cannot be read. Both read the
 * same event from a line that both can read.
 */
public final class JsonEventParser implements LineParser {
    private static final Map<String, Function<String, Object>> EVENT_TYPE = Map.of("eventType",
            name -> EventTypes.parse(name).orElse(null));

    private final ObjectMapper mapper = new ObjectMapper();
    /** The fast path's parsers: their buffers are kept for the next line by this parser's own pool. */
    private final JsonFactory factory = JsonFactory.builder().recyclerPool(JsonRecyclerPools.newBoundedPool(4)).build();
    private final JsonRecordReader reader = new JsonRecordReader(StorefrontEvent.getClassSchema(), EVENT_TYPE);

    @Override
    public Optional<StorefrontEvent> parse(final String line) throws MalformedLineException {
        if (line.isBlank()) {
            return Optional.empty();
        }
        try (JsonParser parser = factory.createParser(line)) {
            return Optional.of((StorefrontEvent) reader.read(parser));
        } catch (IOException | JsonRecordReader.NotPlain e) {
            return Optional.of(tree(line));
        }
    }

    @Override
    public Optional<StorefrontEvent> parse(final byte[] bytes, final int offset, final int length) throws MalformedLineException {
        if (blank(bytes, offset, length)) {
            return Optional.empty();
        }
        try (JsonParser parser = factory.createParser(bytes, offset, length)) {
            return Optional.of((StorefrontEvent) reader.read(parser));
        } catch (IOException | JsonRecordReader.NotPlain e) {
            return Optional.of(tree(new String(bytes, offset, length, StandardCharsets.ISO_8859_1)));
        }
    }

    /** Whether a line of printable ASCII and tabs is blank, as {@link String#isBlank()} has it. */
    private static boolean blank(final byte[] bytes, final int offset, final int length) {
        for (int i = offset; i < offset + length; i++) {
            if (bytes[i] != ' ' && bytes[i] != '\t') {
                return false;
            }
        }
        return true;
    }

    /** The event of a line that is not blank, read by way of a JSON tree. */
    private StorefrontEvent tree(final String line) throws MalformedLineException {
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
        return JsonRecords.read(object, StorefrontEvent.class);
    }
}
