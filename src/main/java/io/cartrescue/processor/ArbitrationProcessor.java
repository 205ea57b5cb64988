package io.cartrescue.processor;

import io.cartrescue.arbitration.Arbiter;
import io.cartrescue.arbitration.AttributionEnd;
import io.cartrescue.arbitration.OrderEffects;
import io.cartrescue.arbitration.Publication;
import io.cartrescue.arbitration.Ruling;
import io.cartrescue.metrics.CartRescueMetrics;
import io.cartrescue.schema.ArbitrationInput;
import io.cartrescue.schema.ArbitrationTimer;
import io.cartrescue.schema.Candidate;
import io.cartrescue.schema.ChatCapacity;
import io.cartrescue.schema.CustomerLedger;
import io.cartrescue.schema.CustomerProfile;
import io.cartrescue.schema.Decision;
import io.cartrescue.schema.Intervention;
import io.cartrescue.schema.NoticeKind;
import io.cartrescue.schema.Outcome;
import io.cartrescue.schema.PendingHold;
import io.cartrescue.schema.SessionNotice;
import io.cartrescue.schema.StreamProgress;
import io.cartrescue.schema.TimerKind;
import io.cartrescue.topology.TimeMode;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.common.utils.Bytes;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.processor.PunctuationType;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;

/**
 * Arbitration per customer. Input: candidates and session notices from session detection, keyed by
 * customerKey. Output (key customerKey, value {@link SpecificRecord}): {@code Decision} for every
 * candidate, {@code Intervention} for each one published, {@code Outcome} for each published or
 * holdout decision when its customer orders or its attribution window ends. The record timestamp of
 * a decision and its intervention is the decision's event time; of an outcome, the order's time or
 * the window's end.
 *
 * <p>It exists so that every channel shares one ledger per customer: the guardrails (frequency cap,
 * discount cap, dismissals, orders) see everything sent to the customer, wherever it went. Decisions
 * to intervene wait out a hold in {@value ArbitrationStores#PENDING_HOLDS} so that an order can
 * cancel them; the timer index {@value ArbitrationStores#TIMERS} releases them, closes attribution
 * windows and expires idle ledgers.
 *
 * <p>In {@link TimeMode#LIVE} inputs are handled as they arrive, "now" is the wall clock, and due
 * timers are looked for every {@link #PUNCTUATION_INTERVAL}. In {@link TimeMode#REPLAY} inputs wait
 * in {@link StreamTimeOrder} until every session-detection task has passed their time; then inputs
 * and due timers are handled together in time order, each at its own time, so that the results do
 * not depend on how the detection tasks interleaved.
 */
public final class ArbitrationProcessor implements Processor<String, ArbitrationInput, String, SpecificRecord> {
    /** How often due timers are looked for. */
    public static final Duration PUNCTUATION_INTERVAL = Duration.ofMillis(200);
    /** Timers handled per punctuation at most; the rest wait for the next one. */
    static final int MAX_TIMERS_PER_PUNCTUATION = 10_000;
    /** The node's name in the topology, also the name its punctuations are reported under. */
    public static final String NODE = "arbitrate";

    private final Arbiter arbiter;
    private final TimeMode timeMode;
    private final CartRescueMetrics metrics;
    private ProcessorContext<String, SpecificRecord> context;
    private KeyValueStore<String, CustomerLedger> ledgers;
    private KeyValueStore<String, PendingHold> pendingHolds;
    private KeyValueStore<String, ArbitrationTimer> timers;
    private KeyValueStore<String, CustomerProfile> profiles;
    private KeyValueStore<String, ChatCapacity> chatCapacity;
    private StreamTimeOrder order;
    /** Stream-time mode: the time of the input or timer being handled. */
    private long streamNow = Long.MIN_VALUE;

    public ArbitrationProcessor(final Arbiter arbiter, final TimeMode timeMode) {
        this(arbiter, timeMode, CartRescueMetrics.none());
    }

