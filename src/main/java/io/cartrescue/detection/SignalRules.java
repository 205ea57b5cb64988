package io.cartrescue.detection;

import static io.cartrescue.detection.SignalHit.value;

import io.cartrescue.policy.DetectionPolicy;
import io.cartrescue.schema.CartLine;
import io.cartrescue.schema.EventType;
import io.cartrescue.schema.SessionState;
import io.cartrescue.schema.SignalType;
import io.cartrescue.schema.SignalValue;
import io.cartrescue.schema.Trigger;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The hesitation signals, each a pure function of the session state, the policy and the time. A
 * signal's {@code occurrence} is 1 for its first firing in a session; a count-based signal fires for
 * the n-th time when its count reaches n times the threshold, a timer-based one when n times its
 * duration has passed. Callers make sure no signal is evaluated after the order.
 */
public final class SignalRules {
    private SignalRules() {
    }

    /** Repeated payment failures: the shopper wants to pay and cannot. */
    public static Optional<SignalHit> paymentFailures(final SessionState s, final DetectionPolicy p,
                                                      final int occurrence, final long at) {
        final int threshold = p.paymentFailures().threshold() * occurrence;
        if (s.getPaymentFailures() < threshold) {
            return Optional.empty();
        }
        final List<SignalValue> values = new ArrayList<>(List.of(
                value("paymentFailures", s.getPaymentFailures()), value("threshold", threshold)));
        if (s.getLastPaymentErrorCode() != null) {
            values.add(value("lastPaymentErrorCode", s.getLastPaymentErrorCode()));
        }
        return hit(SignalType.PAYMENT_FAILURES, at, values);
    }

    /** Account creation, address or validation errors during checkout. */
    public static Optional<SignalHit> checkoutErrors(final SessionState s, final DetectionPolicy p,
                                                     final int occurrence, final long at) {
        final int threshold = p.checkoutErrors().threshold() * occurrence;
        if (s.getCheckoutErrors() < threshold) {
            return Optional.empty();
        }
        final List<SignalValue> values = new ArrayList<>(List.of(
                value("checkoutErrors", s.getCheckoutErrors()), value("threshold", threshold)));
        if (s.getLastCheckoutErrorKind() != null) {
            values.add(value("lastCheckoutErrorKind", s.getLastCheckoutErrorKind()));
        }
        return hit(SignalType.CHECKOUT_ERRORS, at, values);
    }

    /** Delivery cost was shown, then the shopper went back: removed items, viewed the cart, an earlier step. */
    public static Optional<SignalHit> shippingCostShockByMoves(final SessionState s, final DetectionPolicy p,
                                                               final int occurrence, final long at) {
        final int threshold = p.shippingCostShock().backwardMoves() * occurrence;
        if (!shippingCostShown(s, p) || s.getActionsAfterShippingCost() < threshold) {
            return Optional.empty();
        }
        return hit(SignalType.SHIPPING_COST_SHOCK, at, List.of(
                value("shippingCost", s.getShippingCost().toPlainString()),
                value("backwardMoves", s.getActionsAfterShippingCost()),
                value("threshold", threshold)));
    }

    /** Coupon denied, repeated coupon tries, removals, or cart and product ping-pong, with items in the cart. */
    public static Optional<SignalHit> priceHesitation(final SessionState s, final DetectionPolicy p,
                                                      final int occurrence, final long at) {
        if (SessionUpdater.itemCount(s) < 1) {
            return Optional.empty();
        }
        final DetectionPolicy.PriceHesitation t = p.priceHesitation();
        final List<String> reached = new ArrayList<>();
        if (s.getCouponDenials() >= t.couponDenials() * occurrence) {
            reached.add("couponDenials");
        }
        if (s.getCouponAttempts() >= t.couponAttempts() * occurrence) {
            reached.add("couponAttempts");
        }
        if (s.getRemovals() >= t.removals() * occurrence) {
            reached.add("removals");
        }
        if (s.getPingPong() >= t.pingPong() * occurrence) {
            reached.add("pingPong");
        }
        if (reached.isEmpty()) {
            return Optional.empty();
        }
        return hit(SignalType.PRICE_HESITATION, at, List.of(
                value("couponDenials", s.getCouponDenials()),
                value("couponAttempts", s.getCouponAttempts()),
                value("removals", s.getRemovals()),
                value("pingPong", s.getPingPong()),
                value("reached", String.join(",", reached))));
    }

    /** Keeps returning to a product that is already in the cart. */
    public static Optional<SignalHit> productDoubt(final SessionState s, final DetectionPolicy p,
                                                   final int occurrence, final long at) {
        final int threshold = p.productDoubt().threshold() * occurrence;
        CartLine most = null;
        for (final CartLine line : s.getLines()) {
            if (line.getViews() >= threshold && (most == null || line.getViews() > most.getViews())) {
                most = line;
            }
        }
        if (most == null) {
            return Optional.empty();
        }
        return hit(SignalType.PRODUCT_DOUBT, at, List.of(
                value("productId", most.getProductId()), value("productViews", most.getViews()),
                value("threshold", threshold)));
    }

