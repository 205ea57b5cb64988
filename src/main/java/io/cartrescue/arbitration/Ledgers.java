package io.cartrescue.arbitration;

import io.cartrescue.schema.CustomerLedger;
import io.cartrescue.schema.DiscountAbandonment;
import io.cartrescue.schema.LedgerDismissal;
import io.cartrescue.schema.LedgerOrder;
import io.cartrescue.schema.LedgerSend;
import io.cartrescue.schema.OpenAttribution;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;
import java.util.function.Predicate;

/**
 * Pure updates of a {@link CustomerLedger}: each returns a new ledger and leaves its argument as it
 * was. Lists are pruned to the look-back and capped in length, so a ledger stays small.
 */
final class Ledgers {
    static final int MAX_ENTRIES = 200;
    static final int MAX_DECIDED_CANDIDATES = 128;

    private Ledgers() {
    }

    static CustomerLedger empty(final String customerKey) {
        return CustomerLedger.newBuilder().setCustomerKey(customerKey).build();
    }

    static CustomerLedger withSend(final CustomerLedger ledger, final LedgerSend send) {
        return CustomerLedger.newBuilder(ledger).setSends(appended(ledger.getSends(), send)).build();
    }

    static CustomerLedger withoutSend(final CustomerLedger ledger, final String decisionId) {
        return CustomerLedger.newBuilder(ledger)
                .setSends(ledger.getSends().stream().filter(s -> !s.getDecisionId().equals(decisionId)).toList()).build();
    }

    static CustomerLedger withDecided(final CustomerLedger ledger, final String candidateId) {
        final List<String> ids = new ArrayList<>(ledger.getDecidedCandidateIds());
        ids.add(candidateId);
        return CustomerLedger.newBuilder(ledger)
                .setDecidedCandidateIds(List.copyOf(ids.subList(Math.max(0, ids.size() - MAX_DECIDED_CANDIDATES), ids.size())))
                .build();
    }

    static CustomerLedger withOrder(final CustomerLedger ledger, final LedgerOrder order) {
        return CustomerLedger.newBuilder(ledger).setOrders(appended(ledger.getOrders(), order)).build();
    }

    static CustomerLedger withDismissal(final CustomerLedger ledger, final LedgerDismissal dismissal) {
        return CustomerLedger.newBuilder(ledger).setDismissals(appended(ledger.getDismissals(), dismissal)).build();
    }

    static CustomerLedger withDiscountAbandonment(final CustomerLedger ledger, final DiscountAbandonment abandonment) {
        return CustomerLedger.newBuilder(ledger)
                .setDiscountAbandonments(appended(ledger.getDiscountAbandonments(), abandonment)).build();
    }

    static CustomerLedger withAttribution(final CustomerLedger ledger, final OpenAttribution attribution) {
        return CustomerLedger.newBuilder(ledger)
                .setOpenAttributions(appended(ledger.getOpenAttributions(), attribution)).build();
    }

    static CustomerLedger withoutAttributions(final CustomerLedger ledger, final Predicate<OpenAttribution> closed) {
        return CustomerLedger.newBuilder(ledger)
                .setOpenAttributions(ledger.getOpenAttributions().stream().filter(closed.negate()).toList()).build();
    }

    /** Drops entries older than {@code lookBack} before {@code now}; open attributions are closed by their timers. */
    static CustomerLedger pruned(final CustomerLedger ledger, final Instant now, final Duration lookBack) {
        final Instant oldest = now.minus(lookBack);
        return CustomerLedger.newBuilder(ledger)
                .setSends(recent(ledger.getSends(), LedgerSend::getAt, oldest))
                .setDismissals(recent(ledger.getDismissals(), LedgerDismissal::getAt, oldest))
                .setOrders(recent(ledger.getOrders(), LedgerOrder::getAt, oldest))
                .setDiscountAbandonments(recent(ledger.getDiscountAbandonments(), DiscountAbandonment::getAt, oldest))
                .build();
    }

    private static <T> List<T> recent(final List<T> entries, final Function<T, Instant> at, final Instant oldest) {
        return entries.stream().filter(e -> !at.apply(e).isBefore(oldest)).toList();
    }

    private static <T> List<T> appended(final List<T> entries, final T entry) {
        final List<T> copy = new ArrayList<>(entries);
        copy.add(entry);
        return List.copyOf(copy.subList(Math.max(0, copy.size() - MAX_ENTRIES), copy.size()));
    }
}