    public ArbitrationProcessor(final Arbiter arbiter, final TimeMode timeMode, final CartRescueMetrics metrics) {
        this.arbiter = arbiter;
        this.timeMode = timeMode;
        this.metrics = metrics;
    }

    @Override
    public void init(final ProcessorContext<String, SpecificRecord> context) {
        this.context = context;
        ledgers = context.getStateStore(ArbitrationStores.LEDGER);
        pendingHolds = context.getStateStore(ArbitrationStores.PENDING_HOLDS);
        timers = context.getStateStore(ArbitrationStores.TIMERS);
        profiles = context.getStateStore(ArbitrationStores.PROFILES);
        chatCapacity = context.getStateStore(ArbitrationStores.CHAT_CAPACITY);
        if (timeMode == TimeMode.LIVE) {
            context.schedule(PUNCTUATION_INTERVAL, PunctuationType.WALL_CLOCK_TIME,
                    timestamp -> fireDueTimers(Instant.ofEpochMilli(timestamp)));
        } else {
            order = new StreamTimeOrder(context.getStateStore(ArbitrationStores.INPUT_BUFFER),
                    context.getStateStore(ArbitrationStores.CLOCK));
        }
    }

    @Override
    public void process(final Record<String, ArbitrationInput> record) {
        final ArbitrationInput input = record.value();
        if (input == null) {
            throw new DeadLetterException("missing-value", "an arbitration input with key " + record.key() + " has no value");
        }
        if (timeMode == TimeMode.REPLAY) {
            inStreamTimeOrder(input);
        } else {
            check(input);
            handle(input);
        }
    }

    private void inStreamTimeOrder(final ArbitrationInput input) {
        if (input.getBody() instanceof StreamProgress progress) {
            final long clock = order.advance(progress);
            if (clock > order.processedUpTo()) {
                handleUpTo(clock);
            }
            return;
        }
        check(input);
        if (!order.hold(input, StreamTimeOrder.timeOf(input))) {
            streamNow = order.processedUpTo();
            handle(input);
        }
    }

    /**
     * Handles the held inputs and the due timers up to {@code clock} in time order, each at its own
     * time; an input comes before a timer due at the same time (an order placed exactly when a hold
     * ends cancels it).
     */
    private void handleUpTo(final long clock) {
        while (true) {
            final Optional<KeyValue<Bytes, ArbitrationInput>> input = order.first(clock);
            final Optional<KeyValue<String, ArbitrationTimer>> timer = firstDue(Instant.ofEpochMilli(
                    input.map(i -> StreamTimeOrder.timeOf(i.key) - 1).orElse(clock)));
            if (timer.isPresent()) {
                streamNow = timer.get().value.getDueAt().toEpochMilli();
                timers.delete(timer.get().key);
                fire(timer.get().value);
            } else if (input.isPresent()) {
                streamNow = StreamTimeOrder.timeOf(input.get().key);
                order.remove(input.get().key);
                handle(input.get().value);
            } else {
                break;
            }
        }
        streamNow = clock;
        order.processed(clock);
    }

    private Optional<KeyValue<String, ArbitrationTimer>> firstDue(final Instant upTo) {
        try (KeyValueIterator<String, ArbitrationTimer> iterator = timers.range(null, ArbitrationStores.dueUpTo(upTo))) {
            return iterator.hasNext() ? Optional.of(iterator.next()) : Optional.empty();
        }
    }

    /** Sends an input that cannot be arbitrated to the dead-letter topic, before anything is held or changed. */
    private static void check(final ArbitrationInput input) {
        if (input.getBody() instanceof Candidate candidate) {
            requireKey(input, candidate.getCustomerKey());
        } else if (input.getBody() instanceof SessionNotice notice) {
            requireKey(input, notice.getCustomerKey());
        } else {
            throw new DeadLetterException("unknown-body", "an arbitration input for " + input.getCustomerKey()
                    + " carries neither a candidate nor a notice");
        }
    }

    /** Decides on a candidate or applies a notice; {@link #check} has let it through. */
    private void handle(final ArbitrationInput input) {
        if (input.getBody() instanceof Candidate candidate) {
            onCandidate(candidate);
        } else {
            onNotice((SessionNotice) input.getBody());
        }
    }

