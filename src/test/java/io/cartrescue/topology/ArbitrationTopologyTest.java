package io.cartrescue.topology;

import static io.cartrescue.testing.Fixtures.T0;
import static io.cartrescue.testing.Fixtures.candidate;
import static io.cartrescue.testing.Fixtures.capacity;
import static io.cartrescue.testing.Fixtures.cart;
import static io.cartrescue.testing.Fixtures.notice;
import static io.cartrescue.testing.Fixtures.order;
import static io.cartrescue.testing.Fixtures.profile;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.cartrescue.arbitration.Ids;
import io.cartrescue.policy.Policy;
import io.cartrescue.policy.PolicyLoader;
import io.cartrescue.processor.ArbitrationStores;
import io.cartrescue.processor.DeadLetterException;
import io.cartrescue.schema.ArbitrationInput;
import io.cartrescue.schema.ArbitrationTimer;
import io.cartrescue.schema.Candidate;
import io.cartrescue.schema.Channel;
import io.cartrescue.schema.ChatCapacity;
import io.cartrescue.schema.ChatOffer;
import io.cartrescue.schema.Consent;
import io.cartrescue.schema.CustomerLedger;
import io.cartrescue.schema.CustomerProfile;
import io.cartrescue.schema.Decision;
import io.cartrescue.schema.ExperimentArm;
import io.cartrescue.schema.Intervention;
import io.cartrescue.schema.InterventionType;
import io.cartrescue.schema.LoyaltyTier;
import io.cartrescue.schema.NoticeKind;
import io.cartrescue.schema.Outcome;
import io.cartrescue.schema.PendingHold;
import io.cartrescue.schema.RecoveryReminder;
import io.cartrescue.schema.SessionNotice;
import io.cartrescue.schema.SignalType;
import io.cartrescue.schema.SignalValue;
import io.cartrescue.schema.StreamProgress;
import io.cartrescue.schema.Verdict;
import io.cartrescue.testing.Fixtures;
import io.cartrescue.testing.PlainAvroSerdes;
import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Properties;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TestOutputTopic;
import org.apache.kafka.streams.TopologyTestDriver;
import org.apache.kafka.streams.state.KeyValueStore;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class ArbitrationTopologyTest {
    private static final Policy DEFAULTS = PolicyLoader.defaults();
    private static final String CUSTOMER = Fixtures.customerIn(ExperimentArm.TREATMENT, DEFAULTS, "c");
    private static final String HOLDOUT_CUSTOMER = Fixtures.customerIn(ExperimentArm.HOLDOUT, DEFAULTS, "c");

    private final PlainAvroSerdes serdes = new PlainAvroSerdes();
    private TopologyTestDriver driver;
    private TestInputTopic<String, ArbitrationInput> input;
    private TestInputTopic<String, CustomerProfile> profiles;
    private TestInputTopic<String, ChatCapacity> chatCapacity;
    private TestOutputTopic<String, Decision> decisions;
    private TestOutputTopic<String, Intervention> onsite;
    private TestOutputTopic<String, Intervention> chat;
    private TestOutputTopic<String, Intervention> marketing;
    private TestOutputTopic<String, Outcome> outcomes;

    @AfterEach
    void close() {
        if (driver != null) {
            driver.close();
        }
    }

    @Test
    void heldOfferIsPublishedWhenTheHoldEndsOnTheWallClock() {
        // Given
        start(DEFAULTS, TimeMode.LIVE);
        pipe(candidate("cand-1", SignalType.PRICE_HESITATION, CUSTOMER, "s-1", T0).build());

        // When the hold has not ended, then when it has
        advance(Duration.ofSeconds(4));
        final boolean publishedEarly = !onsite.isEmpty() || !decisions.isEmpty();
        advance(Duration.ofSeconds(2));

        // Then
        assertThat(publishedEarly).isFalse();
        final Intervention discount = onsite.readValue();
        final Decision decision = decisions.readValue();
        assertThat(discount.getInterventionId()).isEqualTo(Ids.interventionId("cand-1", InterventionType.DISCOUNT));
        assertThat(discount.getSendAt()).isEqualTo(T0.plusSeconds(5));
        assertThat(decision.getVerdict()).isEqualTo(Verdict.EMITTED);
        assertThat(decision.getInterventionId()).isEqualTo(discount.getInterventionId());
        assertThat(pendingHolds().approximateNumEntries()).isZero();
        assertThat(ledger(CUSTOMER).getOpenAttributions()).singleElement()
                .satisfies(a -> assertThat(a.getWindowEndsAt()).isEqualTo(T0.plus(Duration.ofHours(24))));
    }

    @Test
    void orderPlacedWithinTheHoldMeansNoIntervention() {
        // Given an exit intent and, two seconds later, the order of the same session
        start(DEFAULTS, TimeMode.LIVE);
        pipe(candidate("cand-1", SignalType.EXIT_INTENT, CUSTOMER, "s-1", T0).build());
        advance(Duration.ofSeconds(2));
        pipe(order(CUSTOMER, "s-1", T0.plusSeconds(2), "80.00"));

        // When the hold would have ended long ago
        advance(Duration.ofMinutes(5));

        // Then
        assertThat(onsite.isEmpty()).isTrue();
        final Decision decision = decisions.readValue();
        assertThat(decision.getVerdict()).isEqualTo(Verdict.SUPPRESSED);
        assertThat(decision.getGuardrail()).isEqualTo("ORDER_PLACED");
        assertThat(decision.getInterventionType()).isEqualTo(InterventionType.DISCOUNT);
        assertThat(decision.getValues()).contains(new SignalValue("orderAt", T0.plusSeconds(2).toString()));
        assertThat(decisions.isEmpty()).isTrue();
        assertThat(outcomes.isEmpty()).isTrue();
        assertThat(pendingHolds().approximateNumEntries()).isZero();
    }

    @Test
    void guardrailsSuppressWithTheirReasonsInDecisions() {
        // Given a treated customer and the default policy
        start(DEFAULTS, TimeMode.LIVE);
        final CustomerProfile gold = profile(CUSTOMER, LoyaltyTier.GOLD, new Consent(true, false, true));
        profiles.pipeInput(CUSTOMER, gold, T0);

        // When: an offer; a second one 30 s later; a dismissal; a new session with a tiny cart; an order then a late candidate
        pipe(candidate("cand-1", SignalType.PRICE_HESITATION, CUSTOMER, "s-1", T0).build());
        pipe(candidate("cand-2", SignalType.SHIPPING_COST_SHOCK, CUSTOMER, "s-1", T0.plusSeconds(30)).build());
        advance(Duration.ofSeconds(10));
        final Intervention offered = onsite.readValue();
        pipe(notice(NoticeKind.INTERVENTION_DISMISSED, CUSTOMER, "s-1", T0.plusSeconds(40))
                .setInterventionId(offered.getInterventionId()).build());
        pipe(candidate("cand-3", SignalType.POLICY_CONCERN, CUSTOMER, "s-1", T0.plusSeconds(600)).build());
        pipe(candidate("cand-4", SignalType.ABANDONMENT, CUSTOMER, "s-2", T0.plusSeconds(4000))
                .setCart(cart("5.00")).build());
        pipe(order(CUSTOMER, "s-3", T0.plusSeconds(5000), "40.00"));
        pipe(candidate("cand-5", SignalType.EXIT_INTENT, CUSTOMER, "s-3", T0.plusSeconds(5001)).build());
        advance(Duration.ofSeconds(10));

        // Then
        final List<Decision> all = decisions.readValuesToList();
        assertThat(all).extracting(Decision::getCandidateId, Decision::getVerdict, Decision::getGuardrail).containsExactly(
                org.assertj.core.groups.Tuple.tuple("cand-2", Verdict.SUPPRESSED, "MIN_GAP"),
                org.assertj.core.groups.Tuple.tuple("cand-1", Verdict.EMITTED, null),
                org.assertj.core.groups.Tuple.tuple("cand-3", Verdict.SUPPRESSED, "DISMISSAL_LIMIT"),
                org.assertj.core.groups.Tuple.tuple("cand-4", Verdict.SUPPRESSED, "NO_ELIGIBLE_RUNG"),
                org.assertj.core.groups.Tuple.tuple("cand-5", Verdict.SUPPRESSED, "ORDER_PLACED"));
        assertThat(all.get(0).getValues()).contains(new SignalValue("gapSeconds", "30"), new SignalValue("minGapSeconds", "120"));
        assertThat(all.get(2).getExplanation()).contains("dismissed 1 offer(s)");
        assertThat(all.get(3).getValues()).contains(new SignalValue("rung1.cartValue", "5.00"),
                new SignalValue("rung1.minCartValue", "10.00"));
        assertThat(((io.cartrescue.schema.DiscountOffer) offered.getOffer()).getPercent()).isEqualTo(15);
        assertThat(onsite.isEmpty()).isTrue();
    }

    @Test
    void holdoutGetsNoInterventionButGetsAnOutcome() {
        // Given a customer in the holdout
        start(DEFAULTS, TimeMode.LIVE);
        pipe(candidate("cand-1", SignalType.PRICE_HESITATION, HOLDOUT_CUSTOMER, "s-1", T0).build());

        // When the hold and then the attribution window pass without an order
        advance(Duration.ofSeconds(6));
        final Decision decision = decisions.readValue();
        advance(Duration.ofHours(24));

        // Then
        assertThat(decision.getVerdict()).isEqualTo(Verdict.HOLDOUT);
        assertThat(decision.getExperimentArm()).isEqualTo(ExperimentArm.HOLDOUT);
        assertThat(decision.getInterventionId()).isEqualTo(Ids.interventionId("cand-1", InterventionType.DISCOUNT));
        assertThat(onsite.isEmpty() && chat.isEmpty() && marketing.isEmpty()).isTrue();
        final Outcome outcome = outcomes.readValue();
        assertThat(outcome.getDecisionId()).isEqualTo(decision.getDecisionId());
        assertThat(outcome.getExperimentArm()).isEqualTo(ExperimentArm.HOLDOUT);
        assertThat(outcome.getConverted()).isFalse();
        assertThat(outcome.getWindowEndsAt()).isEqualTo(T0.plus(Duration.ofHours(24)));
    }

    @Test
    void outcomesForTreatedAndHoldoutCustomersWhoOrder() {
        // Given one treated and one holdout customer with published (or withheld) decisions
        start(DEFAULTS, TimeMode.LIVE);
        pipe(candidate("cand-t", SignalType.PRICE_HESITATION, CUSTOMER, "s-t", T0).build());
        pipe(candidate("cand-h", SignalType.PRICE_HESITATION, HOLDOUT_CUSTOMER, "s-h", T0).build());
        advance(Duration.ofSeconds(6));

        // When both order within the window
        pipe(order(CUSTOMER, "s-t", T0.plusSeconds(300), "76.00"));
        pipe(order(HOLDOUT_CUSTOMER, "s-h", T0.plusSeconds(900), "80.00"));
        advance(Duration.ofHours(25));

        // Then each has exactly one converted outcome
        final List<KeyValue<String, Outcome>> all = outcomes.readKeyValuesToList();
        assertThat(all).hasSize(2);
        assertThat(all.get(0).key).isEqualTo(CUSTOMER);
        assertThat(all.get(0).value.getExperimentArm()).isEqualTo(ExperimentArm.TREATMENT);
        assertThat(all.get(0).value.getConverted()).isTrue();
        assertThat(all.get(0).value.getOrderValue()).isEqualTo(new BigDecimal("76.00"));
        assertThat(all.get(0).value.getTimeToConvertMillis()).isEqualTo(300_000L);
        assertThat(all.get(1).key).isEqualTo(HOLDOUT_CUSTOMER);
        assertThat(all.get(1).value.getExperimentArm()).isEqualTo(ExperimentArm.HOLDOUT);
        assertThat(all.get(1).value.getTimeToConvertMillis()).isEqualTo(900_000L);
        assertThat(ledger(CUSTOMER).getOpenAttributions()).isEmpty();
    }

    @Test
    void reminderInQuietHoursIsHeldAndReleasedAfterThemOnReplay() {
        // Given replay, and a session abandoned at 20:30 in Berlin
        start(DEFAULTS, TimeMode.REPLAY);
        final Instant abandonedAt = Instant.parse("2026-03-02T19:30:00Z");
        pipe(candidate("cand-1", SignalType.ABANDONMENT, CUSTOMER, "s-1", abandonedAt).build());

        // When session detection has got to 07:59 and then 08:00 in Berlin
        promise(0, 1, Instant.parse("2026-03-03T06:59:00Z"));
        final boolean releasedEarly = !marketing.isEmpty();
        promise(0, 1, Instant.parse("2026-03-03T07:00:00Z"));

        // Then
        assertThat(releasedEarly).isFalse();
        final Intervention reminder = marketing.readValue();
        assertThat(reminder.getType()).isEqualTo(InterventionType.RECOVERY_REMINDER);
        assertThat(reminder.getSendAt()).isEqualTo(Instant.parse("2026-03-03T07:00:00Z"));
        assertThat(reminder.getCreatedAt()).isEqualTo(abandonedAt);
        assertThat(((RecoveryReminder) reminder.getOffer()).getMedium()).isEqualTo("EMAIL");
        assertThat(decisions.readValue().getValues()).contains(new SignalValue("releaseAt", "2026-03-03T07:00:00Z"));
    }

    @Test
    void chatOfferFallsToTheNextRungWhenTheQueueHasNoAgents() {
        // Given the German queue reports no free agent
        start(DEFAULTS, TimeMode.LIVE);
        chatCapacity.pipeInput("chat-de", capacity("chat-de", 0), T0);

        // When a big cart meets two payment failures
        pipe(candidate("cand-1", SignalType.PAYMENT_FAILURES, CUSTOMER, "s-1", T0).setCart(cart("150.00")).build());
        advance(Duration.ofSeconds(6));

        // Then payment help is shown on site instead
        assertThat(chat.isEmpty()).isTrue();
        assertThat(onsite.readValue().getType()).isEqualTo(InterventionType.PAYMENT_HELP);
        assertThat(decisions.readValue().getValues()).contains(new SignalValue("rung1.availableAgents", "0"),
                new SignalValue("rung", "2"));
    }

    @Test
    void chatOfferGoesOutOnceTheQueueHasCapacityAgain() {
        // Given the queue had no agents and then reports three
        start(DEFAULTS, TimeMode.LIVE);
        chatCapacity.pipeInput("chat-de", capacity("chat-de", 0), T0);
        chatCapacity.pipeInput("chat-de", capacity("chat-de", 3), T0);

        // When
        pipe(candidate("cand-1", SignalType.PAYMENT_FAILURES, CUSTOMER, "s-1", T0).setCart(cart("150.00")).build());
        advance(Duration.ofSeconds(6));

        // Then
        final Intervention offer = chat.readValue();
        assertThat(offer.getChannel()).isEqualTo(Channel.CHAT);
        assertThat(((ChatOffer) offer.getOffer()).getQueue()).isEqualTo("chat-de");
    }

    @Test
    void discountCapHoldsAcrossTwoSessionsOfOneCustomer() {
        // Given a SILVER customer got a discount in a first session
        start(DEFAULTS, TimeMode.LIVE);
        profiles.pipeInput(CUSTOMER, profile(CUSTOMER, LoyaltyTier.SILVER, new Consent(true, false, true)), T0);
        pipe(candidate("cand-1", SignalType.PRICE_HESITATION, CUSTOMER, "s-1", T0).build());
        advance(Duration.ofSeconds(6));

        // When the customer hesitates again in a second session two hours later
        pipe(candidate("cand-2", SignalType.PRICE_HESITATION, CUSTOMER, "s-2", T0.plus(Duration.ofHours(2))).build());
        advance(Duration.ofSeconds(6));

        // Then the second session gets the loyalty reminder, not a second discount
        final List<Intervention> offers = onsite.readValuesToList();
        assertThat(offers).extracting(Intervention::getType)
                .containsExactly(InterventionType.DISCOUNT, InterventionType.LOYALTY_REMINDER);
        final Decision second = decisions.readValuesToList().get(1);
        assertThat(second.getValues()).contains(new SignalValue("rung1.discountsInPeriod", "1"));
        assertThat(second.getExplanation()).contains("already had 1 discount(s) in the last 30 days");
    }

    @Test
    void repeatAbandonerGetsNoDiscountInTheNextSession() {
        // Given a policy that stops discounts after one abandonment with a discount, and such a session
        start(PolicyLoader.fromYaml("""
                version: anti-gaming-1
                arbitration:
                  holdout: {percent: 0}
                  discount: {maxPerPeriod: 5, repeatAbandonerLimit: 1}
                """, "test"), TimeMode.LIVE);
        pipe(candidate("cand-1", SignalType.PRICE_HESITATION, CUSTOMER, "s-1", T0).build());
        advance(Duration.ofSeconds(6));
        pipe(notice(NoticeKind.SESSION_ENDED, CUSTOMER, "s-1", T0.plus(Duration.ofMinutes(30))).setCart(cart("80.00")).build());

        // When the customer comes back the next day and hesitates over the price again
        pipe(candidate("cand-2", SignalType.PRICE_HESITATION, CUSTOMER, "s-2", T0.plus(Duration.ofDays(1))).build());
        advance(Duration.ofSeconds(6));

        // Then
        final List<Decision> all = decisions.readValuesToList();
        assertThat(all.get(1).getValues()).contains(new SignalValue("rung1.discountAbandonments", "1"));
        assertThat(onsite.readValuesToList()).extracting(Intervention::getType)
                .containsExactly(InterventionType.DISCOUNT, InterventionType.FREE_SHIPPING_NOTICE);
        assertThat(ledger(CUSTOMER).getDiscountAbandonments()).singleElement()
                .satisfies(a -> assertThat(a.getSessionId()).isEqualTo("s-1"));
    }

    @Test
    void noMarketingWithoutConsent() {
        // Given the profile has no marketing consent
        start(DEFAULTS, TimeMode.LIVE);
        profiles.pipeInput(CUSTOMER, profile(CUSTOMER, LoyaltyTier.NONE, new Consent(false, false, true)), T0);

        // When the session is abandoned
        pipe(candidate("cand-1", SignalType.ABANDONMENT, CUSTOMER, "s-1", T0).build());
        advance(Duration.ofHours(2));

        // Then
        assertThat(marketing.isEmpty()).isTrue();
        final Decision decision = decisions.readValue();
        assertThat(decision.getGuardrail()).isEqualTo("NO_CONSENT");
        assertThat(decision.getValues()).contains(new SignalValue("rung1.marketingEmail", "false"));
    }

    @Test
    void deletedProfileFallsBackToTheSessionsConsent() {
        // Given a profile without consent that is then deleted (tombstone)
        start(DEFAULTS, TimeMode.LIVE);
        profiles.pipeInput(CUSTOMER, profile(CUSTOMER, LoyaltyTier.NONE, new Consent(false, false, false)), T0);
        profiles.pipeInput(CUSTOMER, null, T0);

        // When the session (whose storefront consent allows email) is abandoned
        pipe(candidate("cand-1", SignalType.ABANDONMENT, CUSTOMER, "s-1", T0).build());
        advance(Duration.ofHours(2));

        // Then
        assertThat(marketing.readValue().getType()).isEqualTo(InterventionType.RECOVERY_REMINDER);
    }

    @Test
    void sameInputTwiceGivesTheSameInterventionIds() {
        // Given
        final List<Candidate> candidates = List.of(
                candidate("cand-1", SignalType.PRICE_HESITATION, CUSTOMER, "s-1", T0).build(),
                candidate("cand-2", SignalType.ABANDONMENT, CUSTOMER, "s-1", T0.plusSeconds(1800)).build());

        // When the same input runs through two topologies, and once more through the second
        final List<String> first = interventionIds(candidates, false);
        final List<String> second = interventionIds(candidates, true);

        // Then
        assertThat(first).hasSize(2).containsExactlyElementsOf(second);
        assertThat(first.get(0)).isEqualTo(Ids.interventionId("cand-1", InterventionType.DISCOUNT));
    }

    @Test
    void replayReleasesHoldsOnStreamTimeNotOnTheWallClock() {
        // Given replay and a held offer
        start(DEFAULTS, TimeMode.REPLAY);
        pipe(candidate("cand-1", SignalType.PRICE_HESITATION, CUSTOMER, "s-1", T0).build());

        // When the wall clock moves but session detection does not, then it moves
        advance(Duration.ofMinutes(10));
        final boolean releasedByWallClock = !onsite.isEmpty();
        promise(0, 1, T0.plusSeconds(5));

        // Then
        assertThat(releasedByWallClock).isFalse();
        assertThat(onsite.readValue().getSendAt()).isEqualTo(T0.plusSeconds(5));
        assertThat(timers().get(timerKeyPrefix(T0.plusSeconds(5)))).isNull();
    }

    @Test
    void replayReleasesAHoldOnlyOnceEveryDetectionTaskHasPassedIt() {
        // Given replay with two detection tasks, and an offer held until T0 + 5 s
        start(DEFAULTS, TimeMode.REPLAY);
        pipe(candidate("cand-1", SignalType.PRICE_HESITATION, CUSTOMER, "s-1", T0).build());

        // When task 1 is far ahead, task 0 (the session's) then reports the order at T0 + 3 s and moves on
        promise(1, 2, T0.plus(Duration.ofHours(1)));
        final boolean releasedBeforeTask0 = !onsite.isEmpty();
        pipe(notice(NoticeKind.ORDER_PLACED, CUSTOMER, "s-1", T0.plusSeconds(3)).build());
        promise(0, 2, T0.plus(Duration.ofHours(1)));

        // Then the order cancels the held offer: nothing was published
        assertThat(releasedBeforeTask0).isFalse();
        assertThat(onsite.isEmpty()).isTrue();
        assertThat(decisions.readValuesToList()).extracting(Decision::getVerdict)
                .containsExactly(Verdict.SUPPRESSED);
    }

    @Test
    void replayDecidesTheSameWhateverOrderTheDetectionTasksDeliverIn() {
        // Given two sessions of one customer, on different detection tasks, each firing a signal
        final Candidate first = candidate("cand-1", SignalType.PRICE_HESITATION, CUSTOMER, "s-1", T0).build();
        final Candidate second = candidate("cand-2", SignalType.PRICE_HESITATION, CUSTOMER, "s-2", T0.plusSeconds(20)).build();
        final Instant end = T0.plus(Duration.ofHours(3));

        // When task 0's candidate arrives first, and when task 1's does
        start(DEFAULTS, TimeMode.REPLAY);
        pipe(first);
        pipe(second);
        promise(0, 2, end);
        promise(1, 2, end);
        final List<Decision> inOrder = decisions.readValuesToList();
        driver.close();
        start(DEFAULTS, TimeMode.REPLAY);
        pipe(second);
        promise(1, 2, end);
        pipe(first);
        promise(0, 2, end);
        final List<Decision> reversed = decisions.readValuesToList();

        // Then the decisions are the same, in the same order
        assertThat(inOrder).isNotEmpty();
        assertThat(reversed).isEqualTo(inOrder);
        assertThat(inOrder.get(0).getCandidateId()).isEqualTo("cand-1");
    }

    @Test
    void inputWhoseBodyBelongsToAnotherCustomerIsSentToTheDeadLetterTopic() {
        // Given
        start(DEFAULTS, TimeMode.LIVE);
        final Candidate candidate = candidate("cand-1", SignalType.PRICE_HESITATION, CUSTOMER, "s-1", T0).build();

        // When / Then
        assertThatThrownBy(() -> input.pipeInput("someone-else", new ArbitrationInput("someone-else", candidate), T0))
                .hasRootCauseInstanceOf(DeadLetterException.class)
                .rootCause().satisfies(e -> assertThat(((DeadLetterException) e).reason()).isEqualTo("key-mismatch"));
        assertThat(driver.<String, CustomerLedger>getKeyValueStore(ArbitrationStores.LEDGER).get(CUSTOMER)).isNull();
    }

    private List<String> interventionIds(final List<Candidate> candidates, final boolean twice) {
        close();
        start(DEFAULTS, TimeMode.LIVE);
        for (int i = 0; i < (twice ? 2 : 1); i++) {
            candidates.forEach(this::pipe);
        }
        advance(Duration.ofHours(2));
        final List<String> ids = new java.util.ArrayList<>(onsite.readValuesToList().stream().map(Intervention::getInterventionId).toList());
        ids.addAll(marketing.readValuesToList().stream().map(Intervention::getInterventionId).toList());
        return ids;
    }

    private void start(final Policy policy, final TimeMode timeMode) {
        final Properties props = new Properties();
        props.put(StreamsConfig.APPLICATION_ID_CONFIG, "arbitration-test");
        props.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, "unused:9092");
        driver = new TopologyTestDriver(ArbitrationTestTopology.build(policy, timeMode), props, T0);
        final TopicNames topics = ArbitrationTestTopology.TOPICS;
        input = driver.createInputTopic(ArbitrationTestTopology.INPUT, new StringSerializer(),
                serdes.valueSerde(ArbitrationInput.class).serializer());
        profiles = driver.createInputTopic(topics.profiles(), new StringSerializer(), serdes.valueSerde(CustomerProfile.class).serializer());
        chatCapacity = driver.createInputTopic(topics.chatCapacity(), new StringSerializer(), serdes.valueSerde(ChatCapacity.class).serializer());
        decisions = output(topics.decisions(), Decision.class);
        onsite = output(topics.onsiteInterventions(), Intervention.class);
        chat = output(topics.chatInterventions(), Intervention.class);
        marketing = output(topics.marketingInterventions(), Intervention.class);
        outcomes = output(topics.outcomes(), Outcome.class);
    }

    private <T extends SpecificRecord> TestOutputTopic<String, T> output(final String topic, final Class<T> type) {
        return driver.createOutputTopic(topic, new StringDeserializer(), serdes.valueSerde(type).deserializer());
    }

    private void pipe(final Candidate candidate) {
        input.pipeInput(candidate.getCustomerKey(), new ArbitrationInput(candidate.getCustomerKey(), candidate),
                candidate.getDetectedAt());
    }

    private void pipe(final SessionNotice notice) {
        input.pipeInput(notice.getCustomerKey(), new ArbitrationInput(notice.getCustomerKey(), notice), notice.getAt());
    }

    /** A detection task's stream-time progress, as every arbitration partition receives it. */
    private void promise(final int partition, final int partitions, final Instant upTo) {
        input.pipeInput("", new ArbitrationInput("", new StreamProgress(partition, partitions, upTo)), upTo);
    }

    private void advance(final Duration duration) {
        driver.advanceWallClockTime(duration);
    }

    private CustomerLedger ledger(final String customerKey) {
        return driver.<String, CustomerLedger>getKeyValueStore(ArbitrationStores.LEDGER).get(customerKey);
    }

    private KeyValueStore<String, PendingHold> pendingHolds() {
        return driver.getKeyValueStore(ArbitrationStores.PENDING_HOLDS);
    }

    private KeyValueStore<String, ArbitrationTimer> timers() {
        return driver.getKeyValueStore(ArbitrationStores.TIMERS);
    }

    private static String timerKeyPrefix(final Instant due) {
        return String.format("%015d", due.toEpochMilli());
    }
}
