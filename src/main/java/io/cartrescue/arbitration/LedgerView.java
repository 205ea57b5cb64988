package io.cartrescue.arbitration;

import io.cartrescue.schema.Channel;
import io.cartrescue.schema.CustomerLedger;
import io.cartrescue.schema.InterventionType;
import io.cartrescue.schema.LedgerOrder;
import io.cartrescue.schema.LedgerSend;
import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

/** Questions the guardrails ask of a customer's ledger, for one session of that customer. */
final class LedgerView {
    private final CustomerLedger ledger;
    private final String sessionId;
    private final Instant sessionStartedAt;

    LedgerView(final CustomerLedger ledger, final String sessionId, final Instant sessionStartedAt) {
        this.ledger = ledger;
        this.sessionId = sessionId;
        this.sessionStartedAt = sessionStartedAt;
    }

    Optional<LedgerOrder> orderInSession() {
        return ledger.getOrders().stream().filter(o -> inSession(o.getSessionId(), o.getSessionStartedAt())).findFirst();
    }

    /** The latest order of the customer, in any session, at or after {@code since}. */
    Optional<LedgerOrder> orderSince(final Instant since) {
        return ledger.getOrders().stream().filter(o -> !o.getAt().isBefore(since))
                .max(Comparator.comparing(LedgerOrder::getAt));
    }

    List<LedgerSend> sessionSends() {
        return ledger.getSends().stream().filter(s -> inSession(s.getSessionId(), s.getSessionStartedAt())).toList();
    }

    /** The send closest in event time to {@code at}, on any channel and in any session. */
    Optional<LedgerSend> nearestSend(final Instant at) {
        return ledger.getSends().stream()
                .min(Comparator.comparingLong(s -> Math.abs(s.getAt().toEpochMilli() - at.toEpochMilli())));
    }

    boolean sentInSession(final InterventionType type) {
        return sessionSends().stream().anyMatch(s -> s.getType() == type);
    }

    Set<InterventionType> dismissedTypesInSession() {
        return ledger.getDismissals().stream().filter(d -> inSession(d.getSessionId(), d.getSessionStartedAt()))
                .map(d -> d.getType()).collect(Collectors.toSet());
    }

    int dismissalsInSession() {
        return (int) ledger.getDismissals().stream().filter(d -> inSession(d.getSessionId(), d.getSessionStartedAt())).count();
    }

    long discountsSince(final Instant since) {
        return ledger.getSends().stream()
                .filter(s -> s.getType() == InterventionType.DISCOUNT && !s.getAt().isBefore(since)).count();
    }

    long discountAbandonmentsSince(final Instant since) {
        return ledger.getDiscountAbandonments().stream().filter(a -> !a.getAt().isBefore(since)).count();
    }

    static boolean isInSession(final Channel channel) {
        return channel == Channel.CHAT || channel == Channel.ONSITE;
    }

    private boolean inSession(final String otherSession, final Instant otherStartedAt) {
        return sessionId.equals(otherSession) && sessionStartedAt.equals(otherStartedAt);
    }
}
