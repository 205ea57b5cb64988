package io.cartrescue.replay;

import io.cartrescue.schema.StorefrontEvent;
import java.time.Instant;
import java.util.Map;
import java.util.TreeMap;

/** What the replay read from its input file: lines, events, malformed lines by reason, time span. */
public final class InputStats {
    private long lines;
    private long events;
    private long skipped;
    private final Map<String, Long> malformedByReason = new TreeMap<>();
    private Instant firstEventAt;
    private Instant lastEventAt;

    /** Counts a line read. */
    void line() {
        lines++;
    }

    /** Counts a line with no event. */
    void skip() {
        skipped++;
    }

    /** Counts an event and its time. */
    void event(final StorefrontEvent event) {
        events++;
        final Instant t = event.getEventTime();
        firstEventAt = firstEventAt == null || t.isBefore(firstEventAt) ? t : firstEventAt;
        lastEventAt = lastEventAt == null || t.isAfter(lastEventAt) ? t : lastEventAt;
    }

    /** Counts a line that could not be read, by reason. */
    void malformed(final String reason) {
        malformedByReason.merge(reason, 1L, Long::sum);
    }

    public long lines() {
        return lines;
    }

    public long events() {
        return events;
    }

    /** Lines with no event (blank lines, the CSV header). */
    public long skipped() {
        return skipped;
    }

    public long malformed() {
        return malformedByReason.values().stream().mapToLong(Long::longValue).sum();
    }

    public Map<String, Long> malformedByReason() {
        return malformedByReason;
    }

    public Instant firstEventAt() {
        return firstEventAt;
    }

    public Instant lastEventAt() {
        return lastEventAt;
    }
}
