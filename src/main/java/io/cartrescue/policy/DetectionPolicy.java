package io.cartrescue.policy;

import java.math.BigDecimal;
import java.time.Duration;
import java.util.Map;

/**
 * Thresholds of session detection. Every signal fires at most {@code maxFiresPerSignal} times per
 * session and never after the order is placed.
 *
 * @param graceSeconds         how far behind the partition's stream time an event may be and still be
 *                             applied; older events go to the dead-letter topic as {@code late}
 * @param inactivityGapSeconds a session with no event for this long has ended (abandonment if it has a cart)
 * @param orderTailSeconds     how long a session's state is kept after its order, to absorb
 *                             confirmation-page events without starting a new session
 * @param maxFiresPerSignal    how many times one signal may fire in one session
 * @param stalledStep          stalled checkout step
 * @param paymentFailures      repeated payment failures
 * @param checkoutErrors       account or checkout errors
 * @param shippingCostShock    delivery cost seen, then a backward move or a stall
 * @param priceHesitation      coupon denied, repeated coupon tries, removals, cart and product ping-pong
 * @param productDoubt         keeps returning to a product that is in the cart
 * @param policyConcern        reads delivery or returns pages with a cart
 * @param exitIntent           exit intent with a non-empty cart
 * @param abandonment          the session ended with a cart and no order
 * @param limits               bounds of the per-session state
 */
public record DetectionPolicy(
        int graceSeconds,
        int inactivityGapSeconds,
        int orderTailSeconds,
        int maxFiresPerSignal,
        StalledStep stalledStep,
        Count paymentFailures,
        Count checkoutErrors,
        ShippingCostShock shippingCostShock,
        PriceHesitation priceHesitation,
        Count productDoubt,
        Count policyConcern,
        CartCondition exitIntent,
        CartCondition abandonment,
        Limits limits) {

    public Duration grace() {
        return Duration.ofSeconds(graceSeconds);
    }

    public Duration inactivityGap() {
        return Duration.ofSeconds(inactivityGapSeconds);
    }

    public Duration orderTail() {
        return Duration.ofSeconds(orderTailSeconds);
    }

    /**
     * A checkout step is stalled when the shopper stays on it this long without completing it.
     *
     * @param defaultSeconds seconds for steps not listed in {@code secondsByStep}
     * @param secondsByStep  seconds per step number
     */
    public record StalledStep(int defaultSeconds, Map<Integer, Integer> secondsByStep) {
        public StalledStep {
            secondsByStep = secondsByStep == null ? Map.of() : Map.copyOf(secondsByStep);
        }

        public Duration forStep(final int step) {
            return Duration.ofSeconds(secondsByStep.getOrDefault(step, defaultSeconds));
        }
    }

    /** @param threshold the count at which the signal fires */
    public record Count(int threshold) { }

    /**
     * @param minShippingCost delivery cost from which a shock is possible (a free delivery shocks nobody)
     * @param backwardMoves   removals, cart views or earlier steps after the cost was shown
     * @param stallSeconds    or: seconds on the step that showed the cost without moving on
     */
    public record ShippingCostShock(BigDecimal minShippingCost, int backwardMoves, int stallSeconds) { }

    /** Fires when any one of the counts reaches its threshold. */
    public record PriceHesitation(int couponDenials, int couponAttempts, int removals, int pingPong) { }

    /** @param minCartItems the cart must hold at least this many items */
    public record CartCondition(int minCartItems) { }

    /**
     * @param maxCartLines cart lines kept per session; beyond it the least recently touched line is dropped
     *                     (the cart value comes from the storefront's snapshot when it sends one)
     * @param dedupWindow  event ids remembered per session for duplicate detection
     */
    public record Limits(int maxCartLines, int dedupWindow) { }
}
