package io.cartrescue.simulator;

import io.cartrescue.schema.Intervention;
import io.cartrescue.schema.StorefrontEvent;
import java.time.Duration;
import java.time.Instant;
import java.util.Comparator;
import java.util.HashMap;
import java.util.Iterator;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Objects;
import java.util.Optional;
import java.util.PriorityQueue;
import java.util.SplittableRandom;
import java.util.Spliterator;
import java.util.Spliterators;
import java.util.function.Consumer;
import java.util.stream.Stream;
import java.util.stream.StreamSupport;

/**
 * A storefront full of simulated shoppers, as one stream of events in event-time order.
 *
 * <p>The demo publishes this stream in real time and the benchmark as fast as it can; both need the
 * same thing: many overlapping sessions of a known {@link ShopperMix}, reproducible from a seed.
 * Sessions are created when their shopper arrives and dropped when the shopper leaves, and a priority
 * queue orders them by their next event, so memory is bounded by the number of live sessions and
 * the stream can run for any length.
 *
 * <p>For robustness tests the stream can re-send a fraction of events (same event id, a little later)
 * and hold back a fraction of events so that they arrive after later ones; both stay within the
 * configured maximum lateness. The underlying sessions do not depend on these settings.
 *
 * <p>A simulator is not thread-safe: a publisher that answers interventions from another thread
 * must serialise its calls to {@link #next()} and {@link #answer(Intervention)}.
 */
public final class StorefrontSimulator implements Iterator<StorefrontEvent> {

    /** Start of the simulated time when none is given. */
    public static final Instant DEFAULT_START = Instant.parse("2026-01-05T09:00:00Z");

    private static final long NONE = Long.MAX_VALUE;
    private static final long RAMP_UP_MILLIS = 60_000;
    private static final double MEAN_REPLACEMENT_GAP_MILLIS = 5_000;

    private final SplittableRandom sessionSeeds;
    private final SplittableRandom arrivals;
    private final SplittableRandom faults;
    private final ShopperMix mix;
    private final Catalogue catalogue;
    private final double meanArrivalGapMillis;
    private final long maxSessions;
    private final double duplicateFraction;
    private final double outOfOrderFraction;
    private final long maxLatenessMillis;
    private final Consumer<SimulatedSession> onArrival;

    private final SessionQueue live = new SessionQueue();
    private final Map<String, SimulatedSession> bySessionId = new HashMap<>();
    private final PriorityQueue<Resend> resends = new PriorityQueue<>(
            Comparator.comparingLong(Resend::due).thenComparingLong(Resend::sequence));

    private double nextArrivalMillis;
    private long sessionsStarted;
    private long resendSequence;

    private StorefrontSimulator(final Builder builder) {
        final SplittableRandom root = new SplittableRandom(builder.seed);
        this.sessionSeeds = root.split();
        this.arrivals = root.split();
        this.faults = root.split();
        this.mix = builder.mix;
        this.catalogue = builder.catalogue;
        this.meanArrivalGapMillis = builder.arrivalsPerSecond > 0 ? 1000.0 / builder.arrivalsPerSecond : 0;
        this.maxSessions = builder.maxSessions;
        this.duplicateFraction = builder.duplicateFraction;
        this.outOfOrderFraction = builder.outOfOrderFraction;
        this.maxLatenessMillis = builder.maxLateness.toMillis();
        this.onArrival = builder.onArrival;
        final long start = builder.start.toEpochMilli();
        this.nextArrivalMillis = start;
        if (meanArrivalGapMillis == 0) {
            final long initial = Math.min(builder.concurrentSessions, maxSessions);
            for (long i = 0; i < initial; i++) {
                arrive(start + arrivals.nextLong(RAMP_UP_MILLIS));
            }
        }
    }

    /** A builder for a simulator whose every event follows from {@code seed}. */
    public static Builder builder(final long seed) {
        return new Builder(seed);
    }

    @Override
    public boolean hasNext() {
        return !live.isEmpty() || !resends.isEmpty() || arrivalsLeft();
    }

