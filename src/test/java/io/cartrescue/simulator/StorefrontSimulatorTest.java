package io.cartrescue.simulator;

import static io.cartrescue.simulator.Played.START;
import static io.cartrescue.simulator.Played.all;
import static io.cartrescue.simulator.Played.millis;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.cartrescue.schema.Channel;
import io.cartrescue.schema.EventType;
import io.cartrescue.schema.ExperimentArm;
import io.cartrescue.schema.Intervention;
import io.cartrescue.schema.InterventionType;
import io.cartrescue.schema.PaymentHelp;
import io.cartrescue.schema.StorefrontEvent;
import java.time.Duration;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

class StorefrontSimulatorTest {

    @Test
    void sameSeedGivesTheSameStream() {
        // Given
        final StorefrontSimulator first = StorefrontSimulator.builder(99).concurrentSessions(200).build();
        final StorefrontSimulator second = StorefrontSimulator.builder(99).concurrentSessions(200).build();
        final StorefrontSimulator other = StorefrontSimulator.builder(100).concurrentSessions(200).build();

        // When
        final List<StorefrontEvent> a = first.stream().limit(20_000).toList();
        final List<StorefrontEvent> b = second.stream().limit(20_000).toList();
        final List<StorefrontEvent> c = other.stream().limit(20_000).toList();

        // Then
        assertThat(b).isEqualTo(a);
        assertThat(c.get(0)).isNotEqualTo(a.get(0));
    }

    @Test
    void mergedStreamIsInEventTimeOrderWithUniqueIds() {
        // Given
        final StorefrontSimulator simulator = StorefrontSimulator.builder(1).start(START).concurrentSessions(500).build();

        // When
        final List<StorefrontEvent> events = simulator.stream().limit(50_000).toList();

        // Then
        assertThat(millis(events.get(0))).isBetween(START.toEpochMilli(), START.toEpochMilli() + 60_000);
        for (int i = 1; i < events.size(); i++) {
            assertThat(millis(events.get(i))).isGreaterThanOrEqualTo(millis(events.get(i - 1)));
        }
        assertThat(events).extracting(StorefrontEvent::getEventId).doesNotHaveDuplicates();
        assertThat(events.stream().map(StorefrontEvent::getSessionId).distinct().count()).isGreaterThan(500);
    }

    @Test
    void sessionsAreCreatedOnArrivalAndDroppedWhenTheyEnd() {
        // Given
        final StorefrontSimulator simulator = StorefrontSimulator.builder(2).concurrentSessions(300).build();

        // When
        int mostLive = 0;
        for (int i = 0; i < 200_000; i++) {
            simulator.next();
            mostLive = Math.max(mostLive, simulator.liveSessions());
        }

        // Then
        assertThat(mostLive).isEqualTo(300);
        assertThat(simulator.sessionsStarted()).isGreaterThan(3_000);
    }

    @Test
    void streamEndsAfterTheLastOfMaxSessionsHasLeft() {
        // Given
        final StorefrontSimulator simulator = StorefrontSimulator.builder(3).concurrentSessions(50).maxSessions(400)
                .build();

        // When
        final List<StorefrontEvent> events = all(simulator);

        // Then
        assertThat(simulator.hasNext()).isFalse();
        assertThat(simulator.sessionsStarted()).isEqualTo(400);
        assertThat(simulator.liveSessions()).isZero();
        assertThat(simulator.nextDueTime()).isEqualTo(Long.MAX_VALUE);
        assertThat(events.stream().map(StorefrontEvent::getSessionId).distinct().count()).isEqualTo(400);
        assertThatThrownBy(simulator::next).isInstanceOf(java.util.NoSuchElementException.class);
    }

    @Test
    void arrivalRateSetsHowManyShoppersArrivePerSimulatedSecond() {
        // Given
        final StorefrontSimulator simulator = StorefrontSimulator.builder(4).start(START).arrivalsPerSecond(5).build();

        // When
        StorefrontEvent event = simulator.next();
        while (millis(event) < START.toEpochMilli() + 600_000) {
            event = simulator.next();
        }

        // Then
        assertThat(simulator.sessionsStarted()).isBetween(2_750L, 3_250L);
    }

    @Test
    void defaultMixIsMostlyBrowsersAndBuyersWithAboutThirtyPercentHesitating() {
        // Given
        final Map<ShopperArchetype, Integer> arrivals = new EnumMap<>(ShopperArchetype.class);
        final StorefrontSimulator simulator = StorefrontSimulator.builder(5).concurrentSessions(1_000)
                .maxSessions(10_000).onArrival(session -> arrivals.merge(session.archetype(), 1, Integer::sum)).build();

        // When
        simulator.forEachRemaining(event -> { });

        // Then
        final int hesitating = arrivals.entrySet().stream().filter(e -> e.getKey().hesitates())
                .mapToInt(Map.Entry::getValue).sum();
        assertThat(arrivals.keySet()).containsExactlyInAnyOrder(ShopperArchetype.values());
        assertThat(hesitating).isBetween(2_800, 3_200);
        assertThat(arrivals.get(ShopperArchetype.BROWSER)).isBetween(4_300, 4_700);
        assertThat(arrivals.get(ShopperArchetype.BUYER)).isBetween(2_300, 2_700);
    }