    private void onCandidate(final Candidate candidate) {
        final Optional<CustomerProfile> profile = Optional.ofNullable(candidate.getCustomerId()).map(profiles::get);
        final Optional<Ruling> ruling = arbiter.decide(candidate, ledgerOf(candidate.getCustomerKey()), profile,
                queue -> Optional.ofNullable(chatCapacity.get(queue)), now());
        ruling.ifPresent(this::apply);
    }

    private void apply(final Ruling ruling) {
        if (ruling.suppressed()) {
            save(ruling.ledger());
            forward(ruling.decision().getCustomerKey(), ruling.decision(), ruling.decision().getDecidedAt());
            return;
        }
        final PendingHold hold = ruling.hold().orElseThrow();
        if (hold.getReleaseAt().isAfter(now())) {
            save(ruling.ledger());
            final Decision decision = hold.getDecision();
            pendingHolds.put(ArbitrationStores.holdKey(decision.getCustomerKey(), decision.getDecisionId()), hold);
            schedule(hold.getReleaseAt(), TimerKind.HOLD_RELEASE, decision.getCustomerKey(), decision.getDecisionId());
        } else {
            publish(hold, ruling.ledger());
        }
    }

    private void publish(final PendingHold hold, final CustomerLedger ledger) {
        final Publication publication = arbiter.release(hold, ledger);
        final Decision decision = publication.decision();
        save(publication.ledger());
        forward(decision.getCustomerKey(), decision, decision.getDecidedAt());
        publication.intervention().ifPresent(i -> forward(i.getCustomerKey(), i, i.getCreatedAt()));
        schedule(publication.attribution().getWindowEndsAt(), TimerKind.ATTRIBUTION_END, decision.getCustomerKey(),
                decision.getDecisionId());
    }

    private void onNotice(final SessionNotice notice) {
        final CustomerLedger ledger = ledgerOf(notice.getCustomerKey());
        if (notice.getKind() != NoticeKind.ORDER_PLACED) {
            save(arbiter.onNotice(notice, ledger));
            return;
        }
        final OrderEffects effects = arbiter.onOrder(notice, ledger, pendingHoldsOf(notice.getCustomerKey()));
        for (final PendingHold hold : effects.cancelledHolds()) {
            final Decision decision = hold.getDecision();
            pendingHolds.delete(ArbitrationStores.holdKey(decision.getCustomerKey(), decision.getDecisionId()));
            timers.delete(ArbitrationStores.timerKey(hold.getReleaseAt(), TimerKind.HOLD_RELEASE, decision.getDecisionId()));
        }
        effects.cancellations().forEach(d -> forward(d.getCustomerKey(), d, d.getDecidedAt()));
        for (final Outcome outcome : effects.outcomes()) {
            timers.delete(ArbitrationStores.timerKey(outcome.getWindowEndsAt(), TimerKind.ATTRIBUTION_END, outcome.getDecisionId()));
            forward(outcome.getCustomerKey(), outcome, notice.getAt());
        }
        save(effects.ledger());
    }

    private void fireDueTimers(final Instant now) {
        final long started = System.nanoTime();
        final List<KeyValue<String, ArbitrationTimer>> due = new ArrayList<>();
        try (KeyValueIterator<String, ArbitrationTimer> iterator = timers.range(null, ArbitrationStores.dueUpTo(now))) {
            while (iterator.hasNext() && due.size() < MAX_TIMERS_PER_PUNCTUATION) {
                due.add(iterator.next());
            }
        }
        for (final KeyValue<String, ArbitrationTimer> entry : due) {
            timers.delete(entry.key);
            fire(entry.value);
        }
        metrics.punctuation(NODE, Duration.ofNanos(System.nanoTime() - started));
    }

    private void fire(final ArbitrationTimer timer) {
        switch (timer.getKind()) {
            case HOLD_RELEASE -> releaseHold(timer);
            case ATTRIBUTION_END -> endAttribution(timer);
            case LEDGER_EXPIRY -> expireLedger(timer);
            default -> { }
        }
    }