    @Override
    public StorefrontEvent next() {
        while (true) {
            admitArrivals();
            final long regular = live.isEmpty() ? NONE : live.firstTime();
            if (!resends.isEmpty() && resends.peek().due() <= regular) {
                return resends.poll().event();
            }
            if (regular == NONE) {
                throw new NoSuchElementException("every simulated shopper has left");
            }
            final SimulatedSession session = live.first();
            final StorefrontEvent event = session.next();
            live.advanceFirst();
            if (!session.hasNext()) {
                leave(session);
            }
            final long time = event.getEventTime().toEpochMilli();
            if (outOfOrderFraction > 0 && faults.nextDouble() < outOfOrderFraction) {
                resends.add(new Resend(time + 1 + faults.nextLong(maxLatenessMillis), resendSequence++, event));
                continue;
            }
            if (duplicateFraction > 0 && faults.nextDouble() < duplicateFraction) {
                resends.add(new Resend(time + faults.nextLong(maxLatenessMillis + 1), resendSequence++,
                        StorefrontEvent.newBuilder(event).build()));
            }
            return event;
        }
    }

    /**
     * The simulated time, in epoch milliseconds, at which the next event is due to be sent: its event
     * time, or for a re-sent or held-back event the later time it is sent at. {@link Long#MAX_VALUE}
     * when the stream has ended. A real-time publisher waits until the clock reaches it.
     */
    public long nextDueTime() {
        admitArrivals();
        final long regular = live.isEmpty() ? NONE : live.firstTime();
        return resends.isEmpty() ? regular : Math.min(regular, resends.peek().due());
    }

    /**
     * Lets the live session the intervention is for answer it (see {@link SimulatedSession#answer});
     * empty when that session has ended or never existed.
     */
    public Optional<StorefrontEvent> answer(final Intervention intervention) {
        final SimulatedSession session = bySessionId.get(
                Objects.requireNonNull(intervention, "intervention").getSessionId());
        if (session == null) {
            return Optional.empty();
        }
        final Optional<StorefrontEvent> answer = session.answer(intervention);
        if (answer.isPresent()) {
            live.update(session);
        }
        return answer;
    }

    /** The events as a sequential, ordered stream; infinite unless a maximum number of sessions is set. */
    public Stream<StorefrontEvent> stream() {
        return StreamSupport.stream(Spliterators.spliteratorUnknownSize(this,
                Spliterator.ORDERED | Spliterator.NONNULL), false);
    }

    /** Shoppers who have arrived so far. */
    public long sessionsStarted() {
        return sessionsStarted;
    }

    /** Sessions currently live (arrived and not yet left). */
    public int liveSessions() {
        return live.size();
    }

    private boolean arrivalsLeft() {
        return meanArrivalGapMillis > 0 && sessionsStarted < maxSessions;
    }

    private void admitArrivals() {
        while (arrivalsLeft()) {
            final long arrival = (long) nextArrivalMillis;
            if (!live.isEmpty() && arrival > live.firstTime()) {
                return;
            }
            arrive(arrival);
            nextArrivalMillis += -Math.log(1 - arrivals.nextDouble()) * meanArrivalGapMillis;
        }
    }

    private void leave(final SimulatedSession session) {
        bySessionId.remove(session.sessionId());
        if (meanArrivalGapMillis == 0 && sessionsStarted < maxSessions) {
            final double gap = -Math.log(1 - arrivals.nextDouble()) * MEAN_REPLACEMENT_GAP_MILLIS;
            arrive(session.endTime() + (long) gap);
        }
    }

    private void arrive(final long time) {
        final ShopperArchetype archetype = mix.pick(arrivals);
        final SimulatedSession session = SimulatedSession.start(archetype, time, sessionSeeds.split(), catalogue);
        live.add(session, sessionsStarted++);
        bySessionId.put(session.sessionId(), session);
        onArrival.accept(session);
    }

    private record Resend(long due, long sequence, StorefrontEvent event) {
    }

