package io.cartrescue.replay;

import io.cartrescue.schema.Decision;
import io.cartrescue.schema.ExperimentArm;
import io.cartrescue.schema.Intervention;
import io.cartrescue.schema.Outcome;
import io.cartrescue.schema.Verdict;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Function;

/**
 * The figures of one replay, as the tree written to {@code summary.json} and shown by the report:
 * input counts (malformed lines included), the funnel, decisions by verdict, signal and guardrail,
 * interventions by type, channel and signal and over time, and conversion.
 *
 * <p>Conversion is measured per session: a session is treated (or holdout) when it has an outcome
 * in that arm, and converted when any of its outcomes did. Only outcomes whose attribution window
 * ended within the replay count: an order arrives early while a window that ends without one
 * only closes at its end, so counting open windows would count every early order and none of the
 * misses. Sessions left out for that are counted. Rates come with Wilson 95% intervals,
 * the uplift (treated minus holdout) with Newcombe's interval. Revenue recovered is estimated as
 * uplift × treated sessions × mean order value (over converted sessions of both arms), with the
 * uplift's interval carried through; it is not last-touch attribution, which would credit every
 * treated order to the intervention.
 */
public final class Summary {
    private static final List<Duration> BUCKETS = List.of(Duration.ofMinutes(1), Duration.ofMinutes(5),
            Duration.ofMinutes(15), Duration.ofHours(1), Duration.ofHours(6), Duration.ofDays(1), Duration.ofDays(7));
    private static final int MAX_BUCKETS = 240;

    private Summary() {
    }

    /** What the summary is about besides the outputs. */
    public record Context(String sourceName, String format, String policyVersion, boolean flushedAtEnd,
                          InputStats input, Funnel funnel) {
        /** Attribution windows ending after this were still open when the replay ended; null when everything was settled. */
        Instant horizon() {
            return flushedAtEnd ? null : input.lastEventAt();
        }
    }

    /** The summary tree: maps with sorted keys, lists in a stated order, numbers rounded to 6 decimals. */
    public static Map<String, Object> of(final Context context, final ReplayOutputs outputs) {
        final Map<String, Object> root = new TreeMap<>();
        root.put("input", input(context, outputs));
        root.put("policyVersion", context.policyVersion());
        root.put("flushedAtEnd", context.flushedAtEnd());
        root.put("funnel", context.funnel().stages());
        root.put("decisions", decisions(outputs.decisions()));
        root.put("interventions", interventions(outputs.interventions()));
        root.put("timeline", timeline(outputs.interventions()));
        final Map<String, Object> conversion = conversion(outputs.outcomes(), outputs.decisions(), context.horizon());
        root.put("conversion", conversion);
        root.put("outcomes", Map.of("total", outputs.outcomes().size(),
                "byArm", countBy(outputs.outcomes(), o -> o.getExperimentArm().name())));
        return root;
    }

    private static Map<String, Object> input(final Context context, final ReplayOutputs outputs) {
        final InputStats in = context.input();
        final Map<String, Object> input = new TreeMap<>();
        input.put("source", context.sourceName());
        input.put("format", context.format());
        input.put("lines", in.lines());
        input.put("events", in.events());
        input.put("skippedLines", in.skipped());
        input.put("malformedLines", in.malformed());
        input.put("malformedByReason", in.malformedByReason());
        final List<DeadLetter> topology = outputs.deadLetters().stream().filter(d -> "topology".equals(d.stage())).toList();
        input.put("deadLettered", topology.size());
        input.put("deadLetteredByReason", countBy(topology, DeadLetter::reason));
        input.put("sessions", context.funnel().sessions());
        input.put("firstEventAt", in.firstEventAt() == null ? null : in.firstEventAt().toString());
        input.put("lastEventAt", in.lastEventAt() == null ? null : in.lastEventAt().toString());
        return input;
    }

