package io.cartrescue.replay;

import static org.assertj.core.api.Assertions.assertThat;

import io.cartrescue.schema.EventType;
import io.cartrescue.schema.StorefrontEvent;
import io.cartrescue.simulator.StorefrontSimulator;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** The funnel counts what a map from session to the stages it reached counts. */
class FunnelTest {
    @Test
    void simulatedSessionsCountAsInAMap() {
        final StorefrontSimulator simulator = StorefrontSimulator.builder(1).start(Instant.parse("2026-01-05T09:00:00Z")).build();
        final List<StorefrontEvent> events = new ArrayList<>();
        for (int i = 0; i < 100_000; i++) {
            events.add(simulator.next());
        }
        sameAsMap(events);
    }

    @Test
    void sessionsWithTheSameHashOrNoIdCountApart() {
        // Given: ids made of "Aa" and "BB", which all have the same hash, and events with no session id
        final Random random = new Random(2);
        final EventType[] types = EventType.values();
        final List<StorefrontEvent> events = new ArrayList<>();
        for (int i = 0; i < 20_000; i++) {
            final StringBuilder id = new StringBuilder();
            for (int n = 0; n < 6; n++) {
                id.append(random.nextBoolean() ? "Aa" : "BB");
            }
            events.add(event(random.nextInt(50) == 0 ? null : id.toString(), types[random.nextInt(types.length)]));
            events.add(event("s" + random.nextInt(5_000), types[random.nextInt(types.length)]));
        }
        sameAsMap(events);
    }

    @Test
    void eventsOfOneSessionComeOutSharingTheFirstIdObjectSeen() {
        // Given: three events of one session, each with its own (equal) id object, and one of another
        final String first = new String("session-1");
        final StorefrontEvent a = event(first, EventType.PAGE_VIEWED);
        final StorefrontEvent b = event(new String("session-1"), EventType.PRODUCT_ADDED);
        final StorefrontEvent c = event(new String("session-1"), EventType.ORDER_COMPLETED);
        final StorefrontEvent other = event(new String("session-2"), EventType.PAGE_VIEWED);
        final Funnel funnel = new Funnel();
        // When
        List.of(a, b, c, other).forEach(funnel::accept);
        // Then: the same id, now one object; the other session keeps its own
        assertThat(b.getSessionId()).isSameAs(first);
        assertThat(c.getSessionId()).isSameAs(first);
        assertThat(other.getSessionId()).isEqualTo("session-2");
        assertThat(funnel.sessions()).isEqualTo(2);
    }

    private static StorefrontEvent event(final String session, final EventType type) {
        final StorefrontEvent event = new StorefrontEvent();
        event.setSessionId(session);
        event.setEventType(type);
        return event;
    }

    private static void sameAsMap(final List<StorefrontEvent> events) {
        final Funnel funnel = new Funnel();
        final Map<String, Integer> reached = new HashMap<>();
        for (final StorefrontEvent event : events) {
            funnel.accept(event);
            final int stage = switch (event.getEventType()) {
                case PRODUCT_VIEWED -> 1;
                case PRODUCT_ADDED -> 2;
                case CHECKOUT_STARTED, CHECKOUT_STEP_VIEWED, CHECKOUT_STEP_COMPLETED -> 3;
                case PAYMENT_INFO_ENTERED, PAYMENT_FAILED -> 4;
                case ORDER_COMPLETED -> 5;
                default -> 0;
            };
            reached.merge(event.getSessionId(), 1 | 1 << stage, (a, b) -> a | b);
        }
        final List<Funnel.Stage> expected = new ArrayList<>();
        for (int stage = 0; stage < Funnel.STAGES.length; stage++) {
            final int bit = 1 << stage;
            expected.add(new Funnel.Stage(Funnel.STAGES[stage], reached.values().stream().filter(r -> (r & bit) != 0).count()));
        }
        assertThat(funnel.sessions()).isEqualTo(reached.size());
        assertThat(funnel.stages()).isEqualTo(expected);
    }
}
