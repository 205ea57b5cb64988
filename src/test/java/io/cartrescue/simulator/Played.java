package io.cartrescue.simulator;

import io.cartrescue.schema.EventType;
import io.cartrescue.schema.StorefrontEvent;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.stream.Collectors;

/** Test helper: plays sessions to the end and looks at what they emitted. */
final class Played {

    static final Instant START = Instant.parse("2026-01-05T09:00:00Z");

    private Played() {
    }

    static List<StorefrontEvent> session(final ShopperArchetype archetype, final long seed) {
        return all(SimulatedSession.start(archetype, START, seed));
    }

    static List<StorefrontEvent> all(final Iterator<StorefrontEvent> events) {
        final List<StorefrontEvent> played = new ArrayList<>();
        events.forEachRemaining(played::add);
        return played;
    }

    static List<EventType> types(final List<StorefrontEvent> events) {
        return events.stream().map(StorefrontEvent::getEventType).collect(Collectors.toList());
    }

    static long count(final List<StorefrontEvent> events, final EventType type) {
        return events.stream().filter(e -> e.getEventType() == type).count();
    }

    static int indexOf(final List<StorefrontEvent> events, final EventType type) {
        for (int i = 0; i < events.size(); i++) {
            if (events.get(i).getEventType() == type) {
                return i;
            }
        }
        return -1;
    }

    static List<StorefrontEvent> withoutPings(final List<StorefrontEvent> events) {
        return events.stream().filter(e -> e.getEventType() != EventType.PAGE_PING).collect(Collectors.toList());
    }

    static long millis(final StorefrontEvent event) {
        return event.getEventTime().toEpochMilli();
    }
}