    @Test
    void injectedDuplicatesRepeatAnEventIdOnceWithTheSameContentWithinTheLateness() {
        // Given
        final Duration lateness = Duration.ofSeconds(5);
        final StorefrontSimulator simulator = StorefrontSimulator.builder(6).concurrentSessions(200)
                .duplicateFraction(0.05).maxLateness(lateness).build();

        // When
        final List<StorefrontEvent> events = simulator.stream().limit(50_000).toList();

        // Then
        final Map<String, List<StorefrontEvent>> byId = events.stream()
                .collect(Collectors.groupingBy(StorefrontEvent::getEventId));
        final List<List<StorefrontEvent>> repeated = byId.values().stream().filter(l -> l.size() > 1).toList();
        assertThat(repeated).allSatisfy(copies -> {
            assertThat(copies).hasSize(2);
            assertThat(copies.get(1)).isEqualTo(copies.get(0)).isNotSameAs(copies.get(0));
        });
        assertThat(repeated.size()).isBetween(2_000, 3_000);
        assertLatenessAtMost(events, lateness);
    }

    @Test
    void injectedLateEventsArriveAfterLaterOnesButWithinTheLateness() {
        // Given
        final Duration lateness = Duration.ofSeconds(8);
        final StorefrontSimulator simulator = StorefrontSimulator.builder(7).concurrentSessions(500)
                .outOfOrderFraction(0.02).maxLateness(lateness).build();

        // When
        final List<StorefrontEvent> events = simulator.stream().limit(50_000).toList();

        // Then
        long latest = Long.MIN_VALUE;
        int late = 0;
        for (final StorefrontEvent event : events) {
            late += millis(event) < latest ? 1 : 0;
            latest = Math.max(latest, millis(event));
        }
        assertThat(late).isBetween(800, 1_200);
        assertLatenessAtMost(events, lateness);
        assertThat(events).extracting(StorefrontEvent::getEventId).doesNotHaveDuplicates();
    }

    @Test
    void injectingFaultsDoesNotChangeTheSessionsThemselves() {
        // Given
        final StorefrontSimulator clean = StorefrontSimulator.builder(8).concurrentSessions(100).maxSessions(500).build();
        final StorefrontSimulator faulty = StorefrontSimulator.builder(8).concurrentSessions(100).maxSessions(500)
                .duplicateFraction(0.1).outOfOrderFraction(0.1).build();

        // When
        final List<StorefrontEvent> expected = all(clean);
        final List<StorefrontEvent> received = all(faulty);

        // Then
        final Set<StorefrontEvent> distinct = new HashSet<>(received);
        assertThat(distinct).hasSameSizeAs(expected).isEqualTo(new HashSet<>(expected));
        assertThat(received.size()).isGreaterThan(expected.size());
    }

    @Test
    void simulatorRoutesAnAnswerToTheLiveSessionItIsFor() {
        // Given
        final Map<String, ShopperArchetype> archetypes = new HashMap<>();
        final StorefrontSimulator simulator = StorefrontSimulator.builder(9)
                .mix(ShopperMix.only(ShopperArchetype.PAYMENT_TROUBLE)).concurrentSessions(20)
                .onArrival(session -> archetypes.put(session.sessionId(), session.archetype())).build();
        final StorefrontEvent failure = simulator.stream()
                .filter(e -> e.getEventType() == EventType.PAYMENT_FAILED).findFirst().orElseThrow();
        final Intervention help = Intervention.newBuilder()
                .setInterventionId("iv-sim").setType(InterventionType.PAYMENT_HELP).setChannel(Channel.ONSITE)
                .setSessionId(failure.getSessionId()).setCustomerKey("anon:" + failure.getAnonymousId())
                .setCreatedAt(failure.getEventTime()).setExpiresAt(failure.getEventTime().plusSeconds(300))
                .setSendAt(failure.getEventTime()).setReasons(List.of())
                .setOffer(new PaymentHelp(List.of("paypal"), "card_declined")).setPolicyVersion("test")
                .setExperimentArm(ExperimentArm.TREATMENT).build();

        // When
        final Optional<StorefrontEvent> answer = simulator.answer(help);
        final Intervention unknown = Intervention.newBuilder(help).setSessionId("no-such-session").build();

        // Then
        assertThat(archetypes).containsEntry(failure.getSessionId(), ShopperArchetype.PAYMENT_TROUBLE);
        assertThat(answer).map(StorefrontEvent::getEventType).contains(EventType.INTERVENTION_ACCEPTED);
        assertThat(simulator.answer(unknown)).isEmpty();
        assertThat(simulator.stream().limit(2_000).filter(e -> e.getSessionId().equals(failure.getSessionId())))
                .allSatisfy(e -> assertThat(e.getEventTime()).isAfterOrEqualTo(answer.get().getEventTime()));
    }

    @Test
    void nextDueTimeTellsAPublisherWhenToSendTheNextEvent() {
        // Given
        final StorefrontSimulator simulator = StorefrontSimulator.builder(10).concurrentSessions(10).build();

        // When / Then
        for (int i = 0; i < 1_000; i++) {
            final long due = simulator.nextDueTime();
            assertThat(millis(simulator.next())).isEqualTo(due);
        }
    }

    @Test
    void invalidSettingsAreRejected() {
        assertThatThrownBy(() -> StorefrontSimulator.builder(1).duplicateFraction(1.5))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("duplicate");
        assertThatThrownBy(() -> StorefrontSimulator.builder(1).outOfOrderFraction(-0.1))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("out-of-order");
        assertThatThrownBy(() -> StorefrontSimulator.builder(1).concurrentSessions(0))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> StorefrontSimulator.builder(1).arrivalsPerSecond(Double.NaN))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> StorefrontSimulator.builder(1).maxLateness(Duration.ZERO))
                .isInstanceOf(IllegalArgumentException.class);
    }

    /** No event is further behind the latest event time sent before it than the lateness. */
    private static void assertLatenessAtMost(final List<StorefrontEvent> events, final Duration lateness) {
        long latest = millis(events.get(0));
        for (final StorefrontEvent event : events) {
            assertThat(latest - millis(event)).isLessThanOrEqualTo(lateness.toMillis());
            latest = Math.max(latest, millis(event));
        }
    }
}
