package io.cartrescue.bench;

import io.cartrescue.schema.StorefrontEvent;
import io.cartrescue.simulator.StorefrontSimulator;
import java.time.Instant;
import java.util.function.Consumer;

/**
 * The benchmarks' input: the storefront simulator's default mix of shoppers with many sessions open
 * at once, always from the same seed, so every run and every section sees the same events.
 */
public final class SimulatedEvents {
    /** Seed of every simulated storefront of the benchmarks. */
    public static final long SEED = 20_261_122L;

    private SimulatedEvents() {
    }

    /** A storefront with about {@code concurrentSessions} shoppers on the site at once. */
    public static StorefrontSimulator storefront(final int concurrentSessions) {
        return StorefrontSimulator.builder(SEED).concurrentSessions(concurrentSessions).build();
    }

    /**
     * Passes the first {@code count} events to {@code sink}, their event times moved so that the
     * last one is at {@code end} (the default start of the simulator lies far from the wall clock).
     */
    public static void endingAt(final int count, final int concurrentSessions, final Instant end,
                                final Consumer<StorefrontEvent> sink) {
        final StorefrontSimulator first = storefront(concurrentSessions);
        long last = 0;
        for (int i = 0; i < count; i++) {
            last = Math.max(last, first.next().getEventTime().toEpochMilli());
        }
        final long shift = end.toEpochMilli() - last;
        final StorefrontSimulator events = storefront(concurrentSessions);
        for (int i = 0; i < count; i++) {
            final StorefrontEvent event = events.next();
            event.setEventTime(Instant.ofEpochMilli(event.getEventTime().toEpochMilli() + shift));
            sink.accept(event);
        }
    }
}
