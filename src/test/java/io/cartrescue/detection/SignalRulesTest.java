package io.cartrescue.detection;

import static org.assertj.core.api.Assertions.assertThat;

import io.cartrescue.policy.DetectionPolicy;
import io.cartrescue.policy.PolicyLoader;
import io.cartrescue.schema.CartLine;
import io.cartrescue.schema.CartSnapshot;
import io.cartrescue.schema.EventType;
import io.cartrescue.schema.SessionState;
import io.cartrescue.schema.SignalType;
import io.cartrescue.schema.SignalValue;
import io.cartrescue.schema.Trigger;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class SignalRulesTest {
    private static final DetectionPolicy P = PolicyLoader.defaults().detection();
    private static final long T = Instant.parse("2026-11-20T10:00:00Z").toEpochMilli();

    private static SessionState state() {
        return SessionState.newBuilder()
                .setSessionId("s").setAnonymousId("a")
                .setStartedAt(Instant.ofEpochMilli(T)).setLastEventAt(Instant.ofEpochMilli(T))
                .setLines(new ArrayList<>()).setFired(new ArrayList<>())
                .setDismissedTypes(new ArrayList<>()).setRecentEventHashes(new ArrayList<>())
                .build();
    }

    private static SessionState withCart(final int items) {
        final SessionState s = state();
        s.setCart(new CartSnapshot(new BigDecimal("42.00"), "EUR", items));
        return s;
    }

    private static String valueOf(final SignalHit hit, final String name) {
        return hit.values().stream().filter(v -> v.getName().equals(name)).map(SignalValue::getValue).findFirst().orElseThrow();
    }

    @Test
    void paymentFailuresFireExactlyAtTheThreshold() {
        final SessionState s = state();
        s.setPaymentFailures(P.paymentFailures().threshold() - 1);
        assertThat(SignalRules.paymentFailures(s, P, 1, T)).isEmpty();

        s.setPaymentFailures(P.paymentFailures().threshold());
        s.setLastPaymentErrorCode("card_declined");
        final SignalHit hit = SignalRules.paymentFailures(s, P, 1, T).orElseThrow();

        assertThat(hit.signal()).isEqualTo(SignalType.PAYMENT_FAILURES);
        assertThat(hit.trigger()).isEqualTo(Trigger.EVENT);
        assertThat(valueOf(hit, "paymentFailures")).isEqualTo("2");
        assertThat(valueOf(hit, "lastPaymentErrorCode")).isEqualTo("card_declined");
        assertThat(hit.values()).extracting(SignalValue::getName).isSorted();
    }

    @Test
    void secondOccurrenceNeedsTwiceTheThreshold() {
        final SessionState s = state();
        s.setPaymentFailures(2 * P.paymentFailures().threshold() - 1);
        assertThat(SignalRules.paymentFailures(s, P, 2, T)).isEmpty();
        s.setPaymentFailures(2 * P.paymentFailures().threshold());
        assertThat(SignalRules.paymentFailures(s, P, 2, T)).isPresent();
    }

    @Test
    void checkoutErrorsFireAtTheThreshold() {
        final SessionState s = state();
        assertThat(SignalRules.checkoutErrors(s, P, 1, T)).isEmpty();
        s.setCheckoutErrors(P.checkoutErrors().threshold());
        s.setLastCheckoutErrorKind("ACCOUNT_CREATION_FAILED");
        assertThat(SignalRules.checkoutErrors(s, P, 1, T).map(h -> valueOf(h, "lastCheckoutErrorKind")))
                .contains("ACCOUNT_CREATION_FAILED");
    }

    @Test
    void shippingShockNeedsACostAboveTheMinimumAndABackwardMove() {
        final SessionState s = withCart(2);
        s.setShippingCostSeenAt(Instant.ofEpochMilli(T));
        s.setActionsAfterShippingCost(1);
        s.setShippingCost(new BigDecimal("0.00"));
        assertThat(SignalRules.shippingCostShockByMoves(s, P, 1, T)).as("free delivery shocks nobody").isEmpty();

        s.setShippingCost(new BigDecimal("6.95"));
        s.setActionsAfterShippingCost(P.shippingCostShock().backwardMoves() - 1);
        assertThat(SignalRules.shippingCostShockByMoves(s, P, 1, T)).isEmpty();

        s.setActionsAfterShippingCost(P.shippingCostShock().backwardMoves());
        assertThat(SignalRules.shippingCostShockByMoves(s, P, 1, T).map(h -> valueOf(h, "shippingCost"))).contains("6.95");
    }

    @Test
    void shippingStallDeadlineIsWhenTheCostWasShownPlusTheStallAndOnlyWhileOnThatStep() {
        final SessionState s = withCart(1);
        s.setShippingCost(new BigDecimal("4.95"));
        s.setCheckoutStep(3);
        s.setCheckoutStepSince(Instant.ofEpochMilli(T));
        s.setShippingCostSeenAt(Instant.ofEpochMilli(T));
        assertThat(SignalRules.shippingStallDeadline(s, P, 1)).isEqualTo(T + P.shippingCostShock().stallSeconds() * 1000L);

        s.setCheckoutStep(4);
        s.setCheckoutStepSince(Instant.ofEpochMilli(T + 5_000));
        assertThat(SignalRules.shippingStallDeadline(s, P, 1)).as("moved on to the next step").isEqualTo(Long.MAX_VALUE);
    }

    @Test
    void priceHesitationFiresOnAnyOfItsCountsButOnlyWithACart() {
        final SessionState empty = state();
        empty.setCouponDenials(5);
        assertThat(SignalRules.priceHesitation(empty, P, 1, T)).as("no cart").isEmpty();

        final SessionState s = withCart(1);
        s.setRemovals(P.priceHesitation().removals() - 1);
        assertThat(SignalRules.priceHesitation(s, P, 1, T)).isEmpty();
        s.setRemovals(P.priceHesitation().removals());
        assertThat(SignalRules.priceHesitation(s, P, 1, T).map(h -> valueOf(h, "reached"))).contains("removals");

        final SessionState coupons = withCart(1);
        coupons.setCouponDenials(P.priceHesitation().couponDenials());
        coupons.setPingPong(P.priceHesitation().pingPong());
        assertThat(SignalRules.priceHesitation(coupons, P, 1, T).map(h -> valueOf(h, "reached")))
                .contains("couponDenials,pingPong");
    }

    @Test
    void productDoubtNamesTheMostViewedProductInTheCart() {
        final SessionState s = withCart(2);
        s.getLines().add(new CartLine("p1", 1, null, P.productDoubt().threshold() - 1));
        assertThat(SignalRules.productDoubt(s, P, 1, T)).isEmpty();
        s.getLines().add(new CartLine("p2", 1, null, P.productDoubt().threshold() + 1));
        final SignalHit hit = SignalRules.productDoubt(s, P, 1, T).orElseThrow();
        assertThat(valueOf(hit, "productId")).isEqualTo("p2");
        assertThat(valueOf(hit, "productViews")).isEqualTo(String.valueOf(P.productDoubt().threshold() + 1));
    }

    @Test
    void policyConcernFiresAtTheThreshold() {
        final SessionState s = withCart(1);
        s.setPolicyPageReads(P.policyConcern().threshold() - 1);
        assertThat(SignalRules.policyConcern(s, P, 1, T)).isEmpty();
        s.setPolicyPageReads(P.policyConcern().threshold());
        assertThat(SignalRules.policyConcern(s, P, 1, T)).isPresent();
    }

    @Test
    void exitIntentNeedsTheExitEventAndACart() {
        assertThat(SignalRules.exitIntent(state(), P, EventType.EXIT_INTENT, T)).as("empty cart").isEmpty();
        assertThat(SignalRules.exitIntent(withCart(1), P, EventType.PAGE_PING, T)).as("not an exit").isEmpty();
        assertThat(SignalRules.exitIntent(withCart(1), P, EventType.EXIT_INTENT, T).map(h -> valueOf(h, "cartItems")))
                .contains("1");
    }

    @Test
    void stalledStepDeadlineUsesThePerStepThreshold() {
        final SessionState s = state();
        assertThat(SignalRules.stalledStepDeadline(s, P, 1)).as("not in checkout").isEqualTo(Long.MAX_VALUE);
        s.setCheckoutStep(4);
        s.setCheckoutStepSince(Instant.ofEpochMilli(T));
        assertThat(SignalRules.stalledStepDeadline(s, P, 1)).isEqualTo(T + P.stalledStep().forStep(4).toMillis());
        s.setCheckoutStep(2);
        assertThat(SignalRules.stalledStepDeadline(s, P, 1)).isEqualTo(T + P.stalledStep().defaultSeconds() * 1000L);
        final SignalHit hit = SignalRules.stalledStep(s, P, 1, T + P.stalledStep().defaultSeconds() * 1000L);
        assertThat(hit.trigger()).isEqualTo(Trigger.TIMER);
        assertThat(valueOf(hit, "checkoutStep")).isEqualTo("2");
    }

    @Test
    void abandonmentNeedsACartAndNoOrder() {
        final long deadline = SignalRules.inactivityDeadline(withCart(1), P);
        assertThat(deadline).isEqualTo(T + P.inactivityGap().toMillis());
        assertThat(SignalRules.abandonment(state(), P, deadline)).isEmpty();
        assertThat(SignalRules.abandonment(withCart(1), P, deadline)).isPresent();
        final SessionState ordered = withCart(1);
        ordered.setOrderPlacedAt(Instant.ofEpochMilli(T));
        assertThat(SignalRules.abandonment(ordered, P, deadline)).isEmpty();
        assertThat(List.of(SignalRules.abandonment(withCart(1), P, deadline).orElseThrow().detectedAt())).containsExactly(deadline);
    }
}
