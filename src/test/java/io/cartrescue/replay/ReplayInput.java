package io.cartrescue.replay;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/** Builds a small JSON-lines input, one shopper at a time, in the plain JSON form the replay reads. */
final class ReplayInput {
    static final Instant T0 = Instant.parse("2026-03-02T10:00:00Z");

    private final List<String> lines = new ArrayList<>();
    private int ids;

    /** One event of {@code session} (customer {@code customer}) at T0 + {@code seconds}, with extra JSON members. */
    ReplayInput event(final String session, final String customer, final int seconds, final String type, final String extra) {
        lines.add("{\"eventId\":\"e" + ++ids + "\",\"eventType\":\"" + type + "\",\"eventTime\":\"" + T0.plusSeconds(seconds)
                + "\",\"sessionId\":\"" + session + "\",\"anonymousId\":\"anon-" + customer + "\",\"customerId\":\"" + customer + "\""
                + (extra.isEmpty() ? "" : "," + extra) + "}");
        return this;
    }

    /** A shopper who adds a 40.00 EUR product, starts checkout and has {@code failures} payment failures. */
    ReplayInput paymentTrouble(final String session, final String customer, final int start, final int failures) {
        event(session, customer, start, "Product Added", "\"product\":{\"productId\":\"p1\",\"price\":40},"
                + "\"cart\":{\"value\":40,\"currency\":\"EUR\",\"itemCount\":1}");
        event(session, customer, start + 10, "begin_checkout", "\"checkout\":{\"step\":1}");
        for (int i = 0; i < failures; i++) {
            event(session, customer, start + 20 + 10 * i, "Payment Failed", "\"error\":{\"kind\":\"PAYMENT_DECLINED\",\"code\":\"card_declined\"}");
        }
        return this;
    }

    /** A raw line, as is. */
    ReplayInput line(final String line) {
        lines.add(line);
        return this;
    }

    String text() {
        return String.join("\n", lines) + "\n";
    }
}
