package io.cartrescue.policy;

import java.math.BigDecimal;
import java.util.Map;
import java.util.Optional;

/**
 * The allowed range of every number in a policy, by key pattern: list positions are written
 * {@code []} and map keys {@code *}. Map keys that are numbers (checkout steps) have their own
 * ranges. A number at a key without a range is reported as an error, so a new numeric setting
 * cannot be added without its range.
 */
final class PolicyRanges {
    /**
     * @param min     smallest allowed value
     * @param max     largest allowed value
     * @param whole   whole numbers only
     * @param meaning what the number is, in a few words, for the fix
     */
    record Range(BigDecimal min, BigDecimal max, boolean whole, String meaning) {
        boolean contains(final BigDecimal value) {
            return value.compareTo(min) >= 0 && value.compareTo(max) <= 0;
        }

        String allowed() {
            return min.toPlainString() + ".." + max.toPlainString();
        }

        String fix() {
            return "use " + (whole ? "a whole number" : "a number with at most two decimals") + " from "
                    + min.toPlainString() + " to " + max.toPlainString() + ": " + meaning;
        }
    }

    private static final Map<String, Range> VALUES = Map.ofEntries(
            whole("detection.graceSeconds", 0, 3600, "seconds an event may lag behind stream time"),
            whole("detection.inactivityGapSeconds", 10, 86400, "seconds without events that end a session"),
            whole("detection.orderTailSeconds", 0, 86400, "seconds a session is kept after its order"),
            whole("detection.maxFiresPerSignal", 1, 10, "firings of one signal per session"),
            whole("detection.stalledStep.defaultSeconds", 5, 3600, "seconds on a checkout step that count as a stall"),
            whole("detection.stalledStep.secondsByStep.*", 5, 3600, "seconds on this checkout step that count as a stall"),
            whole("detection.paymentFailures.threshold", 1, 20, "payment failures that fire the signal"),
            whole("detection.checkoutErrors.threshold", 1, 20, "checkout errors that fire the signal"),
            money("detection.shippingCostShock.minShippingCost", "0", "1000.00", "smallest delivery cost that can shock"),
            whole("detection.shippingCostShock.backwardMoves", 1, 20, "backward moves after the delivery cost"),
            whole("detection.shippingCostShock.stallSeconds", 5, 3600, "seconds of stall after the delivery cost"),
            whole("detection.priceHesitation.couponDenials", 1, 50, "coupon denials that fire the signal"),
            whole("detection.priceHesitation.couponAttempts", 1, 50, "coupon attempts that fire the signal"),
            whole("detection.priceHesitation.removals", 1, 50, "removals that fire the signal"),
            whole("detection.priceHesitation.pingPong", 1, 50, "cart and product moves that fire the signal"),
            whole("detection.productDoubt.threshold", 1, 50, "returns to a product that fire the signal"),
            whole("detection.policyConcern.threshold", 1, 50, "policy page reads that fire the signal"),
            whole("detection.exitIntent.minCartItems", 1, 1000, "items the cart must hold"),
            whole("detection.abandonment.minCartItems", 1, 1000, "items the cart must hold"),
            whole("detection.limits.maxCartLines", 1, 10_000, "cart lines kept per session"),
            whole("detection.limits.dedupWindow", 1, 10_000, "event ids remembered per session"),
            whole("arbitration.holdout.percent", 0, 50, "percent of customers in the control group"),
            whole("arbitration.holds.inSessionSeconds", 0, 60, "seconds chat and on-site offers are held"),
            whole("arbitration.holds.marketingMinutes", 1, 10_080, "minutes a recovery reminder is held after abandonment"),
            whole("arbitration.frequency.minGapSeconds", 0, 86_400, "seconds between two interventions"),
            whole("arbitration.frequency.maxPerSession", 1, 20, "interventions per session"),
            whole("arbitration.dismissals.maxPerSession", 1, 20, "dismissals after which on-site offers stop"),
            whole("arbitration.discount.maxPercent", 0, 90, "largest discount in percent"),
            whole("arbitration.discount.percentByTier.*", 0, 90, "discount in percent for the tier"),
            whole("arbitration.discount.maxPerPeriod", 0, 100, "discounts per customer per period"),
            whole("arbitration.discount.periodDays", 1, 365, "days of the discount period"),
            whole("arbitration.discount.repeatAbandonerLimit", 1, 100, "abandonments after a discount that stop discounts"),
            money("arbitration.freeShipping.threshold", "0", "100000.00", "cart value from which delivery is free"),
            whole("arbitration.chat.minAvailableAgents", 1, 10_000, "free agents a chat offer needs"),
            whole("arbitration.marketing.recentOrderHours", 0, 720, "hours after an order in which no reminder is sent"),
            whole("arbitration.expiry.defaultMinutes", 1, 43_200, "minutes an offer is valid"),
            whole("arbitration.expiry.minutesByType.*", 1, 43_200, "minutes an offer of this kind is valid"),
            whole("arbitration.attribution.windowHours", 1, 720, "hours after a decision in which an order converts"),
            money("arbitration.ladders.*[].minCartValue", "0", "1000000.00", "smallest cart value for the rung"),
            money("arbitration.ladders.*[].maxCartValue", "0.01", "1000000.00", "cart value from which the rung no longer applies"));

    private static final Map<String, Range> KEYS = Map.ofEntries(
            whole("detection.stalledStep.secondsByStep", 1, 20, "checkout step number"));

    private PolicyRanges() {
    }

    static Optional<Range> ofValue(final String pattern) {
        return Optional.ofNullable(VALUES.get(pattern));
    }

    static Optional<Range> ofKey(final String mapPattern) {
        return Optional.ofNullable(KEYS.get(mapPattern));
    }

    private static Map.Entry<String, Range> whole(final String key, final long min, final long max, final String meaning) {
        return Map.entry(key, new Range(BigDecimal.valueOf(min), BigDecimal.valueOf(max), true, meaning));
    }

    private static Map.Entry<String, Range> money(final String key, final String min, final String max, final String meaning) {
        return Map.entry(key, new Range(new BigDecimal(min), new BigDecimal(max), false, meaning));
    }
}
