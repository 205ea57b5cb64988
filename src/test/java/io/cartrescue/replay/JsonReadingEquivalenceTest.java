package io.cartrescue.replay;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.cartrescue.schema.StorefrontEvent;
import io.cartrescue.simulator.StorefrontSimulator;
import java.io.BufferedWriter;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.AbstractMap.SimpleEntry;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The replay reader gives, line for line, what the reference gives ({@link TreeReading}: lines
 * read as text, each read into a JSON tree): the same event, or the same problem with the same
 * reason and message. Over simulated events, the lines the replay tests write, and hostile lines.
 */
class JsonReadingEquivalenceTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    /** An event with every field, in the schema's order. */
    private static final String FULL = "{\"eventId\":\"e1\",\"eventType\":\"PRODUCT_ADDED\",\"eventTime\":\"2026-03-02T10:00:00.123Z\","
            + "\"sessionId\":\"s1\",\"anonymousId\":\"a1\",\"customerId\":\"c1\",\"page\":{\"url\":\"/p/1\",\"pageType\":\"PRODUCT\"},"
            + "\"product\":{\"productId\":\"p1\",\"name\":\"Mug\",\"category\":\"home.kitchen\",\"brand\":\"Acme\",\"price\":12.5,\"quantity\":2},"
            + "\"cart\":{\"value\":25.00,\"currency\":\"EUR\",\"itemCount\":2},"
            + "\"checkout\":{\"step\":1,\"stepName\":\"address\",\"shippingCost\":\"4.90\",\"shippingMethod\":\"standard\",\"paymentMethod\":\"card\"},"
            + "\"error\":{\"kind\":\"PAYMENT_DECLINED\",\"code\":\"card_declined\"},\"coupon\":{\"code\":\"SAVE10\",\"reason\":null},"
            + "\"order\":{\"orderId\":\"o1\",\"total\":29.90,\"currency\":\"EUR\"},"
            + "\"device\":{\"type\":\"MOBILE\",\"locale\":\"de-DE\",\"timeZone\":\"Europe/Berlin\"},"
            + "\"consent\":{\"marketingEmail\":true,\"marketingSms\":false,\"personalisation\":true},\"interventionId\":\"i1\"}";
    /** Values put in place of each value of {@link #FULL}, as JSON text. */
    private static final List<String> VALUES = List.of("null", "0", "-0", "1", "-1", "2", "1.5", "-0.0", "0.005", "0.015", "19.999",
            "0.125000000000000001", "0.0050000000000000001", "12.345000000000000001", "2.675", "1.0E-7", "99999999999999.995",
            "1E2", "1e-2", "1e400", "-1e400", "4.9e-324", "2147483647", "2147483648", "-2147483649", "9223372036854775807",
            "9223372036854775808", "123456789012345678901234567890", "99999999999999.99", "999999999999.99", "1000000000000.0",
            "0.1234567890123456789", "1772445600000", "1772445600000.0", "true", "false", "{}", "[]", "[1,2]", "{\"x\":1}",
            "{\"url\":\"/\"}", "{\"productId\":\"p\"}", "{\"value\":1,\"currency\":\"EUR\",\"itemCount\":1}", "\"\"", "\" \"",
            "\"text\"", "\"true\"", "\"FALSE\"", "\"12\"", "\" 12 \"", "\"12.5\"", "\"1e2\"", "\"NaN\"", "\"Infinity\"", "\"-0\"",
            "\"2026-03-02T10:00:00Z\"", "\"2026-03-02T10:00:00.250Z\"", "\"2026-03-02T11:00:00+01:00\"", "\"2026-03-02T10:00:00.123456Z\"",
            "\"2026-03-02T10:00Z\"", "\"2026-03-02 10:00:00Z\"", "\"2026-02-30T10:00:00Z\"", "\"2026-03-02T24:00:00Z\"",
            "\"2026-03-02T10:00:60Z\"", "\"+12026-03-02T10:00:00Z\"", "\"2026-03-02T10:00:00z\"", "\" 2026-03-02T10:00:00Z \"",
            "\"1772445600000\"", "\" 1772445600000\"", "\"123456789012345\"", "\"1234567890123456\"", "\"-1\"", "\"0\"",
            "\"PAGE_VIEWED\"", "\"Product Added\"", "\"product added\"", "\" add_to_cart \"", "\"begin-checkout\"", "\"purchase\"",
            "\"PURCHASE\"", "\"Teleported\"", "\"UNKNOWN\"", "\"HOME\"", "\"home\"", "\"MOBILE\"", "\"TOASTER\"", "\"OTHER\"",
            "\"a\\u0041\\n\\\"\"", "\"\\uD83D\\uDE00\"", "\"\\q\"", "NaN", "007", "+1", ".5", "0x10", "'x'", "nul", "tru", "\"unterminated",
            "{\"x\":}", "[1,", "{\"x\":1,}");

    @TempDir
    Path dir;

    private final JsonEventParser parser = new JsonEventParser();

    @Test
    void simulatedEventsReadTheSame() throws IOException {
        // Given: 100,000 simulated events, as the replay's speed is measured with
        final Path file = dir.resolve("events.jsonl");
        final StorefrontSimulator simulator = StorefrontSimulator.builder(1).start(Instant.parse("2026-01-05T09:00:00Z")).build();
        final List<StorefrontEvent> written = new ArrayList<>();
        try (BufferedWriter writer = Files.newBufferedWriter(file, StandardCharsets.UTF_8)) {
            for (int i = 0; i < 100_000; i++) {
                final StorefrontEvent event = simulator.next();
                written.add(event);
                writer.write(ReplayFiles.jsonLine(event));
                writer.write('\n');
            }
        }

        // Then
        final List<TreeReading.Outcome> read = sameAsReference(file);
        assertThat(read).extracting(TreeReading.Outcome::event).isEqualTo(written);
    }

    @Test
    void linesOfTheReplayTestsReadTheSame() throws IOException {
        final ReplayInput input = new ReplayInput()
                .paymentTrouble("s-1", "c-1", 0, 2)
                .line("{\"eventId\":\"x\",\"eventType\":\"PAGE_PING\"")
                .line("")
                .event("s-2", "c-2", 100, "Teleported", "")
                .event("s-3", "c-3", 200, "Page Viewed", "")
                .event("s-3", "c-3", 100, "Page Viewed", "")
                .event("s-4", "c-4", 5, "Coupon Denied", "\"coupon\":{\"code\":\"X\",\"reason\":\"expired\"}")
                .event("s-4", "c-4", 6, "Order Completed", "\"order\":{\"orderId\":\"o\",\"total\":12.3,\"currency\":\"EUR\"}")
                .event("s-5", "c-5", 7, "Exit Intent", "\"page\":{\"url\":\"/help/shipping\",\"pageType\":\"SHIPPING_POLICY\"}");
        sameAsReference(Files.writeString(dir.resolve("replay.jsonl"), input.text()));
    }

    @Test
    void everyValueInEveryPlaceReadsTheSame() throws IOException {
        // Given: the full event with each member replaced, removed, repeated or moved
        final List<Map.Entry<String, Object>> full = members(JSON.readTree(FULL));
        final List<String> lines = new ArrayList<>();
        lines.add(render(full));
        for (final List<Integer> path : paths(full, new ArrayList<>())) {
            for (final String value : VALUES) {
                lines.add(render(replaced(full, path, 0, value)));
                lines.add(render(repeated(full, path, 0, value, false)));
                lines.add(render(repeated(full, path, 0, value, true)));
            }
            lines.add(render(replaced(full, path, 0, null)));
        }
        lines.add(render(reversed(full)));
        final List<Map.Entry<String, Object>> minimal = members(JSON.readTree(
                "{\"eventId\":\"e1\",\"eventType\":\"PAGE_PING\",\"eventTime\":0,\"sessionId\":\"s1\",\"anonymousId\":\"a1\"}"));
        for (final List<Integer> path : paths(minimal, new ArrayList<>())) {
            for (final String value : VALUES) {
                lines.add(render(replaced(minimal, path, 0, value)));
            }
            lines.add(render(replaced(minimal, path, 0, null)));
        }

        // Then
        lines.forEach(this::assertSame);
        sameAsReference(Files.write(dir.resolve("values.jsonl"), lines));
    }

    @Test
    void hostileLinesReadTheSame() throws IOException {
        final String ids = "\"eventId\":\"e1\",\"sessionId\":\"s1\",\"anonymousId\":\"a1\"";
        final String minimal = "{" + ids + ",\"eventType\":\"PAGE_PING\",\"eventTime\":0";
        final List<String> lines = new ArrayList<>(List.of("", " ", "\t", " \t ", "\u000B", "\u001C", "\u2003", "{", "}", "[", "[]", "[1,2]",
                "null", "0", "\"text\"", "true", "nul", "{}", "{ }", "{\"a\":1}", "{'eventId':'e1'}", "{\"eventId\":}", "{eventId:\"e1\"}",
                minimal + "}", minimal + "} ", minimal + "}\t", minimal + "}}", minimal + "} garbage", minimal + "}{\"x\":1}",
                minimal + "}]", minimal + "},", minimal + "} // comment", minimal + "}/* c */", "/* c */" + minimal + "}",
                "# c", minimal + ",}", minimal + ",\"x\":1}", minimal + ",\"x\":[1,{\"y\":[null,true,\"z\"]}]}",
                minimal + ",\"x\":{\"eventId\":5,\"page\":7}}", minimal + ",\"x\":\"\\q\"}", minimal + ",\"x\":\"a\tb\"}",
                minimal + ",\"x\":NaN}", minimal + ",\"x\":007}", minimal + ",\"x\":1e999999}", minimal + ",\"x\":" + "9".repeat(1001) + "}",
                minimal + ",\"x\":" + "9".repeat(999) + "}", minimal + ",\"x\":\"" + "y".repeat(100_000) + "\"}",
                minimal + ",\"x\":" + "[".repeat(1200) + "]".repeat(1200) + "}", minimal + ",\"x\":" + "[".repeat(900) + "]".repeat(900) + "}",
                minimal + ",\"" + "n".repeat(60_000) + "\":1}", minimal + ",\"\":1}", minimal + ",\"eventId\":\"e2\"}",
                minimal + ",\"eventType\":\"Teleported\"}", minimal + ",\"eventType\":null}", minimal + ",\"eventType\":5}",
                "{\"eventType\":\"Teleported\"," + ids + ",\"eventTime\":\"yesterday\"}", "{\"eventType\":\"Teleported\"}",
                "{\"eventType\":\"Teleported\",\"eventTime\":0", "{" + ids + ",\"eventType\":\"" + "Z".repeat(200) + "\",\"eventTime\":0}",
                "{" + ids + ",\"eventType\":\"PAGE_PING\",\"eventTime\":\"" + "9".repeat(200) + "\"}",
                "{" + ids + ",\"eventType\":\"PAGE_PING\",\"eventTime\":0,\"product\":{\"productId\":\"p\",\"price\":\"" + "1".repeat(200) + "\"}}",
                "{" + ids + ",\"eventType\":\"PAGE_PING\",\"eventTime\":0,\"device\":{\"type\":\"" + "T".repeat(200) + "\"}}",
                "{\"eventId\":\"e1\",\"anonymousId\":\"a1\",\"eventType\":\"PAGE_PING\",\"eventTime\":0}",
                "{\"eventId\":\"e1\",\"anonymousId\":\"a1\",\"eventType\":\"PAGE_PING\",\"eventTime\":\"bad\",\"sessionId\":7}",
                "{" + ids + ",\"eventType\":\"PAGE_PING\",\"eventTime\":0,\"page\":{\"pageType\":\"HOME\"}}",
                "{" + ids + ",\"eventType\":\"PAGE_PING\",\"eventTime\":0,\"page\":{\"url\":\"/\",\"url\":\"/x\"}}",
                "{" + ids + ",\"eventType\":\"PAGE_PING\",\"eventTime\":0,\"page\":{\"url\":\"/\",\"pageType\":null}}",
                "{" + ids + ",\"eventType\":\"PAGE_PING\",\"eventTime\":0,\"product\":{\"productId\":\"p\",\"quantity\":null}}",
                "{" + ids + ",\"eventType\":\"PAGE_PING\",\"eventTime\":0,\"product\":{\"productId\":\"p\",\"quantity\":3,\"quantity\":null}}",
                "{" + ids + ",\"eventType\":\"PAGE_PING\",\"eventTime\":0,\"product\":{\"productId\":\"p\",\"quantity\":null,\"quantity\":3}}",
                "{" + ids + ",\"eventType\":\"PAGE_PING\",\"eventTime\":0,\"cart\":{\"value\":1,\"currency\":\"EUR\"}}",
                "{" + ids + ",\"eventType\":\"PAGE_PING\",\"eventTime\":0,\"order\":{\"orderId\":\"o\",\"currency\":\"EUR\"}}",
                "{" + ids + ",\"eventType\":\"PAGE_PING\",\"eventTime\":0,\"consent\":{}}",
                "{" + ids + ",\"eventType\":\"PAGE_PING\",\"eventTime\":0,\"consent\":{\"marketingEmail\":\"TRUE\"}}",
                "{" + ids + ",\"eventType\":\"PAGE_PING\",\"eventTime\":0,\"device\":{}}",
                "{" + ids + ",\"eventType\":\"PAGE_PING\",\"eventTime\":0,\"device\":{\"type\":null,\"locale\":5}}",
                "{" + ids + ",\"eventType\":\"Page Viewed\",\"eventTime\":\"2026-03-02T10:00:00Z\",\"customerId\":\"Müller\"}",
                "{" + ids + ",\"eventType\":\"Page Viewed\",\"eventTime\":\"2026-03-02T10:00:00Z\",\"x\":\"é\"}",
                "{" + ids + ",\"eventType\":\"Page Viewed\",\"eventTime\":\"2026-03-02T10:00:00Z\",\"customerId\":\"\uFFFD\"}",
                "\uFEFF" + minimal + "}", "\u0000" + minimal + "}", minimal + "}\u0000", "\u0000{\u0000\"\u0000a\u0000\"\u0000:\u00001\u0000}",
                "{" + ids + ",\"eventType\":\"PAGE_PING\",\"eventTime\":0,\"customerId\":\"a\u007Fb\"}"));
        final String full = FULL;
        for (int i = 0; i < full.length(); i++) {
            lines.add(full.substring(0, i));
            lines.add(full.substring(0, i) + "}");
            lines.add(full.substring(i));
        }
        final Random random = new Random(11);
        for (int i = 0; i < 5_000; i++) {
            final char[] chars = full.toCharArray();
            for (int n = random.nextInt(3); n >= 0; n--) {
                chars[random.nextInt(chars.length)] = "{}[]:,\"\\ 0123456789.eE+-abcnulltrufs\t"
                        .charAt(random.nextInt(37));
            }
            lines.add(new String(chars));
        }
        lines.forEach(this::assertSame);
    }

    @Test
    void invalidUtf8AndLineEndsReadTheSame() throws IOException {
        // Given: lines with bytes that are not UTF-8, and every kind of line end
        final String good = "{\"eventId\":\"e1\",\"eventType\":\"PAGE_PING\",\"eventTime\":0,\"sessionId\":\"s1\",\"anonymousId\":\"a1\",\"customerId\":\"";
        final byte[][] parts = {good.getBytes(StandardCharsets.US_ASCII), {(byte) 0xC3}, {(byte) 0xE2, (byte) 0x82}, {(byte) 0xFF},
                {(byte) 0xC0, (byte) 0x80}, {(byte) 0xED, (byte) 0xA0, (byte) 0x80}, {(byte) 0xF0, (byte) 0x9F, (byte) 0x98, (byte) 0x80},
                "\"}".getBytes(StandardCharsets.US_ASCII), {'\n'}, {'\r'}, {'\r', '\n'}, {'\n', '\r'}, {(byte) 0xEF, (byte) 0xBB, (byte) 0xBF}};
        final Random random = new Random(5);
        final java.io.ByteArrayOutputStream bytes = new java.io.ByteArrayOutputStream();
        for (int i = 0; i < 3_000; i++) {
            bytes.writeBytes(parts[0]);
            for (int n = random.nextInt(3); n > 0; n--) {
                bytes.writeBytes(parts[1 + random.nextInt(6)]);
            }
            bytes.writeBytes(parts[7]);
            bytes.writeBytes(parts[8 + random.nextInt(random.nextInt(20) == 0 ? 5 : 4)]);
        }

        // Then
        sameAsReference(Files.write(dir.resolve("bytes.jsonl"), bytes.toByteArray()));
    }

    /** Reads a file with the replay's reader and with the reference, line by line; the outcomes. */
    private List<TreeReading.Outcome> sameAsReference(final Path file) throws IOException {
        final List<String> lines = TreeReading.lines(file);
        final List<TreeReading.Outcome> read = new ArrayList<>();
        try (FileEvents events = new FileEvents(file, new JsonEventParser())) {
            for (EventSource.Item item = events.next(); item != null; item = events.next()) {
                assertThat(item.position()).isEqualTo(read.size() + 1);
                read.add(TreeReading.Outcome.of(item));
            }
            assertThat(events.progress()).isEqualTo(Files.size(file));
        }
        assertThat(read).hasSameSizeAs(lines);
        for (int i = 0; i < lines.size(); i++) {
            assertThat(read.get(i)).as("line %d: %s", i + 1, lines.get(i)).isEqualTo(TreeReading.outcome(lines.get(i)));
        }
        return read;
    }

    private void assertSame(final String line) {
        final TreeReading.Outcome expected = TreeReading.outcome(line);
        assertThat(TreeReading.outcome(parser, line)).as(line).isEqualTo(expected);
        if (line.chars().allMatch(c -> c == '\t' || c >= 0x20 && c < 0x80)) {
            assertThat(TreeReading.outcome(parser, line.getBytes(StandardCharsets.US_ASCII))).as(line).isEqualTo(expected);
        }
    }

    /** An object's members, values as JSON text or as members of a nested object. */
    private static List<Map.Entry<String, Object>> members(final JsonNode object) {
        final List<Map.Entry<String, Object>> members = new ArrayList<>();
        for (final Iterator<Map.Entry<String, JsonNode>> i = object.fields(); i.hasNext(); ) {
            final Map.Entry<String, JsonNode> member = i.next();
            members.add(new SimpleEntry<>(member.getKey(),
                    member.getValue().isObject() ? members(member.getValue()) : member.getValue().toString()));
        }
        return members;
    }

    /** The places of every member, as indices from the top. */
    @SuppressWarnings("unchecked")
    private static List<List<Integer>> paths(final List<Map.Entry<String, Object>> members, final List<Integer> at) {
        final List<List<Integer>> paths = new ArrayList<>();
        for (int i = 0; i < members.size(); i++) {
            final List<Integer> path = new ArrayList<>(at);
            path.add(i);
            paths.add(path);
            if (members.get(i).getValue() instanceof List<?> nested) {
                paths.addAll(paths((List<Map.Entry<String, Object>>) nested, path));
            }
        }
        return paths;
    }

    /** The members with the one at {@code path} given {@code value} (JSON text), or removed for null. */
    @SuppressWarnings("unchecked")
    private static List<Map.Entry<String, Object>> replaced(final List<Map.Entry<String, Object>> members, final List<Integer> path,
                                                            final int depth, final String value) {
        final List<Map.Entry<String, Object>> copy = new ArrayList<>(members);
        final int i = path.get(depth);
        final Map.Entry<String, Object> member = members.get(i);
        if (depth < path.size() - 1) {
            copy.set(i, new SimpleEntry<>(member.getKey(), replaced((List<Map.Entry<String, Object>>) member.getValue(), path, depth + 1, value)));
        } else if (value == null) {
            copy.remove(i);
        } else {
            copy.set(i, new SimpleEntry<>(member.getKey(), value));
        }
        return copy;
    }

    /** The members with the one at {@code path} repeated with {@code value}, after or before it. */
    @SuppressWarnings("unchecked")
    private static List<Map.Entry<String, Object>> repeated(final List<Map.Entry<String, Object>> members, final List<Integer> path,
                                                            final int depth, final String value, final boolean before) {
        final List<Map.Entry<String, Object>> copy = new ArrayList<>(members);
        final int i = path.get(depth);
        final Map.Entry<String, Object> member = members.get(i);
        if (depth < path.size() - 1) {
            copy.set(i, new SimpleEntry<>(member.getKey(),
                    repeated((List<Map.Entry<String, Object>>) member.getValue(), path, depth + 1, value, before)));
        } else {
            copy.add(before ? i : i + 1, new SimpleEntry<>(member.getKey(), value));
        }
        return copy;
    }

    @SuppressWarnings("unchecked")
    private static List<Map.Entry<String, Object>> reversed(final List<Map.Entry<String, Object>> members) {
        final List<Map.Entry<String, Object>> copy = new ArrayList<>();
        for (final Map.Entry<String, Object> member : members) {
            copy.add(0, member.getValue() instanceof List<?> nested
                    ? new SimpleEntry<>(member.getKey(), reversed((List<Map.Entry<String, Object>>) nested)) : member);
        }
        return copy;
    }

    @SuppressWarnings("unchecked")
    private static String render(final List<Map.Entry<String, Object>> members) {
        final StringBuilder json = new StringBuilder("{");
        for (final Map.Entry<String, Object> member : members) {
            if (json.length() > 1) {
                json.append(',');
            }
            json.append('"').append(member.getKey()).append("\":");
            json.append(member.getValue() instanceof List<?> nested ? render((List<Map.Entry<String, Object>>) nested) : member.getValue());
        }
        return json.append('}').toString();
    }
}
