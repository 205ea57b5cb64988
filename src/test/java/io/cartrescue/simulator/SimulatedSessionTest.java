package io.cartrescue.simulator;

import static io.cartrescue.simulator.Played.START;
import static io.cartrescue.simulator.Played.all;
import static io.cartrescue.simulator.Played.indexOf;
import static io.cartrescue.simulator.Played.millis;
import static io.cartrescue.simulator.Played.session;
import static io.cartrescue.simulator.Played.withoutPings;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.cartrescue.schema.CartSnapshot;
import io.cartrescue.schema.Channel;
import io.cartrescue.schema.ChatOffer;
import io.cartrescue.schema.EventType;
import io.cartrescue.schema.ExperimentArm;
import io.cartrescue.schema.Intervention;
import io.cartrescue.schema.InterventionType;
import io.cartrescue.schema.StorefrontEvent;
import java.io.IOException;
import java.math.BigDecimal;
import java.nio.ByteBuffer;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class SimulatedSessionTest {

    @ParameterizedTest
    @EnumSource(ShopperArchetype.class)
    void sameSeedGivesTheSameEvents(final ShopperArchetype archetype) {
        // When
        final List<StorefrontEvent> first = session(archetype, 2026);
        final List<StorefrontEvent> second = session(archetype, 2026);
        final List<StorefrontEvent> otherSeed = session(archetype, 2027);

        // Then
        assertThat(second).isEqualTo(first);
        assertThat(otherSeed.get(0).getEventId()).isNotEqualTo(first.get(0).getEventId());
    }

    @ParameterizedTest
    @EnumSource(ShopperArchetype.class)
    void eventsStartAtTheArrivalAndNeverGoBackInTime(final ShopperArchetype archetype) {
        for (long seed = 0; seed < 100; seed++) {
            // Given
            final SimulatedSession session = SimulatedSession.start(archetype, START, seed);
            long previous = session.nextEventTime();

            // When / Then
            assertThat(previous).isEqualTo(START.toEpochMilli());
            while (session.hasNext()) {
                final long announced = session.nextEventTime();
                final StorefrontEvent event = session.next();
                assertThat(millis(event)).isEqualTo(announced).isGreaterThanOrEqualTo(previous);
                previous = millis(event);
            }
            assertThat(session.nextEventTime()).isEqualTo(Long.MAX_VALUE);
            assertThat(session.endTime()).isGreaterThanOrEqualTo(previous);
        }
    }

    @ParameterizedTest
    @EnumSource(ShopperArchetype.class)
    void cartSnapshotsAddUpTheAddsAndRemovals(final ShopperArchetype archetype) {
        for (long seed = 0; seed < 200; seed++) {
            // Given
            final Map<String, Integer> quantities = new HashMap<>();
            final Map<String, BigDecimal> prices = new HashMap<>();

            // When
            for (final StorefrontEvent event : session(archetype, seed)) {
                final int sign = event.getEventType() == EventType.PRODUCT_ADDED ? 1
                        : event.getEventType() == EventType.PRODUCT_REMOVED ? -1 : 0;
                if (sign != 0) {
                    quantities.merge(event.getProduct().getProductId(), sign * event.getProduct().getQuantity(),
                            Integer::sum);
                    prices.put(event.getProduct().getProductId(), event.getProduct().getPrice());
                }

                // Then
                final CartSnapshot cart = event.getCart();
                if (cart != null) {
                    final BigDecimal expected = quantities.entrySet().stream()
                            .map(q -> prices.get(q.getKey()).multiply(BigDecimal.valueOf(q.getValue())))
                            .reduce(BigDecimal.ZERO, BigDecimal::add);
                    assertThat(cart.getValue()).isEqualByComparingTo(expected);
                    assertThat(cart.getValue().scale()).isEqualTo(2);
                    assertThat(cart.getItemCount()).isEqualTo(quantities.values().stream().mapToInt(i -> i).sum());
                    assertThat(cart.getCurrency()).isEqualTo("EUR");
                }
                assertThat(quantities.values()).allSatisfy(q -> assertThat(q).isNotNegative());
                if (event.getEventType() == EventType.ORDER_COMPLETED) {
                    quantities.clear();
                }
            }
        }
    }

    @ParameterizedTest
    @EnumSource(ShopperArchetype.class)
    void everyEventIsValidAvroAndSurvivesARoundTrip(final ShopperArchetype archetype) throws IOException {
        for (long seed = 0; seed < 50; seed++) {
            for (final StorefrontEvent event : session(archetype, seed)) {
                // When
                final ByteBuffer bytes = StorefrontEvent.getEncoder().encode(event);

                // Then
                assertThat(StorefrontEvent.getDecoder().decode(bytes)).isEqualTo(event);
            }
        }
    }

    @Test
    void orderTotalIsTheCartPlusTheDeliveryCostShown() {
        for (long seed = 0; seed < 300; seed++) {
            // Given
            final List<StorefrontEvent> events = session(ShopperArchetype.BUYER, seed);
            final BigDecimal shipping = events.stream()
                    .filter(e -> e.getEventType() == EventType.CHECKOUT_STEP_VIEWED && e.getCheckout().getStep() == 3)
                    .map(e -> e.getCheckout().getShippingCost()).reduce((a, b) -> b).orElseThrow();

            // When
            final StorefrontEvent order = events.stream()
                    .filter(e -> e.getEventType() == EventType.ORDER_COMPLETED).findFirst().orElseThrow();

            // Then
            final BigDecimal cart = order.getCart().getValue();
            assertThat(order.getOrder().getTotal()).isEqualTo(cart.add(shipping));
            assertThat(order.getOrder().getTotal().scale()).isEqualTo(2);
            assertThat(order.getOrder().getCurrency()).isEqualTo("EUR");
            assertThat(order.getOrder().getOrderId()).startsWith("O-");
            if (cart.compareTo(new BigDecimal("50.00")) >= 0 && !shipping.equals(new BigDecimal("29.95"))) {
                assertThat(shipping).isEqualTo(new BigDecimal("0.00"));
            }
        }
    }

    @Test
    void pagePingsBeatEvery15SecondsWhileTheShopperStaysOnAPage() {
        // Given
        final List<StorefrontEvent> events = session(ShopperArchetype.STALLED_STEP, 3);

        // When
        StorefrontEvent previous = events.get(0);
        for (final StorefrontEvent event : events.subList(1, events.size())) {
            final long gap = millis(event) - millis(previous);

            // Then
            assertThat(gap).isLessThanOrEqualTo(SimulatedSession.PING_INTERVAL_MILLIS);
            if (event.getEventType() == EventType.PAGE_PING) {
                assertThat(gap).isEqualTo(SimulatedSession.PING_INTERVAL_MILLIS);
                assertThat(event.getPage()).isEqualTo(previous.getPage());
            }
            previous = event;
        }
    }

    @Test
    void paymentTroubleAcceptsPaymentHelpAfterItWasShown() {
        // Given
        final SimulatedSession session = playUntil(ShopperArchetype.PAYMENT_TROUBLE, 5, EventType.PAYMENT_FAILED);
        final long failedAt = session.nextEventTime();
        final Intervention help = intervention(session, "iv-1", InterventionType.PAYMENT_HELP, Channel.ONSITE,
                Instant.ofEpochMilli(failedAt));

        // When
        final Optional<StorefrontEvent> answer = session.answer(help);

        // Then
        assertThat(answer).hasValueSatisfying(event -> {
            assertThat(event.getEventType()).isEqualTo(EventType.INTERVENTION_ACCEPTED);
            assertThat(event.getInterventionId()).isEqualTo("iv-1");
            assertThat(event.getSessionId()).isEqualTo(session.sessionId());
            assertThat(millis(event)).isBetween(failedAt + 2_000, failedAt + 12_000);
            assertThat(session.nextEventTime()).isGreaterThanOrEqualTo(millis(event));
        });
        assertThat(session.answer(help)).as("a second answer to the same intervention").isEmpty();
    }

    @Test
    void dismisserDismissesEvenTheHelpItNeeds() {
        // Given
        final SimulatedSession session = playUntil(ShopperArchetype.DISMISSER, 9, EventType.PAYMENT_FAILED);
        final Intervention help = intervention(session, "iv-2", InterventionType.PAYMENT_HELP, Channel.CHAT,
                Instant.ofEpochMilli(session.nextEventTime()));

        // When
        final Optional<StorefrontEvent> answer = session.answer(help);

        // Then
        assertThat(answer).map(StorefrontEvent::getEventType).contains(EventType.INTERVENTION_DISMISSED);
    }

    @Test
    void shoppersWhoDoNotHesitateIgnoreInterventionsAndMarketingIsNotAnsweredInSession() {
        // Given
        final SimulatedSession buyer = playUntil(ShopperArchetype.BUYER, 1, EventType.PRODUCT_ADDED);
        final SimulatedSession abandoner = playUntil(ShopperArchetype.ABANDONER, 1, EventType.PRODUCT_VIEWED);
        final Instant now = Instant.ofEpochMilli(buyer.nextEventTime());

        // When / Then
        assertThat(buyer.answer(intervention(buyer, "iv-3", InterventionType.DISCOUNT, Channel.ONSITE, now))).isEmpty();
        assertThat(abandoner.answer(intervention(abandoner, "iv-4", InterventionType.RECOVERY_REMINDER,
                Channel.MARKETING, now))).isEmpty();
    }

    @Test
    void answeringDoesNotChangeWhatTheShopperDoesNext() {
        // Given
        final List<StorefrontEvent> unanswered = session(ShopperArchetype.PAYMENT_TROUBLE, 11);
        final List<StorefrontEvent> expected = unanswered.subList(
                indexOf(unanswered, EventType.PAYMENT_FAILED) + 1, unanswered.size());
        final SimulatedSession session = playUntil(ShopperArchetype.PAYMENT_TROUBLE, 11, EventType.PAYMENT_FAILED);

        // When
        final Optional<StorefrontEvent> answer = session.answer(intervention(session, "iv-5",
                InterventionType.CHAT_OFFER, Channel.CHAT, Instant.ofEpochMilli(session.nextEventTime())));
        final List<StorefrontEvent> rest = all(session);

        // Then
        assertThat(answer).isPresent();
        assertThat(actions(rest)).isEqualTo(actions(expected));
        assertThat(millis(rest.get(0))).isGreaterThanOrEqualTo(millis(answer.get()));
    }

    @Test
    void anInterventionForAnotherSessionIsRejected() {
        // Given
        final SimulatedSession session = playUntil(ShopperArchetype.STALLED_STEP, 1, EventType.CART_VIEWED);
        final Intervention other = intervention(session, "iv-6", InterventionType.CHAT_OFFER, Channel.CHAT, START);
        other.setSessionId("another-session");

        // When / Then
        assertThatThrownBy(() -> session.answer(other)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("another-session");
    }

    @Test
    void aboutHalfTheShoppersAreSignedInAndLocalesMatchTheirTimeZones() {
        // Given
        final Map<String, Set<String>> zones = Map.of(
                "de-DE", Set.of("Europe/Berlin"), "en-GB", Set.of("Europe/London"), "fr-FR", Set.of("Europe/Paris"),
                "en-US", Set.of("America/New_York", "America/Chicago", "America/Denver", "America/Los_Angeles"));
        int signedIn = 0;
        final int sessions = 2_000;

        // When
        for (long seed = 0; seed < sessions; seed++) {
            final SimulatedSession session = SimulatedSession.start(ShopperArchetype.BROWSER, START, seed);
            final StorefrontEvent first = session.next();
            signedIn += session.customerId().isPresent() ? 1 : 0;

            // Then
            assertThat(zones).containsKey(first.getDevice().getLocale());
            assertThat(zones.get(first.getDevice().getLocale())).contains(first.getDevice().getTimeZone());
            assertThat(first.getDevice().getType().name()).isIn("DESKTOP", "MOBILE");
        }
        assertThat(signedIn).isBetween(sessions * 42 / 100, sessions * 58 / 100);
    }

    /** What the shopper did, without the heartbeats, ids and times. */
    private static List<String> actions(final List<StorefrontEvent> events) {
        return withoutPings(events).stream()
                .map(e -> e.getEventType() + " " + e.getPage().getUrl() + " " + e.getProduct() + " " + e.getCart()
                        + " " + e.getCheckout() + " " + e.getError())
                .toList();
    }

    /** A session played up to and including its first event of the given type. */
    private static SimulatedSession playUntil(final ShopperArchetype archetype, final long seed, final EventType type) {
        final SimulatedSession session = SimulatedSession.start(archetype, START, seed);
        while (session.hasNext()) {
            if (session.next().getEventType() == type) {
                return session;
            }
        }
        throw new AssertionError(archetype + " with seed " + seed + " has no " + type);
    }

    private static Intervention intervention(final SimulatedSession session, final String id,
                                             final InterventionType type, final Channel channel,
                                             final Instant createdAt) {
        return Intervention.newBuilder()
                .setInterventionId(id)
                .setType(type)
                .setChannel(channel)
                .setSessionId(session.sessionId())
                .setCustomerKey(session.customerId().orElse("anon:" + session.anonymousId()))
                .setCustomerId(session.customerId().orElse(null))
                .setCreatedAt(createdAt)
                .setExpiresAt(createdAt.plusSeconds(600))
                .setSendAt(createdAt)
                .setReasons(List.of())
                .setOffer(new ChatOffer("chat-en", "test", null, 0, null))
                .setPolicyVersion("test")
                .setExperimentArm(ExperimentArm.TREATMENT)
                .build();
    }
}
