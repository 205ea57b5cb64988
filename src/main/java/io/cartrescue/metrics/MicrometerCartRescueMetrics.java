package io.cartrescue.metrics;

import io.cartrescue.schema.Channel;
import io.cartrescue.schema.EventType;
import io.cartrescue.schema.InterventionType;
import io.cartrescue.schema.SignalType;
import io.cartrescue.schema.Verdict;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;

/**
 * cart-rescue's own metrics in a Micrometer registry, one registry per running instance. Counters
 * are created on first use and cached (their tags come from closed sets: enums, guardrail names and
 * dead-letter reasons); the two histograms exist from the start, so that a scrape shows them
 * before anything happened. Prometheus names are in {@code http-endpoint.md}.
 */
public final class MicrometerCartRescueMetrics implements CartRescueMetrics {
    /** Counter of events that reached session detection, tag {@code type}. */
    public static final String EVENTS = "cart_rescue.events";
    /** Counter of events ignored as duplicates (also counted in {@value #EVENTS}), tag {@code type}. */
    public static final String DUPLICATES = "cart_rescue.events.duplicates";
    /** Counter of signals fired, tag {@code signal}. */
    public static final String SIGNALS_FIRED = "cart_rescue.signals.fired";
    /** Counter of decisions, tags {@code verdict} and {@code guardrail} ({@value #NONE} unless suppressed). */
    public static final String DECISIONS = "cart_rescue.decisions";
    /** Counter of interventions published, tags {@code channel} and {@code type}. */
    public static final String INTERVENTIONS = "cart_rescue.interventions";
    /** Counter of dead letters, tag {@code reason}. */
    public static final String DEAD_LETTERS = "cart_rescue.dead.letters";
    /** Histogram of the time from a deadline to its candidate. */
    public static final String DETECTION_LAG = "cart_rescue.detection.lag";
    /** Histogram of punctuation durations, tag {@code processor}. */
    public static final String PUNCTUATION = "cart_rescue.punctuation";
    /** The guardrail tag of decisions no guardrail stopped. */
    public static final String NONE = "none";

    private static final Duration[] LAG_BUCKETS = durations(50, 100, 200, 300, 500, 750, 1_000, 2_000, 5_000,
            10_000, 30_000, 60_000);
    private static final Duration[] PUNCTUATION_BUCKETS = durations(1, 5, 10, 25, 50, 100, 250, 500, 1_000,
            2_500, 5_000);

    private final MeterRegistry registry;
    private final Map<List<String>, Counter> counters = new ConcurrentHashMap<>();
    private final Map<String, Timer> punctuations = new ConcurrentHashMap<>();
    private final Timer detectionLag;

    public MicrometerCartRescueMetrics(final MeterRegistry registry) {
        this.registry = Objects.requireNonNull(registry, "registry");
        this.detectionLag = Timer.builder(DETECTION_LAG)
                .description("Wall-clock time from a session's deadline (stall, end of session) to its candidate "
                        + "leaving session detection, live mode")
                .serviceLevelObjectives(LAG_BUCKETS)
                .register(registry);
    }

    @Override
    public void eventReceived(final EventType type) {
        counter(EVENTS, "Storefront events that reached session detection", "type", String.valueOf(type)).increment();
    }

    @Override
    public void duplicateIgnored(final EventType type) {
        counter(DUPLICATES, "Storefront events ignored as duplicates of an event their session had applied", "type",
                String.valueOf(type)).increment();
    }

    @Override
    public void signalFired(final SignalType signal) {
        counter(SIGNALS_FIRED, "Hesitation signals fired by session detection", "signal", String.valueOf(signal))
                .increment();
    }

    @Override
    public void decided(final Verdict verdict, final String guardrail) {
        counter(DECISIONS, "Arbitration decisions", "verdict", String.valueOf(verdict),
                "guardrail", guardrail == null ? NONE : guardrail).increment();
    }

    @Override
    public void interventionPublished(final Channel channel, final InterventionType type) {
        counter(INTERVENTIONS, "Interventions published", "channel", String.valueOf(channel),
                "type", String.valueOf(type)).increment();
    }

    @Override
    public void deadLettered(final String reason) {
        counter(DEAD_LETTERS, "Input records sent to the dead-letter topic", "reason", String.valueOf(reason)).increment();
    }

    @Override
    public void detectionLag(final Duration lag) {
        detectionLag.record(lag.isNegative() ? Duration.ZERO : lag);
    }

    @Override
    public void punctuation(final String processor, final Duration took) {
        punctuations.computeIfAbsent(processor, p -> Timer.builder(PUNCTUATION)
                .description("Time one punctuation (a look at due timers) took")
                .tag("processor", p)
                .serviceLevelObjectives(PUNCTUATION_BUCKETS)
                .register(registry)).record(took);
    }

    /** The counter {@code name} with the given tag keys and values (alternating), created once. */
    private Counter counter(final String name, final String description, final String... tags) {
        final List<String> key = List.of(prepend(name, tags));
        final Counter cached = counters.get(key);
        if (cached != null) {
            return cached;
        }
        return counters.computeIfAbsent(key, k -> Counter.builder(name).description(description).tags(tags)
                .register(registry));
    }

    private static String[] prepend(final String first, final String... rest) {
        final String[] all = new String[rest.length + 1];
        all[0] = first;
        System.arraycopy(rest, 0, all, 1, rest.length);
        return all;
    }

    private static Duration[] durations(final long... millis) {
        final Duration[] result = new Duration[millis.length];
        for (int i = 0; i < millis.length; i++) {
            result[i] = Duration.ofMillis(millis[i]);
        }
        return result;
    }
}
