package io.cartrescue.replay;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.cartrescue.schema.EventType;
import io.cartrescue.schema.PageType;
import io.cartrescue.schema.StorefrontEvent;
import java.math.BigDecimal;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class JsonEventParserTest {
    private static final String IDS = "\"eventId\":\"e1\",\"sessionId\":\"s1\",\"anonymousId\":\"a1\"";
    private final JsonEventParser parser = new JsonEventParser();

    private StorefrontEvent parse(final String json) throws MalformedLineException {
        return parser.parse(json).orElseThrow();
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "PRODUCT_ADDED | PRODUCT_ADDED",
            "Product Added | PRODUCT_ADDED",
            "product added | PRODUCT_ADDED",
            "add_to_cart | PRODUCT_ADDED",
            "begin_checkout | CHECKOUT_STARTED",
            "purchase | ORDER_COMPLETED",
            "Checkout Step Viewed | CHECKOUT_STEP_VIEWED",
            "add_payment_info | PAYMENT_INFO_ENTERED",
            "view_item | PRODUCT_VIEWED"})
    void eventTypeIsReadAsSymbolSegmentNameOrGa4Alias(final String written, final EventType expected) throws Exception {
        // When
        final StorefrontEvent event = parse("{" + IDS + ",\"eventType\":\"" + written + "\",\"eventTime\":0}");

        // Then
        assertThat(event.getEventType()).isEqualTo(expected);
    }

    @Test
    void missingOptionalFieldsTakeTheirSchemaDefaults() throws Exception {
        // When
        final StorefrontEvent event = parse("{" + IDS + ",\"eventType\":\"Page Viewed\",\"eventTime\":\"2026-03-02T10:00:00Z\","
                + "\"page\":{\"url\":\"/help/returns\"},\"product\":{\"productId\":\"p1\"}}");

        // Then
        assertThat(event.getCustomerId()).isNull();
        assertThat(event.getCart()).isNull();
        assertThat(event.getPage().getPageType()).isEqualTo(PageType.OTHER);
        assertThat(event.getProduct().getQuantity()).isEqualTo(1);
        assertThat(event.getProduct().getPrice()).isNull();
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "\"2026-03-02T10:00:00Z\" | 2026-03-02T10:00:00Z",
            "\"2026-03-02T11:00:00+01:00\" | 2026-03-02T10:00:00Z",
            "\"2026-03-02T10:00:00.250Z\" | 2026-03-02T10:00:00.250Z",
            "1772445600000 | 2026-03-02T10:00:00Z",
            "\"1772445600000\" | 2026-03-02T10:00:00Z"})
    void eventTimeIsIsoWithOffsetOrEpochMillis(final String written, final Instant expected) throws Exception {
        // When
        final StorefrontEvent event = parse("{" + IDS + ",\"eventType\":\"PAGE_PING\",\"eventTime\":" + written + "}");

        // Then
        assertThat(event.getEventTime()).isEqualTo(expected);
    }

    @Test
    void moneyIsANumberOrAStringWithTwoDecimals() throws Exception {
        // When
        final StorefrontEvent asNumber = parse("{" + IDS + ",\"eventType\":\"Product Added\",\"eventTime\":0,"
                + "\"product\":{\"productId\":\"p1\",\"price\":19.9},\"cart\":{\"value\":\"39.80\",\"currency\":\"EUR\",\"itemCount\":2}}");

        // Then
        assertThat(asNumber.getProduct().getPrice()).isEqualTo(new BigDecimal("19.90"));
        assertThat(asNumber.getCart().getValue()).isEqualTo(new BigDecimal("39.80"));
    }

    @Test
    void blankLineCarriesNoEvent() throws Exception {
        assertThat(parser.parse("   ")).isEmpty();
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "{not json | invalid-json",
            "[1,2] | invalid-type",
            "{\"eventId\":\"e1\",\"sessionId\":\"s1\",\"anonymousId\":\"a1\",\"eventType\":\"PAGE_PING\"} | missing-field",
            "{\"eventId\":\"e1\",\"sessionId\":\"s1\",\"anonymousId\":\"a1\",\"eventType\":\"Teleported\",\"eventTime\":0} | unknown-event-type",
            "{\"eventId\":\"e1\",\"sessionId\":\"s1\",\"anonymousId\":\"a1\",\"eventType\":\"PAGE_PING\",\"eventTime\":\"yesterday\"} | invalid-time",
            "{\"eventId\":\"e1\",\"sessionId\":\"s1\",\"anonymousId\":\"a1\",\"eventType\":\"PAGE_PING\",\"eventTime\":\"2026-02-30T10:00:00Z\"} | invalid-time",
            "{\"eventId\":\"e1\",\"sessionId\":\"s1\",\"anonymousId\":\"a1\",\"eventType\":\"PAGE_PING\",\"eventTime\":\"2026-03-02T24:00:00Z\"} | invalid-time",
            "{\"eventId\":\"e1\",\"sessionId\":\"s1\",\"anonymousId\":\"a1\",\"eventType\":\"PAGE_PING\",\"eventTime\":0,\"product\":{\"productId\":\"p\",\"price\":\"cheap\"}} | invalid-amount",
            "{\"eventId\":\"e1\",\"sessionId\":\"s1\",\"anonymousId\":\"a1\",\"eventType\":\"PAGE_PING\",\"eventTime\":0,\"device\":{\"type\":\"TOASTER\"}} | invalid-enum"})
    void malformedLineIsRejectedWithItsReason(final String line, final String reason) {
        assertThatThrownBy(() -> parser.parse(line))
                .isInstanceOfSatisfying(MalformedLineException.class, e -> assertThat(e.reason()).isEqualTo(reason));
    }

    @Test
    void missingRequiredFieldIsNamedInTheDetail() {
        assertThatThrownBy(() -> parser.parse("{\"eventId\":\"e1\",\"anonymousId\":\"a1\",\"eventType\":\"PAGE_PING\",\"eventTime\":0}"))
                .isInstanceOf(MalformedLineException.class).hasMessage("sessionId is required");
    }
}