    private void releaseHold(final ArbitrationTimer timer) {
        final String key = ArbitrationStores.holdKey(timer.getCustomerKey(), timer.getDecisionId());
        final PendingHold hold = pendingHolds.get(key);
        if (hold != null) {
            pendingHolds.delete(key);
            publish(hold, ledgerOf(timer.getCustomerKey()));
        }
    }

    private void endAttribution(final ArbitrationTimer timer) {
        final CustomerLedger ledger = ledgers.get(timer.getCustomerKey());
        if (ledger == null) {
            return;
        }
        final AttributionEnd end = arbiter.endAttribution(timer.getDecisionId(), ledger);
        end.outcome().ifPresent(o -> forward(o.getCustomerKey(), o, o.getWindowEndsAt()));
        save(end.ledger());
    }

    private void expireLedger(final ArbitrationTimer timer) {
        final CustomerLedger ledger = ledgers.get(timer.getCustomerKey());
        if (ledger != null && ledger.getExpiresAt().equals(timer.getDueAt()) && ledger.getOpenAttributions().isEmpty()) {
            ledgers.delete(timer.getCustomerKey());
        }
    }

    /** Stores the ledger and moves its expiry timer to the retention after now. */
    private void save(final CustomerLedger ledger) {
        final Instant expiresAt = now().plus(arbiter.ledgerRetention());
        if (ledger.getExpiresAt().toEpochMilli() > 0) {
            timers.delete(ArbitrationStores.timerKey(ledger.getExpiresAt(), TimerKind.LEDGER_EXPIRY, ledger.getCustomerKey()));
        }
        ledgers.put(ledger.getCustomerKey(), CustomerLedger.newBuilder(ledger).setExpiresAt(expiresAt).build());
        timers.put(ArbitrationStores.timerKey(expiresAt, TimerKind.LEDGER_EXPIRY, ledger.getCustomerKey()),
                new ArbitrationTimer(TimerKind.LEDGER_EXPIRY, ledger.getCustomerKey(), "", expiresAt));
    }

    private void schedule(final Instant due, final TimerKind kind, final String customerKey, final String decisionId) {
        timers.put(ArbitrationStores.timerKey(due, kind, decisionId), new ArbitrationTimer(kind, customerKey, decisionId, due));
    }

    private CustomerLedger ledgerOf(final String customerKey) {
        final CustomerLedger ledger = ledgers.get(customerKey);
        return ledger == null ? Arbiter.emptyLedger(customerKey) : ledger;
    }

    private List<PendingHold> pendingHoldsOf(final String customerKey) {
        final List<PendingHold> holds = new ArrayList<>();
        try (KeyValueIterator<String, PendingHold> iterator =
                     pendingHolds.prefixScan(ArbitrationStores.holdPrefix(customerKey), new StringSerializer())) {
            iterator.forEachRemaining(entry -> {
                if (entry.value.getDecision().getCustomerKey().equals(customerKey)) {
                    holds.add(entry.value);
                }
            });
        }
        return holds;
    }

    private void forward(final String key, final SpecificRecord value, final Instant timestamp) {
        if (value instanceof Decision decision) {
            metrics.decided(decision.getVerdict(), decision.getGuardrail());
        } else if (value instanceof Intervention intervention) {
            metrics.interventionPublished(intervention.getChannel(), intervention.getType());
        }
        context.forward(new Record<>(key, value, timestamp.toEpochMilli()));
    }

    private Instant now() {
        return Instant.ofEpochMilli(timeMode == TimeMode.LIVE ? context.currentSystemTimeMs() : streamNow);
    }

    private static void requireKey(final ArbitrationInput input, final String bodyKey) {
        if (!input.getCustomerKey().equals(bodyKey)) {
            throw new DeadLetterException("key-mismatch", "an arbitration input for " + input.getCustomerKey()
                    + " carries a body for " + bodyKey);
        }
    }
}
