package io.cartrescue.replay;

import io.cartrescue.schema.EventType;
import io.cartrescue.schema.Order;
import io.cartrescue.schema.Product;
import io.cartrescue.schema.StorefrontEvent;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * Reads CSV exports in the layout of the public REES46 e-commerce behaviour data set:
 * {@code event_time, event_type, product_id, category_id, category_code, brand, price, user_id,
 * user_session}, with or without the header line (a header may order the columns differently).
 *
 * <p>Mapping: {@code view} → Product Viewed, {@code cart} → Product Added, {@code remove_from_cart}
 * → Product Removed, {@code purchase} → Order Completed (one order per purchase row, whose total is
 * the row's price). {@code user_session} is the session, {@code user_id} both the anonymous and the
 * customer id (it is stable across sessions), the product carries its id, category (the code, or the
 * id when there is no code), brand and price. The data set has no event ids: each row's id is a hash
 * of the row, so a row repeated within a session is dropped as a duplicate. It does not name its
 * currency; amounts get the currency given to the parser.
 */
public final class Rees46Parser implements LineParser {
    /** The columns, in the data set's own order. */
    static final List<String> COLUMNS = List.of("event_time", "event_type", "product_id", "category_id",
            "category_code", "brand", "price", "user_id", "user_session");
    private static final Map<String, EventType> TYPES = Map.of(
            "view", EventType.PRODUCT_VIEWED,
            "cart", EventType.PRODUCT_ADDED,
            "remove_from_cart", EventType.PRODUCT_REMOVED,
            "purchase", EventType.ORDER_COMPLETED);
    private static final DateTimeFormatter UTC_TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss", Locale.ROOT);

    private final String currency;
    private int[] index = defaultIndex();
    private boolean first = true;

    /** A parser that labels amounts with {@code currency} (ISO-4217). */
    public Rees46Parser(final String currency) {
        this.currency = currency;
    }

    @Override
    public Optional<StorefrontEvent> parse(final String line) throws MalformedLineException {
        if (line.isBlank()) {
            return Optional.empty();
        }
        final List<String> cells = split(line);
        if (first) {
            first = false;
            if (cells.contains("event_type")) {
                index = headerIndex(cells);
                return Optional.empty();
            }
        }
        if (cells.size() < COLUMNS.size()) {
            throw new MalformedLineException("invalid-csv", "expected " + COLUMNS.size() + " columns, found " + cells.size());
        }
        return Optional.of(event(cells, line));
    }

    private StorefrontEvent event(final List<String> cells, final String line) throws MalformedLineException {
        final String typeName = cell(cells, 1);
        final EventType type = TYPES.get(typeName);
        if (type == null) {
            throw new MalformedLineException("unknown-event-type", "event_type: '" + JsonRecords.shorten(typeName)
                    + "' is not one of " + TYPES.keySet().stream().sorted().toList());
        }
        final Instant time = time(cell(cells, 0));
        final String session = cell(cells, 8);
        final String user = cell(cells, 7);
        final BigDecimal price = cell(cells, 6).isEmpty() ? null : JsonRecords.amount(cell(cells, 6), "price");
        final String category = cell(cells, 4).isEmpty() ? cell(cells, 3) : cell(cells, 4);
        final StorefrontEvent.Builder event = StorefrontEvent.newBuilder()
                .setEventId("rees46-" + hash(line))
                .setEventType(type)
                .setEventTime(time)
                .setSessionId(session)
                .setAnonymousId(user)
                .setCustomerId(user.isEmpty() ? null : user)
                .setProduct(Product.newBuilder()
                        .setProductId(cell(cells, 2))
                        .setCategory(category.isEmpty() ? null : category)
                        .setBrand(cell(cells, 5).isEmpty() ? null : cell(cells, 5))
                        .setPrice(price)
                        .build());
        if (type == EventType.ORDER_COMPLETED) {
            event.setOrder(new Order(session + "@" + time.toEpochMilli(), price == null ? BigDecimal.ZERO.setScale(2) : price, currency));
        }
        return event.build();
    }

    private static Instant time(final String text) throws MalformedLineException {
        final String t = text.trim();
        if (t.endsWith(" UTC")) {
            try {
                return LocalDateTime.parse(t.substring(0, t.length() - 4), UTC_TIME).toInstant(ZoneOffset.UTC);
            } catch (DateTimeParseException e) {
                throw new MalformedLineException("invalid-time", "event_time: '" + JsonRecords.shorten(t)
                        + "' is not 'yyyy-MM-dd HH:mm:ss UTC'");
            }
        }
        return JsonRecords.instant(t, "event_time");
    }

    private String cell(final List<String> cells, final int column) {
        final int i = index[column];
        return i < cells.size() ? cells.get(i).trim() : "";
    }

    private static int[] defaultIndex() {
        final int[] index = new int[COLUMNS.size()];
        for (int i = 0; i < index.length; i++) {
            index[i] = i;
        }
        return index;
    }

    private static int[] headerIndex(final List<String> header) throws MalformedLineException {
        final int[] index = new int[COLUMNS.size()];
        for (int i = 0; i < index.length; i++) {
            index[i] = header.indexOf(COLUMNS.get(i));
            if (index[i] < 0) {
                throw new MalformedLineException("invalid-header", "the header has no column " + COLUMNS.get(i)
                        + " (expected " + String.join(",", COLUMNS) + ")");
            }
        }
        return index;
    }

    /** Splits a CSV line; a cell may be quoted, with "" for a quote inside. */
    static List<String> split(final String line) {
        final List<String> cells = new ArrayList<>(COLUMNS.size());
        final StringBuilder cell = new StringBuilder();
        boolean quoted = false;
        for (int i = 0; i < line.length(); i++) {
            final char c = line.charAt(i);
            if (quoted) {
                if (c == '"' && i + 1 < line.length() && line.charAt(i + 1) == '"') {
                    cell.append('"');
                    i++;
                } else if (c == '"') {
                    quoted = false;
                } else {
                    cell.append(c);
                }
            } else if (c == '"') {
                quoted = true;
            } else if (c == ',') {
                cells.add(cell.toString());
                cell.setLength(0);
            } else {
                cell.append(c);
            }
        }
        cells.add(cell.toString());
        return cells;
    }

    /** FNV-1a, 64 bits, of the line's UTF-8 bytes: a stable id for a row that has none. */
    static String hash(final String line) {
        long h = 0xcbf29ce484222325L;
        for (final byte b : line.getBytes(StandardCharsets.UTF_8)) {
            h ^= b & 0xff;
            h *= 0x100000001b3L;
        }
        return HexFormat.of().toHexDigits(h);
    }
}