    /** Reads the delivery or returns policy pages with items in the cart. */
    public static Optional<SignalHit> policyConcern(final SessionState s, final DetectionPolicy p,
                                                    final int occurrence, final long at) {
        final int threshold = p.policyConcern().threshold() * occurrence;
        if (s.getPolicyPageReads() < threshold) {
            return Optional.empty();
        }
        return hit(SignalType.POLICY_CONCERN, at, List.of(
                value("policyPageReads", s.getPolicyPageReads()), value("threshold", threshold)));
    }

    /** The shopper is about to leave with a cart; only the Exit Intent event itself can fire it. */
    public static Optional<SignalHit> exitIntent(final SessionState s, final DetectionPolicy p,
                                                 final EventType eventType, final long at) {
        final int items = SessionUpdater.itemCount(s);
        if (eventType != EventType.EXIT_INTENT || items < p.exitIntent().minCartItems()) {
            return Optional.empty();
        }
        return hit(SignalType.EXIT_INTENT, at, List.of(
                value("cartItems", items), value("cartValue", s.getCart().getValue().toPlainString())));
    }

    /** Deadline of a stalled checkout step for the given occurrence, or {@link Long#MAX_VALUE} if none applies. */
    public static long stalledStepDeadline(final SessionState s, final DetectionPolicy p, final int occurrence) {
        if (s.getCheckoutStep() <= 0) {
            return Long.MAX_VALUE;
        }
        return s.getCheckoutStepSince().toEpochMilli() + p.stalledStep().forStep(s.getCheckoutStep()).toMillis() * occurrence;
    }

    /** The shopper has stayed on one checkout step past its deadline. */
    public static SignalHit stalledStep(final SessionState s, final DetectionPolicy p, final int occurrence,
                                        final long deadline) {
        return new SignalHit(SignalType.STALLED_CHECKOUT_STEP, deadline, Trigger.TIMER, List.of(
                value("checkoutStep", s.getCheckoutStep()),
                value("secondsOnStep", (deadline - s.getCheckoutStepSince().toEpochMilli()) / 1000),
                value("thresholdSeconds", p.stalledStep().forStep(s.getCheckoutStep()).toSeconds() * occurrence)));
    }

    /**
     * Deadline of a shipping-cost stall: delivery cost was shown and the shopper has not moved on from
     * that step. {@link Long#MAX_VALUE} if none applies.
     */
    public static long shippingStallDeadline(final SessionState s, final DetectionPolicy p, final int occurrence) {
        if (!shippingCostShown(s, p) || s.getCheckoutStepSince().toEpochMilli() > s.getShippingCostSeenAt().toEpochMilli()) {
            return Long.MAX_VALUE;
        }
        return s.getShippingCostSeenAt().toEpochMilli() + p.shippingCostShock().stallSeconds() * 1000L * occurrence;
    }

    /** Delivery cost was shown and the shopper stalled on it. */
    public static SignalHit shippingStall(final SessionState s, final DetectionPolicy p, final long deadline) {
        return new SignalHit(SignalType.SHIPPING_COST_SHOCK, deadline, Trigger.TIMER, List.of(
                value("shippingCost", s.getShippingCost().toPlainString()),
                value("secondsSinceShippingCost", (deadline - s.getShippingCostSeenAt().toEpochMilli()) / 1000),
                value("thresholdSeconds", p.shippingCostShock().stallSeconds())));
    }

    /** The end of the session by inactivity. */
    public static long inactivityDeadline(final SessionState s, final DetectionPolicy p) {
        return s.getLastEventAt().toEpochMilli() + p.inactivityGap().toMillis();
    }

    /** The session ended by inactivity with a cart and no order. */
    public static Optional<SignalHit> abandonment(final SessionState s, final DetectionPolicy p, final long deadline) {
        final int items = SessionUpdater.itemCount(s);
        if (s.getOrderPlacedAt().toEpochMilli() > 0 || items < p.abandonment().minCartItems()) {
            return Optional.empty();
        }
        return Optional.of(new SignalHit(SignalType.ABANDONMENT, deadline, Trigger.TIMER, List.of(
                value("cartItems", items),
                value("cartValue", s.getCart().getValue().toPlainString()),
                value("inactiveSeconds", p.inactivityGapSeconds()),
                value("checkoutStep", s.getCheckoutStep()))));
    }

    private static boolean shippingCostShown(final SessionState s, final DetectionPolicy p) {
        return s.getShippingCostSeenAt().toEpochMilli() > 0 && s.getShippingCost() != null
                && s.getShippingCost().compareTo(p.shippingCostShock().minShippingCost()) >= 0;
    }

    private static Optional<SignalHit> hit(final SignalType signal, final long at, final List<SignalValue> values) {
        return Optional.of(new SignalHit(signal, at, Trigger.EVENT, values));
    }
}
