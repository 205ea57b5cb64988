package io.cartrescue.arbitration;

import static io.cartrescue.arbitration.Rejection.value;

import io.cartrescue.policy.ArbitrationPolicy;
import io.cartrescue.policy.ArbitrationPolicy.ConsentRequirement;
import io.cartrescue.policy.ArbitrationPolicy.Rung;
import io.cartrescue.schema.Candidate;
import io.cartrescue.schema.Channel;
import io.cartrescue.schema.ChatCapacity;
import io.cartrescue.schema.InterventionType;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.Instant;
import java.util.HashSet;
import java.util.Optional;
import java.util.Set;

/**
 * The rung-level guardrails: whether one rung of a ladder may be offered to this shopper now. A
 * rejected rung makes arbitration try the next one.
 */
final class RungChecks {
    private final ArbitrationPolicy policy;

    RungChecks(final ArbitrationPolicy policy) {
        this.policy = policy;
    }

    Optional<Rejection> check(final Rung rung, final Candidate candidate, final Shopper shopper,
                              final LedgerView ledger, final ChatCapacities capacities) {
        return eligibility(rung, shopper)
                .or(() -> consent(rung, shopper))
                .or(() -> recentOrder(rung, candidate, ledger))
                .or(() -> dismissalLimit(rung, candidate, ledger))
                .or(() -> alreadySent(rung, ledger))
                .or(() -> dismissed(rung, candidate, ledger))
                .or(() -> discountLimits(rung, candidate.getDetectedAt(), ledger))
                .or(() -> chatCapacity(rung, shopper, capacities));
    }

    private Optional<Rejection> eligibility(final Rung rung, final Shopper shopper) {
        final BigDecimal cart = shopper.cartValue();
        if (rung.minCartValue() != null && (cart == null || cart.compareTo(rung.minCartValue()) < 0)) {
            return Optional.of(Rejection.of(Guardrail.NOT_ELIGIBLE, rung.type() + " needs a cart of at least "
                    + text(rung.minCartValue()) + " but it is " + text(cart),
                    value("cartValue", text(cart)), value("minCartValue", text(rung.minCartValue()))));
        }
        if (rung.maxCartValue() != null && cart != null && cart.compareTo(rung.maxCartValue()) >= 0) {
            return Optional.of(Rejection.of(Guardrail.NOT_ELIGIBLE, rung.type() + " is for carts below "
                    + text(rung.maxCartValue()) + " but it is " + text(cart),
                    value("cartValue", text(cart)), value("maxCartValue", text(rung.maxCartValue()))));
        }
        if (!rung.tiers().isEmpty() && !rung.tiers().contains(shopper.tier())) {
            return Optional.of(Rejection.of(Guardrail.NOT_ELIGIBLE, rung.type() + " is for tiers " + rung.tiers()
                    + " but the customer is " + shopper.tier(), value("tier", shopper.tier())));
        }
        if (!rung.devices().isEmpty() && !rung.devices().contains(shopper.deviceType())) {
            return Optional.of(Rejection.of(Guardrail.NOT_ELIGIBLE, rung.type() + " is for devices " + rung.devices()
                    + " but the shopper is on " + shopper.deviceType(), value("device", shopper.deviceType())));
        }
        return Optional.empty();
    }

    private Optional<Rejection> consent(final Rung rung, final Shopper shopper) {
        final boolean marketing = rung.channel() == Channel.MARKETING || rung.consent() == ConsentRequirement.MARKETING;
        if (marketing && !shopper.hasMarketingConsent()) {
            return Optional.of(Rejection.of(Guardrail.NO_CONSENT, rung.type() + " needs marketing consent by email or SMS,"
                    + " which the customer has not given", value("marketingEmail", false), value("marketingSms", false)));
        }
        if (rung.consent() == ConsentRequirement.PERSONALISATION && !shopper.consent().getPersonalisation()) {
            return Optional.of(Rejection.of(Guardrail.NO_CONSENT, rung.type()
                    + " needs personalisation consent, which the customer has not given", value("personalisation", false)));
        }
        return Optional.empty();
    }