    private static Map<String, Object> decisions(final List<Decision> decisions) {
        final Map<String, Object> node = new TreeMap<>();
        node.put("total", decisions.size());
        node.put("byVerdict", countBy(decisions, d -> d.getVerdict().name()));
        node.put("bySignal", countBy(decisions, d -> d.getSignal().name()));
        final List<Decision> suppressed = decisions.stream().filter(d -> d.getVerdict() == Verdict.SUPPRESSED).toList();
        node.put("suppressedByGuardrail", countBy(suppressed, d -> String.valueOf(d.getGuardrail())));
        final Map<String, Map<String, Long>> bySignalAndVerdict = new TreeMap<>();
        for (final Decision d : decisions) {
            bySignalAndVerdict.computeIfAbsent(d.getSignal().name(), s -> new TreeMap<>())
                    .merge(d.getVerdict().name(), 1L, Long::sum);
        }
        node.put("bySignalAndVerdict", bySignalAndVerdict);
        return node;
    }

    private static Map<String, Object> interventions(final List<Intervention> interventions) {
        final Map<String, Object> node = new TreeMap<>();
        node.put("total", interventions.size());
        node.put("byType", countBy(interventions, i -> i.getType().name()));
        node.put("byChannel", countBy(interventions, i -> i.getChannel().name()));
        node.put("bySignal", countBy(interventions, Summary::signalOf));
        return node;
    }

    private static String signalOf(final Intervention intervention) {
        return intervention.getReasons().isEmpty() ? "UNKNOWN" : intervention.getReasons().get(0).getSignal().name();
    }

    /** Interventions per time bucket, by type and by signal; the bucket is the smallest that keeps the chart readable. */
    private static Map<String, Object> timeline(final List<Intervention> interventions) {
        final Map<String, Object> node = new TreeMap<>();
        if (interventions.isEmpty()) {
            node.put("bucket", BUCKETS.get(0).toString());
            node.put("byType", Map.of());
            node.put("bySignal", Map.of());
            return node;
        }
        final Instant first = interventions.stream().map(Intervention::getCreatedAt).min(Comparator.naturalOrder()).orElseThrow();
        final Instant last = interventions.stream().map(Intervention::getCreatedAt).max(Comparator.naturalOrder()).orElseThrow();
        final Duration span = Duration.between(first, last);
        final Duration bucket = BUCKETS.stream().filter(b -> span.dividedBy(b) < MAX_BUCKETS).findFirst()
                .orElse(BUCKETS.get(BUCKETS.size() - 1));
        node.put("bucket", bucket.toString());
        node.put("byType", bucketed(interventions, bucket, i -> i.getType().name()));
        node.put("bySignal", bucketed(interventions, bucket, Summary::signalOf));
        return node;
    }

    private static Map<String, Map<String, Long>> bucketed(final List<Intervention> interventions, final Duration bucket,
                                                           final Function<Intervention, String> series) {
        final Map<String, Map<String, Long>> byBucket = new TreeMap<>();
        final long size = bucket.toMillis();
        for (final Intervention i : interventions) {
            final long t = Math.floorDiv(i.getCreatedAt().toEpochMilli(), size) * size;
            byBucket.computeIfAbsent(Instant.ofEpochMilli(t).toString(), k -> new TreeMap<>())
                    .merge(series.apply(i), 1L, Long::sum);
        }
        return byBucket;
    }

    /** Session-level conversion of treated and holdout sessions, the uplift and the revenue it recovered. */
    static Map<String, Object> conversion(final List<Outcome> outcomes, final List<Decision> decisions, final Instant horizon) {
        final Map<String, SessionOutcome> bySession = new HashMap<>();
        for (final Outcome o : outcomes) {
            if (horizon == null || !o.getWindowEndsAt().isAfter(horizon)) {
                bySession.merge(o.getSessionId(), SessionOutcome.of(o), SessionOutcome::merge);
            }
        }
        final long leftOut = decisions.stream()
                .filter(d -> d.getVerdict() == Verdict.EMITTED || d.getVerdict() == Verdict.HOLDOUT)
                .map(Decision::getSessionId).distinct().filter(session -> !bySession.containsKey(session)).count();
        final long treated = count(bySession, ExperimentArm.TREATMENT, false);
        final long treatedConverted = count(bySession, ExperimentArm.TREATMENT, true);
        final long holdout = count(bySession, ExperimentArm.HOLDOUT, false);
        final long holdoutConverted = count(bySession, ExperimentArm.HOLDOUT, true);
        final Proportions.Interval treatedRate = Proportions.wilson(treatedConverted, treated);
        final Proportions.Interval holdoutRate = Proportions.wilson(holdoutConverted, holdout);
        final Proportions.Interval uplift = Proportions.difference(treatedRate, holdoutRate);
        final List<BigDecimal> orderValues = new ArrayList<>();
        final Map<String, Long> currencies = new TreeMap<>();
        bySession.values().stream().filter(s -> s.converted && s.orderValue != null).forEach(s -> {
            orderValues.add(s.orderValue);
            currencies.merge(String.valueOf(s.currency), 1L, Long::sum);
        });
        final BigDecimal meanOrderValue = orderValues.isEmpty() ? null
                : orderValues.stream().reduce(BigDecimal.ZERO, BigDecimal::add)
                .divide(BigDecimal.valueOf(orderValues.size()), 2, RoundingMode.HALF_EVEN);
        final Map<String, Object> node = new TreeMap<>();
        node.put("unit", "session");
        node.put("sessionsWithOpenWindows", leftOut);
        node.put("treatment", arm(treated, treatedConverted, treatedRate));
        node.put("holdout", arm(holdout, holdoutConverted, holdoutRate));
        node.put("uplift", interval(uplift));
        node.put("meanOrderValue", meanOrderValue);
        node.put("currencies", currencies);
        node.put("revenueRecovered", revenue(uplift, treated, meanOrderValue));
        return node;
    }