    /**
     * Settings of a {@link StorefrontSimulator}. By default: start at {@link #DEFAULT_START}, the
     * {@linkplain ShopperMix#defaultMix() default mix}, 1,000 concurrent sessions, no end, no
     * duplicates, no late events, a maximum lateness of 10 s.
     */
    public static final class Builder {
        private final long seed;
        private Instant start = DEFAULT_START;
        private ShopperMix mix = ShopperMix.defaultMix();
        private Catalogue catalogue = Catalogue.builtIn();
        private int concurrentSessions = 1_000;
        private double arrivalsPerSecond;
        private long maxSessions = Long.MAX_VALUE;
        private double duplicateFraction;
        private double outOfOrderFraction;
        private Duration maxLateness = Duration.ofSeconds(10);
        private Consumer<SimulatedSession> onArrival = session -> { };

        private Builder(final long seed) {
            this.seed = seed;
        }

        /** Event time of the first arrivals. */
        public Builder start(final Instant start) {
            this.start = Objects.requireNonNull(start, "start");
            return this;
        }

        /** Which kinds of shopper arrive, and how often. */
        public Builder mix(final ShopperMix mix) {
            this.mix = Objects.requireNonNull(mix, "mix");
            return this;
        }

        /** The products on sale. */
        public Builder catalogue(final Catalogue catalogue) {
            this.catalogue = Objects.requireNonNull(catalogue, "catalogue");
            return this;
        }

        /**
         * Keeps about this many sessions live: they arrive over the first minute, and each one that
         * ends is replaced a few seconds later. Replaces an arrival rate set before.
         */
        public Builder concurrentSessions(final int sessions) {
            if (sessions < 1) {
                throw new IllegalArgumentException("concurrent sessions must be at least 1, was " + sessions);
            }
            this.concurrentSessions = sessions;
            this.arrivalsPerSecond = 0;
            return this;
        }

        /** Shoppers arrive as a Poisson process at this mean rate. Replaces a concurrency set before. */
        public Builder arrivalsPerSecond(final double rate) {
            if (!(rate > 0) || Double.isInfinite(rate)) {
                throw new IllegalArgumentException("arrival rate must be a finite number > 0, was " + rate);
            }
            this.arrivalsPerSecond = rate;
            return this;
        }

        /** Ends the stream once this many shoppers have arrived and left. */
        public Builder maxSessions(final long sessions) {
            if (sessions < 1) {
                throw new IllegalArgumentException("max sessions must be at least 1, was " + sessions);
            }
            this.maxSessions = sessions;
            return this;
        }

        /** Fraction of events sent a second time, with the same event id, within the maximum lateness. */
        public Builder duplicateFraction(final double fraction) {
            this.duplicateFraction = fraction(fraction, "duplicate");
            return this;
        }

        /** Fraction of events held back and sent after later events, by at most the maximum lateness. */
        public Builder outOfOrderFraction(final double fraction) {
            this.outOfOrderFraction = fraction(fraction, "out-of-order");
            return this;
        }

        /** How far behind the latest event time sent a re-sent or held-back event may be. */
        public Builder maxLateness(final Duration lateness) {
            if (lateness.isNegative() || lateness.toMillis() < 1) {
                throw new IllegalArgumentException("max lateness must be at least 1 ms, was " + lateness);
            }
            this.maxLateness = lateness;
            return this;
        }

        /**
         * Called with each session as its shopper arrives, e.g. to record which archetype a session id
         * plays; the listener must only read the session, not advance it.
         */
        public Builder onArrival(final Consumer<SimulatedSession> listener) {
            this.onArrival = Objects.requireNonNull(listener, "listener");
            return this;
        }

        /** The simulator, positioned before its first event. */
        public StorefrontSimulator build() {
            return new StorefrontSimulator(this);
        }

        private static double fraction(final double value, final String what) {
            if (!(value >= 0 && value <= 1)) {
                throw new IllegalArgumentException(what + " fraction must be between 0 and 1, was " + value);
            }
            return value;
        }
    }
}