    private Optional<Rejection> recentOrder(final Rung rung, final Candidate candidate, final LedgerView ledger) {
        if (rung.channel() != Channel.MARKETING) {
            return Optional.empty();
        }
        final Instant since = candidate.getDetectedAt().minus(policy.marketing().recentOrder());
        return ledger.orderSince(since).map(order -> Rejection.of(Guardrail.ORDER_PLACED,
                "the customer placed an order at " + order.getAt() + " in session " + order.getSessionId()
                        + ", within " + policy.marketing().recentOrderHours() + " h of the abandonment",
                value("orderAt", order.getAt()), value("orderSessionId", order.getSessionId()),
                value("recentOrderHours", policy.marketing().recentOrderHours())));
    }

    private Optional<Rejection> alreadySent(final Rung rung, final LedgerView ledger) {
        if (!ledger.sentInSession(rung.type())) {
            return Optional.empty();
        }
        return Optional.of(Rejection.of(Guardrail.ALREADY_SENT_TYPE,
                "a " + rung.type() + " was already made in this session", value("alreadySent", rung.type())));
    }

    private Optional<Rejection> dismissed(final Rung rung, final Candidate candidate, final LedgerView ledger) {
        final Set<InterventionType> dismissed = new HashSet<>(candidate.getDismissedTypes());
        dismissed.addAll(ledger.dismissedTypesInSession());
        if (!dismissed.contains(rung.type())) {
            return Optional.empty();
        }
        return Optional.of(Rejection.of(Guardrail.DISMISSED,
                "the shopper dismissed a " + rung.type() + " in this session", value("dismissedType", rung.type())));
    }

    private Optional<Rejection> dismissalLimit(final Rung rung, final Candidate candidate, final LedgerView ledger) {
        final int dismissals = Math.max(candidate.getDismissals(), ledger.dismissalsInSession());
        final int limit = policy.dismissals().maxPerSession();
        if (!LedgerView.isInSession(rung.channel()) || dismissals < limit) {
            return Optional.empty();
        }
        return Optional.of(Rejection.of(Guardrail.DISMISSAL_LIMIT, "the shopper dismissed " + dismissals
                        + " offer(s) in this session, and after " + limit + " no more " + rung.channel() + " offers are made",
                value("sessionDismissals", dismissals), value("maxDismissals", limit)));
    }

    private Optional<Rejection> discountLimits(final Rung rung, final Instant at, final LedgerView ledger) {
        if (rung.type() != InterventionType.DISCOUNT) {
            return Optional.empty();
        }
        final ArbitrationPolicy.Discount discount = policy.discount();
        final Instant since = at.minus(discount.period());
        final long abandonments = ledger.discountAbandonmentsSince(since);
        if (abandonments >= discount.repeatAbandonerLimit()) {
            return Optional.of(Rejection.of(Guardrail.REPEAT_ABANDONER, "the customer abandoned " + abandonments
                    + " session(s) after a discount offer in the last " + discount.periodDays() + " days (limit "
                    + discount.repeatAbandonerLimit() + ")", value("discountAbandonments", abandonments),
                    value("repeatAbandonerLimit", discount.repeatAbandonerLimit()), value("periodDays", discount.periodDays())));
        }
        final long discounts = ledger.discountsSince(since);
        if (discounts >= discount.maxPerPeriod()) {
            return Optional.of(Rejection.of(Guardrail.DISCOUNT_CAP, "the customer already had " + discounts
                    + " discount(s) in the last " + discount.periodDays() + " days (limit " + discount.maxPerPeriod() + ")",
                    value("discountsInPeriod", discounts), value("maxPerPeriod", discount.maxPerPeriod()),
                    value("periodDays", discount.periodDays())));
        }
        return Optional.empty();
    }

    private Optional<Rejection> chatCapacity(final Rung rung, final Shopper shopper, final ChatCapacities capacities) {
        if (rung.channel() != Channel.CHAT) {
            return Optional.empty();
        }
        final String queue = ChatQueues.queueFor(shopper.locale(), policy.chat());
        final int agents = capacities.of(queue).map(ChatCapacity::getAvailableAgents).orElse(0);
        final int needed = policy.chat().minAvailableAgents();
        if (agents >= needed) {
            return Optional.empty();
        }
        return Optional.of(Rejection.of(Guardrail.CHAT_CAPACITY, "chat queue " + queue + " has " + agents
                        + " free agent(s), fewer than the " + needed + " needed",
                value("queue", queue), value("availableAgents", agents), value("minAvailableAgents", needed)));
    }

    private static String text(final BigDecimal value) {
        return value == null ? "unknown" : value.setScale(2, RoundingMode.HALF_UP).toPlainString();
    }
}