    private static Map<String, Object> revenue(final Proportions.Interval uplift, final long treated, final BigDecimal meanOrderValue) {
        final Map<String, Object> node = new TreeMap<>();
        node.put("method", "uplift x treated sessions x mean order value");
        node.put("treatedSessions", treated);
        if (uplift == null || meanOrderValue == null) {
            node.put("estimate", null);
            node.put("ci95", null);
            return node;
        }
        node.put("estimate", money(uplift.estimate() * treated * meanOrderValue.doubleValue()));
        node.put("ci95", List.of(money(uplift.low() * treated * meanOrderValue.doubleValue()),
                money(uplift.high() * treated * meanOrderValue.doubleValue())));
        return node;
    }

    private static Map<String, Object> arm(final long sessions, final long converted, final Proportions.Interval rate) {
        final Map<String, Object> node = new TreeMap<>();
        node.put("sessions", sessions);
        node.put("converted", converted);
        node.putAll(interval(rate));
        return node;
    }

    private static Map<String, Object> interval(final Proportions.Interval interval) {
        final Map<String, Object> node = new TreeMap<>();
        node.put("rate", interval == null ? null : round(interval.estimate()));
        node.put("ci95", interval == null ? null : List.of(round(interval.low()), round(interval.high())));
        return node;
    }

    private static long count(final Map<String, SessionOutcome> sessions, final ExperimentArm arm, final boolean convertedOnly) {
        return sessions.values().stream().filter(s -> s.arm == arm && (!convertedOnly || s.converted)).count();
    }

    static <T> Map<String, Long> countBy(final List<T> items, final Function<T, String> key) {
        final Map<String, Long> counts = new TreeMap<>();
        items.forEach(item -> counts.merge(key.apply(item), 1L, Long::sum));
        return counts;
    }

    static BigDecimal round(final double value) {
        return BigDecimal.valueOf(value).setScale(6, RoundingMode.HALF_EVEN).stripTrailingZeros();
    }

    private static BigDecimal money(final double value) {
        return BigDecimal.valueOf(value).setScale(2, RoundingMode.HALF_EVEN);
    }

    /** One session's outcomes folded together: its arm, whether it converted, its first order's value. */
    private static final class SessionOutcome {
        private final ExperimentArm arm;
        private final boolean converted;
        private final Instant decidedAt;
        private final BigDecimal orderValue;
        private final String currency;

        private SessionOutcome(final ExperimentArm arm, final boolean converted, final Instant decidedAt,
                               final BigDecimal orderValue, final String currency) {
            this.arm = arm;
            this.converted = converted;
            this.decidedAt = decidedAt;
            this.orderValue = orderValue;
            this.currency = currency;
        }

        static SessionOutcome of(final Outcome o) {
            return new SessionOutcome(o.getExperimentArm(), o.getConverted(), o.getDecidedAt(),
                    o.getConverted() ? o.getOrderValue() : null, o.getCurrency());
        }

        SessionOutcome merge(final SessionOutcome other) {
            if (converted != other.converted) {
                return converted ? this : other;
            }
            return decidedAt.compareTo(other.decidedAt) <= 0 ? this : other;
        }
    }
}
