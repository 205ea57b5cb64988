package io.cartrescue.detection;

import io.cartrescue.policy.DetectionPolicy;
import io.cartrescue.schema.ArbitrationInput;
import io.cartrescue.schema.EventType;
import io.cartrescue.schema.FiredSignal;
import io.cartrescue.schema.NoticeKind;
import io.cartrescue.schema.SessionNotice;
import io.cartrescue.schema.SessionState;
import io.cartrescue.schema.SignalType;
import io.cartrescue.schema.StorefrontEvent;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Session detection as plain decisions: given a session's state and an event, or the time, what is
 * the new state, what goes to arbitration, and when must the session be looked at again.
 *
 * <p>Deadlines (stalls, the end of the session) are evaluated at their own time, not at the time
 * somebody looks: a candidate fired by a deadline carries the deadline as its time, and an event
 * that arrives after a deadline of its session first settles that deadline. So the output does not
 * depend on when the timer index happens to be read.
 */
public final class SessionDetector {
    private final DetectionPolicy policy;
    private final SessionUpdater updater;
    private final Candidates candidates;

    public SessionDetector(final DetectionPolicy policy, final String policyVersion) {
        this.policy = policy;
        this.updater = new SessionUpdater(policy);
        this.candidates = new Candidates(policyVersion);
    }

    /**
     * What one step of detection produced.
     *
     * @param state     the session's state afterwards, or null when the session ended (remove it)
     * @param changed   false when nothing changed (a duplicate event): nothing to write
     * @param outputs   candidates and notices for arbitration, in order
     * @param nextDueAt when the session must be looked at again; {@link Long#MAX_VALUE} if never
     */
    public record Step(SessionState state, boolean changed, List<ArbitrationInput> outputs, long nextDueAt) {
    }

    /** Applies an event to the session it belongs to ({@code current} is null for a session not seen yet). */
    public Step onEvent(final SessionState current, final StorefrontEvent event) {
        final List<ArbitrationInput> outputs = new ArrayList<>();
        final long eventHash = EventHashes.of(event.getEventId());
        SessionState state = current;
        if (state != null) {
            if (updater.isDuplicate(state, eventHash)) {
                return new Step(state, false, List.of(), nextDeadline(state));
            }
            if (settleDeadlines(state, event.getEventTime().toEpochMilli() - 1, outputs)) {
                state = null;
            }
        }
        if (state == null) {
            state = updater.start(event);
        }
        final boolean orderedBefore = state.getOrderPlacedAt().toEpochMilli() > 0;
        updater.apply(state, event, eventHash);
        noticeFor(state, event, orderedBefore).ifPresent(outputs::add);
        if (state.getOrderPlacedAt().toEpochMilli() == 0) {
            fireEventSignals(state, event.getEventType(), outputs);
        }
        return new Step(state, true, outputs, nextDeadline(state));
    }

    /** Settles every deadline of the session up to {@code now}. */
    public Step onTime(final SessionState state, final long now) {
        final List<ArbitrationInput> outputs = new ArrayList<>();
        final boolean ended = settleDeadlines(state, now, outputs);
        return ended
                ? new Step(null, true, outputs, Long.MAX_VALUE)
                : new Step(state, !outputs.isEmpty(), outputs, nextDeadline(state));
    }

    /** The earliest deadline of the session. */
    public long nextDeadline(final SessionState s) {
        if (s.getOrderPlacedAt().toEpochMilli() > 0) {
            return s.getOrderPlacedAt().toEpochMilli() + policy.orderTail().toMillis();
        }
        long next = SignalRules.inactivityDeadline(s, policy);
        if (canFire(s, SignalType.STALLED_CHECKOUT_STEP)) {
            next = Math.min(next, SignalRules.stalledStepDeadline(s, policy, occurrence(s, SignalType.STALLED_CHECKOUT_STEP)));
        }
        if (canFire(s, SignalType.SHIPPING_COST_SHOCK)) {
            next = Math.min(next, SignalRules.shippingStallDeadline(s, policy, occurrence(s, SignalType.SHIPPING_COST_SHOCK)));
        }
        return next;
    }

    /** Settles deadlines up to {@code upTo} in time order; true when the session ended. */
    private boolean settleDeadlines(final SessionState s, final long upTo, final List<ArbitrationInput> outputs) {
        while (true) {
            if (s.getOrderPlacedAt().toEpochMilli() > 0) {
                if (s.getOrderPlacedAt().toEpochMilli() + policy.orderTail().toMillis() > upTo) {
                    return false;
                }
                endSession(s, s.getOrderPlacedAt().toEpochMilli() + policy.orderTail().toMillis(), outputs);
                return true;
            }
            final long stall = canFire(s, SignalType.STALLED_CHECKOUT_STEP)
                    ? SignalRules.stalledStepDeadline(s, policy, occurrence(s, SignalType.STALLED_CHECKOUT_STEP))
                    : Long.MAX_VALUE;
            final long shipping = canFire(s, SignalType.SHIPPING_COST_SHOCK)
                    ? SignalRules.shippingStallDeadline(s, policy, occurrence(s, SignalType.SHIPPING_COST_SHOCK))
                    : Long.MAX_VALUE;
            final long inactive = SignalRules.inactivityDeadline(s, policy);
            final long next = Math.min(Math.min(stall, shipping), inactive);
            if (next > upTo) {
                return false;
            }
            if (next == stall) {
                fire(s, SignalRules.stalledStep(s, policy, occurrence(s, SignalType.STALLED_CHECKOUT_STEP), stall), outputs);
            } else if (next == shipping) {
                fire(s, SignalRules.shippingStall(s, policy, shipping), outputs);
            } else {
                if (canFire(s, SignalType.ABANDONMENT)) {
                    SignalRules.abandonment(s, policy, inactive).ifPresent(hit -> fire(s, hit, outputs));
                }
                endSession(s, inactive, outputs);
                return true;
            }
        }
    }

