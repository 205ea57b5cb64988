package io.cartrescue.arbitration;

import io.cartrescue.schema.Channel;
import io.cartrescue.schema.CustomerLedger;
import io.cartrescue.schema.Decision;
import io.cartrescue.schema.DiscountAbandonment;
import io.cartrescue.schema.InterventionType;
import io.cartrescue.schema.LedgerDismissal;
import io.cartrescue.schema.LedgerOrder;
import io.cartrescue.schema.LedgerSend;
import io.cartrescue.schema.NoticeKind;
import io.cartrescue.schema.OpenAttribution;
import io.cartrescue.schema.Outcome;
import io.cartrescue.schema.PendingHold;
import io.cartrescue.schema.SessionNotice;
import io.cartrescue.schema.SignalValue;
import io.cartrescue.schema.Verdict;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** What the customer did, as session notices tell it: orders, dismissals, ended sessions; and outcomes. */
final class CustomerFacts {
    private final Duration lookBack;

    CustomerFacts(final Duration lookBack) {
        this.lookBack = lookBack;
    }

    /**
     * An order cancels every hold of its session and every held reminder of the customer (whatever
     * the session), and converts every open window it falls into.
     */
    OrderEffects onOrder(final SessionNotice order, final CustomerLedger ledger, final List<PendingHold> pendingHolds) {
        CustomerLedger current = Ledgers.withOrder(Ledgers.pruned(ledger, order.getAt(), lookBack), new LedgerOrder(
                order.getOrderId(), order.getSessionId(), order.getSessionStartedAt(), order.getAt()));
        final List<PendingHold> cancelled = pendingHolds.stream().filter(hold -> cancels(order, hold)).toList();
        final List<Decision> cancellations = new ArrayList<>();
        for (final PendingHold hold : cancelled) {
            current = Ledgers.withoutSend(current, hold.getDecision().getDecisionId());
            cancellations.add(cancellation(hold, order));
        }
        final List<OpenAttribution> converted = current.getOpenAttributions().stream()
                .filter(a -> !order.getAt().isBefore(a.getDecidedAt()) && !order.getAt().isAfter(a.getWindowEndsAt()))
                .toList();
        final List<Outcome> outcomes = converted.stream().map(a -> converted(a, order, ledger.getCustomerKey())).toList();
        current = Ledgers.withoutAttributions(current, converted::contains);
        return new OrderEffects(cancelled, cancellations, outcomes, current);
    }

    CustomerLedger onNotice(final SessionNotice notice, final CustomerLedger ledger) {
        final CustomerLedger current = Ledgers.pruned(ledger, notice.getAt(), lookBack);
        if (notice.getKind() == NoticeKind.INTERVENTION_DISMISSED) {
            return dismissed(notice, current);
        }
        if (notice.getKind() == NoticeKind.SESSION_ENDED) {
            return ended(notice, current);
        }
        return current;
    }

    AttributionEnd endAttribution(final String decisionId, final CustomerLedger ledger) {
        final Optional<OpenAttribution> open = ledger.getOpenAttributions().stream()
                .filter(a -> a.getDecisionId().equals(decisionId)).findFirst();
        return new AttributionEnd(open.map(a -> notConverted(a, ledger.getCustomerKey())),
                Ledgers.withoutAttributions(ledger, a -> a.getDecisionId().equals(decisionId)));
    }

    private static boolean cancels(final SessionNotice order, final PendingHold hold) {
        final Decision decision = hold.getDecision();
        final boolean sameSession = decision.getSessionId().equals(order.getSessionId())
                && hold.getSessionStartedAt().equals(order.getSessionStartedAt());
        return sameSession || decision.getChannel() == Channel.MARKETING;
    }

    private static Decision cancellation(final PendingHold hold, final SessionNotice order) {
        final Decision held = hold.getDecision();
        final List<SignalValue> values = new ArrayList<>(held.getValues());
        values.add(new SignalValue("orderAt", order.getAt().toString()));
        values.add(new SignalValue("orderSessionId", order.getSessionId()));
        return Decision.newBuilder(held)
                .setVerdict(Verdict.SUPPRESSED)
                .setGuardrail(Guardrail.ORDER_PLACED.name())
                .setExplanation("Not sent: the order was placed at " + order.getAt() + " while the " + held.getInterventionType()
                        + " was held until " + hold.getReleaseAt() + ".")
                .setValues(values)
                .build();
    }

    private CustomerLedger dismissed(final SessionNotice notice, final CustomerLedger ledger) {
        final String id = notice.getInterventionId();
        final boolean known = id != null && ledger.getDismissals().stream().anyMatch(d -> id.equals(d.getInterventionId()));
        if (known) {
            return ledger;
        }
        final InterventionType type = ledger.getSends().stream().filter(s -> s.getInterventionId().equals(id))
                .map(LedgerSend::getType).findFirst().orElse(InterventionType.UNKNOWN);
        return Ledgers.withDismissal(ledger, new LedgerDismissal(id, type, notice.getSessionId(),
                notice.getSessionStartedAt(), notice.getAt()));
    }

    /** A session that ends with a cart, no order and a discount decided in it counts towards the repeat-abandoner limit. */
    private CustomerLedger ended(final SessionNotice notice, final CustomerLedger ledger) {
        final LedgerView session = new LedgerView(ledger, notice.getSessionId(), notice.getSessionStartedAt());
        final boolean discounted = session.sessionSends().stream().anyMatch(s -> s.getType() == InterventionType.DISCOUNT);
        final boolean counted = ledger.getDiscountAbandonments().stream().anyMatch(a ->
                a.getSessionId().equals(notice.getSessionId()) && a.getSessionStartedAt().equals(notice.getSessionStartedAt()));
        if (notice.getCart() == null || session.orderInSession().isPresent() || !discounted || counted) {
            return ledger;
        }
        return Ledgers.withDiscountAbandonment(ledger,
                new DiscountAbandonment(notice.getSessionId(), notice.getSessionStartedAt(), notice.getAt()));
    }

    private static Outcome converted(final OpenAttribution attribution, final SessionNotice order, final String customerKey) {
        final BigDecimal total = order.getOrderTotal() == null ? null : order.getOrderTotal().setScale(2, RoundingMode.HALF_UP);
        return outcome(attribution, customerKey)
                .setConverted(true)
                .setOrderValue(total)
                .setCurrency(order.getCurrency())
                .setTimeToConvertMillis(Duration.between(attribution.getDecidedAt(), order.getAt()).toMillis())
                .build();
    }

    private static Outcome notConverted(final OpenAttribution attribution, final String customerKey) {
        return outcome(attribution, customerKey).setConverted(false).build();
    }

    private static Outcome.Builder outcome(final OpenAttribution attribution, final String customerKey) {
        return Outcome.newBuilder()
                .setDecisionId(attribution.getDecisionId())
                .setSessionId(attribution.getSessionId())
                .setCustomerKey(customerKey)
                .setSignal(attribution.getSignal())
                .setExperimentArm(attribution.getExperimentArm())
                .setInterventionId(attribution.getInterventionId())
                .setInterventionType(attribution.getInterventionType())
                .setDecidedAt(attribution.getDecidedAt())
                .setWindowEndsAt(attribution.getWindowEndsAt());
    }
}
