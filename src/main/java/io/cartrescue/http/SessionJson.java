package io.cartrescue.http;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.cartrescue.schema.CartSnapshot;
import io.cartrescue.schema.FiredSignal;
import io.cartrescue.schema.InterventionType;
import io.cartrescue.schema.SessionState;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.time.Instant;

/**
 * The JSON an operator or a support agent gets for {@code GET /sessions/{id}}: what session
 * detection knows about a live session and which signals fired. It shows no more personal data than
 * an intervention carries: the customer key, the cart's total (not its products), counts, the last
 * error codes. It leaves out the anonymous id, the customer id (the key carries it for signed-in
 * shoppers), product ids and prices, event-id hashes, device, locale, time zone and consent.
 * Times are ISO-8601 UTC; a time that has not happened is null; money is a decimal string.
 */
public final class SessionJson {
    private final ObjectMapper mapper = new ObjectMapper();

    /** The session as a JSON object. */
    public String render(final SessionState state) {
        final ObjectNode root = mapper.createObjectNode();
        root.put("sessionId", state.getSessionId());
        root.put("customerKey", state.getCustomerKey());
        root.put("startedAt", time(state.getStartedAt()));
        root.put("lastEventAt", time(state.getLastEventAt()));
        root.put("eventCount", state.getEventCount());
        cart(root, state.getCart());
        root.put("cartLines", state.getLines().size());
        root.put("checkoutStep", state.getCheckoutStep());
        root.put("checkoutStepSince", state.getCheckoutStep() == 0 ? null : time(state.getCheckoutStepSince()));
        root.put("shippingCost", money(state.getShippingCost()));
        root.put("shippingCostSeenAt", time(state.getShippingCostSeenAt()));
        root.put("lastPaymentErrorCode", state.getLastPaymentErrorCode());
        root.put("lastCheckoutErrorKind", state.getLastCheckoutErrorKind());
        root.put("orderPlacedAt", time(state.getOrderPlacedAt()));
        root.put("nextDeadlineAt", time(state.getDueAt()));
        counts(root.putObject("counts"), state);
        final ArrayNode dismissed = root.putArray("dismissedTypes");
        for (final InterventionType type : state.getDismissedTypes()) {
            dismissed.add(type.name());
        }
        final ArrayNode fired = root.putArray("firedSignals");
        for (final FiredSignal signal : state.getFired()) {
            fired.addObject()
                    .put("signal", signal.getSignal().name())
                    .put("count", signal.getCount())
                    .put("lastAt", time(signal.getLastAt()));
        }
        return write(root);
    }

    private static void counts(final ObjectNode counts, final SessionState state) {
        counts.put("paymentFailures", state.getPaymentFailures());
        counts.put("checkoutErrors", state.getCheckoutErrors());
        counts.put("couponAttempts", state.getCouponAttempts());
        counts.put("couponDenials", state.getCouponDenials());
        counts.put("removals", state.getRemovals());
        counts.put("pingPong", state.getPingPong());
        counts.put("policyPageReads", state.getPolicyPageReads());
        counts.put("exitIntents", state.getExitIntents());
        counts.put("actionsAfterShippingCost", state.getActionsAfterShippingCost());
        counts.put("dismissals", state.getDismissals());
    }

    private static void cart(final ObjectNode root, final CartSnapshot cart) {
        if (cart == null) {
            root.putNull("cart");
            return;
        }
        root.putObject("cart")
                .put("value", money(cart.getValue()))
                .put("currency", cart.getCurrency())
                .put("itemCount", cart.getItemCount());
    }

    private static String time(final Instant instant) {
        return instant == null || instant.toEpochMilli() == 0 ? null : instant.toString();
    }

    private static String money(final BigDecimal amount) {
        return amount == null ? null : amount.toPlainString();
    }

    private String write(final ObjectNode root) {
        try {
            return mapper.writeValueAsString(root);
        } catch (final JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
    }
}