    private void endSession(final SessionState s, final long at, final List<ArbitrationInput> outputs) {
        if (!s.getFired().isEmpty()) {
            final ArbitrationInput ended = candidates.notice(s, NoticeKind.SESSION_ENDED, at);
            ((SessionNotice) ended.getBody()).setCart(s.getCart());
            outputs.add(ended);
        }
    }

    /** The signals an event can fire, in the order they are tried. */
    private static final SignalType[] EVENT_SIGNALS = {SignalType.PAYMENT_FAILURES, SignalType.CHECKOUT_ERRORS,
            SignalType.SHIPPING_COST_SHOCK, SignalType.PRICE_HESITATION, SignalType.PRODUCT_DOUBT,
            SignalType.POLICY_CONCERN, SignalType.EXIT_INTENT};

    private void fireEventSignals(final SessionState s, final EventType type, final List<ArbitrationInput> outputs) {
        final long at = s.getLastEventAt().toEpochMilli();
        for (final SignalType signal : EVENT_SIGNALS) {
            final int fired = firedCount(s, signal);
            if (fired < policy.maxFiresPerSignal()) {
                final Optional<SignalHit> hit = eventRule(signal, s, type, fired + 1, at);
                if (hit.isPresent()) {
                    fire(s, hit.get(), outputs);
                }
            }
        }
    }

    /** The rule of {@code signal}, one of {@link #EVENT_SIGNALS}, for its {@code occurrence}-th firing. */
    private Optional<SignalHit> eventRule(final SignalType signal, final SessionState s, final EventType type,
                                          final int occurrence, final long at) {
        return switch (signal) {
            case PAYMENT_FAILURES -> SignalRules.paymentFailures(s, policy, occurrence, at);
            case CHECKOUT_ERRORS -> SignalRules.checkoutErrors(s, policy, occurrence, at);
            case SHIPPING_COST_SHOCK -> SignalRules.shippingCostShockByMoves(s, policy, occurrence, at);
            case PRICE_HESITATION -> SignalRules.priceHesitation(s, policy, occurrence, at);
            case PRODUCT_DOUBT -> SignalRules.productDoubt(s, policy, occurrence, at);
            case POLICY_CONCERN -> SignalRules.policyConcern(s, policy, occurrence, at);
            case EXIT_INTENT -> SignalRules.exitIntent(s, policy, type, at);
            default -> throw new IllegalArgumentException(signal + " is not fired by events");
        };
    }

    private void fire(final SessionState s, final SignalHit hit, final List<ArbitrationInput> outputs) {
        final int occurrence = occurrence(s, hit.signal());
        outputs.add(candidates.candidate(s, hit, occurrence));
        for (final FiredSignal fired : s.getFired()) {
            if (fired.getSignal() == hit.signal()) {
                fired.setCount(fired.getCount() + 1);
                fired.setLastAt(Instant.ofEpochMilli(hit.detectedAt()));
                return;
            }
        }
        s.getFired().add(new FiredSignal(hit.signal(), 1, Instant.ofEpochMilli(hit.detectedAt())));
    }

    private Optional<ArbitrationInput> noticeFor(final SessionState s, final StorefrontEvent event,
                                                 final boolean orderedBefore) {
        final long at = event.getEventTime().toEpochMilli();
        switch (event.getEventType()) {
            case ORDER_COMPLETED -> {
                if (orderedBefore) {
                    return Optional.empty();
                }
                final ArbitrationInput input = candidates.notice(s, NoticeKind.ORDER_PLACED, at);
                final SessionNotice notice = (SessionNotice) input.getBody();
                if (event.getOrder() != null) {
                    notice.setOrderId(event.getOrder().getOrderId());
                    notice.setOrderTotal(event.getOrder().getTotal());
                    notice.setCurrency(event.getOrder().getCurrency());
                }
                return Optional.of(input);
            }
            case INTERVENTION_SHOWN -> {
                return Optional.of(answer(s, NoticeKind.INTERVENTION_SHOWN, event));
            }
            case INTERVENTION_ACCEPTED -> {
                return Optional.of(answer(s, NoticeKind.INTERVENTION_ACCEPTED, event));
            }
            case INTERVENTION_DISMISSED -> {
                return Optional.of(answer(s, NoticeKind.INTERVENTION_DISMISSED, event));
            }
            default -> {
                return Optional.empty();
            }
        }
    }

    private ArbitrationInput answer(final SessionState s, final NoticeKind kind, final StorefrontEvent event) {
        final ArbitrationInput input = candidates.notice(s, kind, event.getEventTime().toEpochMilli());
        ((SessionNotice) input.getBody()).setInterventionId(event.getInterventionId());
        return input;
    }

    private boolean canFire(final SessionState s, final SignalType signal) {
        return firedCount(s, signal) < policy.maxFiresPerSignal();
    }

    private static int occurrence(final SessionState s, final SignalType signal) {
        return firedCount(s, signal) + 1;
    }

    private static int firedCount(final SessionState s, final SignalType signal) {
        final List<FiredSignal> fired = s.getFired();
        for (int i = 0; i < fired.size(); i++) {
            if (fired.get(i).getSignal() == signal) {
                return fired.get(i).getCount();
            }
        }
        return 0;
    }
}
