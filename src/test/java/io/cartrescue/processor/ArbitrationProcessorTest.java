package io.cartrescue.processor;

import static io.cartrescue.testing.Fixtures.T0;
import static io.cartrescue.testing.Fixtures.candidate;
import static io.cartrescue.testing.Fixtures.order;
import static org.assertj.core.api.Assertions.assertThat;

import io.cartrescue.arbitration.Arbiter;
import io.cartrescue.policy.Policy;
import io.cartrescue.policy.PolicyLoader;
import io.cartrescue.schema.ArbitrationInput;
import io.cartrescue.schema.ArbitrationTimer;
import io.cartrescue.schema.Candidate;
import io.cartrescue.schema.ChatCapacity;
import io.cartrescue.schema.CustomerLedger;
import io.cartrescue.schema.CustomerProfile;
import io.cartrescue.schema.Decision;
import io.cartrescue.schema.Intervention;
import io.cartrescue.schema.PendingHold;
import io.cartrescue.schema.SessionNotice;
import io.cartrescue.schema.SignalType;
import io.cartrescue.schema.Verdict;
import io.cartrescue.testing.PlainAvroSerdes;
import io.cartrescue.topology.TimeMode;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.processor.PunctuationType;
import org.apache.kafka.streams.processor.api.MockProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.Stores;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class ArbitrationProcessorTest {
    private static final Policy POLICY = PolicyLoader.fromYaml("version: test-1\narbitration:\n  holdout: {percent: 0}\n", "test");
    private static final String CUSTOMER = "c-1";

    private final MockProcessorContext<String, SpecificRecord> context = new MockProcessorContext<>();
    private final PlainAvroSerdes serdes = new PlainAvroSerdes();
    private final KeyValueStore<String, CustomerLedger> ledgers = store(ArbitrationStores.LEDGER, CustomerLedger.class);
    private final KeyValueStore<String, PendingHold> pendingHolds = store(ArbitrationStores.PENDING_HOLDS, PendingHold.class);
    private final KeyValueStore<String, ArbitrationTimer> timers = store(ArbitrationStores.TIMERS, ArbitrationTimer.class);
    private ArbitrationProcessor processor;

    @BeforeEach
    void globalStores() {
        store(ArbitrationStores.PROFILES, CustomerProfile.class);
        store(ArbitrationStores.CHAT_CAPACITY, ChatCapacity.class);
    }

    @Test
    void liveModePunctuatesOnTheWallClockAndReplayModeNotAtAll() {
        // When
        final MockProcessorContext.CapturedPunctuator live = start(TimeMode.LIVE);
        processor = new ArbitrationProcessor(new Arbiter(POLICY), TimeMode.REPLAY);
        processor.init(context);

        // Then: in replay the detection tasks' progress drives the timers
        assertThat(live.getType()).isEqualTo(PunctuationType.WALL_CLOCK_TIME);
        assertThat(live.getInterval()).isEqualTo(Duration.ofMillis(200));
        assertThat(context.scheduledPunctuators()).hasSize(1);
    }

    @Test
    void heldOfferWaitsInThePendingStoreUntilItsTimerIsDue() {
        // Given
        final MockProcessorContext.CapturedPunctuator punctuator = start(TimeMode.LIVE);
        context.setCurrentSystemTimeMs(T0.toEpochMilli());

        // When the candidate arrives, and the punctuator fires before and at the release
        process(candidate("cand-1", SignalType.PRICE_HESITATION, CUSTOMER, "s-1", T0).build());
        final List<String> timerKinds = timerKinds();
        punctuator.getPunctuator().punctuate(T0.plusSeconds(4).toEpochMilli());
        final int forwardedEarly = context.forwarded().size();
        punctuator.getPunctuator().punctuate(T0.plusSeconds(5).toEpochMilli());

        // Then
        assertThat(timerKinds).containsExactlyInAnyOrder("HOLD_RELEASE", "LEDGER_EXPIRY");
        assertThat(forwardedEarly).isZero();
        final List<SpecificRecord> forwarded = context.forwarded().stream().map(f -> (SpecificRecord) f.record().value()).toList();
        assertThat(forwarded).hasSize(2);
        assertThat(((Decision) forwarded.get(0)).getVerdict()).isEqualTo(Verdict.EMITTED);
        assertThat(((Intervention) forwarded.get(1)).getCreatedAt()).isEqualTo(T0);
        assertThat(context.forwarded().get(0).record().timestamp()).isEqualTo(T0.toEpochMilli());
        assertThat(pendingHolds.approximateNumEntries()).isZero();
        assertThat(timerKinds()).containsExactlyInAnyOrder("ATTRIBUTION_END", "LEDGER_EXPIRY");
    }

    @Test
    void orderCancelsTheHeldOfferAndDeletesItsTimer() {
        // Given a held offer
        final MockProcessorContext.CapturedPunctuator punctuator = start(TimeMode.LIVE);
        context.setCurrentSystemTimeMs(T0.toEpochMilli());
        process(candidate("cand-1", SignalType.PRICE_HESITATION, CUSTOMER, "s-1", T0).build());

        // When the order arrives during the hold, and the punctuator fires after it
        context.setCurrentSystemTimeMs(T0.plusSeconds(1).toEpochMilli());
        process(order(CUSTOMER, "s-1", T0.plusSeconds(1), "80.00"));
        punctuator.getPunctuator().punctuate(T0.plusSeconds(10).toEpochMilli());

        // Then only the cancellation was forwarded
        assertThat(context.forwarded()).singleElement().satisfies(f -> {
            assertThat(((Decision) f.record().value()).getGuardrail()).isEqualTo("ORDER_PLACED");
            assertThat(f.record().key()).isEqualTo(CUSTOMER);
        });
        assertThat(pendingHolds.approximateNumEntries()).isZero();
        assertThat(timerKinds()).containsExactly("LEDGER_EXPIRY");
        assertThat(ledgers.get(CUSTOMER).getSends()).isEmpty();
    }

    @Test
    void idleLedgerIsDeletedWhenItsRetentionEnds() {
        // Given a suppressed candidate leaves a ledger behind
        final MockProcessorContext.CapturedPunctuator punctuator = start(TimeMode.LIVE);
        context.setCurrentSystemTimeMs(T0.toEpochMilli());
        process(candidate("cand-1", SignalType.UNKNOWN, CUSTOMER, "s-1", T0).build());
        final Duration retention = new Arbiter(POLICY).ledgerRetention();

        // When the retention passes with nothing else for the customer
        punctuator.getPunctuator().punctuate(T0.plus(retention).toEpochMilli());

        // Then
        assertThat(ledgers.get(CUSTOMER)).isNull();
        assertThat(timers.approximateNumEntries()).isZero();
    }

    private MockProcessorContext.CapturedPunctuator start(final TimeMode mode) {
        processor = new ArbitrationProcessor(new Arbiter(POLICY), mode);
        processor.init(context);
        final List<MockProcessorContext.CapturedPunctuator> punctuators = context.scheduledPunctuators();
        return punctuators.get(punctuators.size() - 1);
    }

    private void process(final Candidate candidate) {
        processor.process(new Record<>(CUSTOMER, new ArbitrationInput(CUSTOMER, candidate), candidate.getDetectedAt().toEpochMilli()));
    }

    private void process(final SessionNotice notice) {
        processor.process(new Record<>(CUSTOMER, new ArbitrationInput(CUSTOMER, notice), notice.getAt().toEpochMilli()));
    }

    private List<String> timerKinds() {
        final List<String> kinds = new ArrayList<>();
        try (KeyValueIterator<String, ArbitrationTimer> iterator = timers.all()) {
            iterator.forEachRemaining((KeyValue<String, ArbitrationTimer> entry) -> kinds.add(entry.value.getKind().name()));
        }
        return kinds;
    }

    private <V extends SpecificRecord> KeyValueStore<String, V> store(final String name, final Class<V> type) {
        final KeyValueStore<String, V> store = Stores.keyValueStoreBuilder(Stores.inMemoryKeyValueStore(name),
                Serdes.String(), serdes.valueSerde(type)).withLoggingDisabled().build();
        store.init(context.getStateStoreContext(), store);
        context.addStateStore(store);
        return store;
    }
}
