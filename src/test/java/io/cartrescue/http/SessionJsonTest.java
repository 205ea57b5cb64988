package io.cartrescue.http;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.cartrescue.detection.SessionDetector;
import io.cartrescue.policy.Policy;
import io.cartrescue.policy.PolicyLoader;
import io.cartrescue.schema.SessionState;
import io.cartrescue.schema.StorefrontEvent;
import io.cartrescue.testing.Shopper;
import org.junit.jupiter.api.Test;

class SessionJsonTest {
    private static final Policy POLICY = PolicyLoader.defaults();
    private final ObjectMapper mapper = new ObjectMapper();

    private static SessionState stateAfter(final StorefrontEvent... events) {
        final SessionDetector detector = new SessionDetector(POLICY.detection(), POLICY.version());
        SessionState state = null;
        for (final StorefrontEvent event : events) {
            state = detector.onEvent(state, event).state();
        }
        return state;
    }

    @Test
    void secondPaymentFailureShowsTheCountsTheCartAndTheFiredSignal() throws Exception {
        // Given a signed-in shopper whose payment failed twice at step 4
        final Shopper s = Shopper.session("s-json-1").signedInAs("customer-7");
        final SessionState state = stateAfter(s.added("p1", "59.90"), s.afterSeconds(10).checkoutStarted(),
                s.afterSeconds(20).stepViewed(4), s.afterSeconds(15).paymentFailed("card_declined"),
                s.afterSeconds(15).paymentFailed("insufficient_funds"));

        // When it is rendered
        final JsonNode json = mapper.readTree(new SessionJson().render(state));

        // Then the live state and the fired signal are there, in plain values
        assertThat(json.get("sessionId").asText()).isEqualTo("s-json-1");
        assertThat(json.get("customerKey").asText()).isEqualTo("customer-7");
        assertThat(json.get("eventCount").asInt()).isEqualTo(5);
        assertThat(json.get("checkoutStep").asInt()).isEqualTo(4);
        assertThat(json.get("checkoutStepSince").asText()).isEqualTo("2026-11-20T10:00:30Z");
        assertThat(json.get("startedAt").asText()).isEqualTo("2026-11-20T10:00:00Z");
        assertThat(json.get("lastEventAt").asText()).isEqualTo("2026-11-20T10:01:00Z");
        assertThat(json.get("cart").get("value").asText()).isEqualTo("59.90");
        assertThat(json.get("cart").get("currency").asText()).isEqualTo("EUR");
        assertThat(json.get("cart").get("itemCount").asInt()).isEqualTo(1);
        assertThat(json.get("cartLines").asInt()).isEqualTo(1);
        assertThat(json.get("counts").get("paymentFailures").asInt()).isEqualTo(2);
        assertThat(json.get("lastPaymentErrorCode").asText()).isEqualTo("insufficient_funds");
        assertThat(json.get("orderPlacedAt").isNull()).as("no order yet").isTrue();
        assertThat(json.get("firedSignals")).singleElement().satisfies(fired -> {
            assertThat(fired.get("signal").asText()).isEqualTo("PAYMENT_FAILURES");
            assertThat(fired.get("count").asInt()).isEqualTo(1);
            assertThat(fired.get("lastAt").asText()).isEqualTo("2026-11-20T10:01:00Z");
        });
    }

    @Test
    void showsNoIdentifierBeyondTheCustomerKeyAndNoProductOrEventIds() throws Exception {
        // Given a signed-in shopper's session with products, device, locale and time zone
        final Shopper s = Shopper.session("s-json-2").signedInAs("customer-8");
        final SessionState state = stateAfter(s.added("product-secret-1", "20.00"), s.afterSeconds(5).checkoutStarted());

        // When it is rendered
        final String rendered = new SessionJson().render(state);

        // Then only the customer key identifies the shopper, as in an intervention
        assertThat(rendered).doesNotContain("anon-s-json-2", "anonymousId", "customerId", "product-secret-1",
                "s-json-2-e1", "s-json-2-e2", "de-DE", "Europe/Berlin", "DESKTOP", "consent", "recentEventHashes",
                "lastPlace");
        assertThat(mapper.readTree(rendered).fieldNames()).toIterable().containsExactlyInAnyOrder(
                "sessionId", "customerKey", "startedAt", "lastEventAt", "eventCount", "cart", "cartLines",
                "checkoutStep", "checkoutStepSince", "shippingCost", "shippingCostSeenAt", "lastPaymentErrorCode",
                "lastCheckoutErrorKind", "orderPlacedAt", "nextDeadlineAt", "counts", "dismissedTypes", "firedSignals");
    }

    @Test
    void aSessionWithoutCartOrCheckoutHasNullsNotZeroTimes() throws Exception {
        // Given a session that only viewed a product
        final Shopper s = Shopper.session("s-json-3");
        final SessionState state = stateAfter(s.viewed("p9"));

        // When it is rendered
        final JsonNode json = mapper.readTree(new SessionJson().render(state));

        // Then what has not happened is null, not 1970
        assertThat(json.get("cart").isNull()).isTrue();
        assertThat(json.get("checkoutStep").asInt()).isZero();
        assertThat(json.get("checkoutStepSince").isNull()).isTrue();
        assertThat(json.get("shippingCost").isNull()).isTrue();
        assertThat(json.get("shippingCostSeenAt").isNull()).isTrue();
        assertThat(json.get("firedSignals")).isEmpty();
        assertThat(json.toString()).doesNotContain("1970");
    }
}
