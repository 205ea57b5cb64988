package io.cartrescue.arbitration;

import java.time.Instant;
import java.time.LocalTime;
import java.time.ZoneId;
import java.time.ZonedDateTime;

/**
 * Quiet hours in the customer's time zone, e.g. 21:00–08:00: a reminder due inside them is released
 * at their end. A window whose start is after its end spans midnight; equal start and end mean none.
 */
final class QuietHours {
    private final LocalTime start;
    private final LocalTime end;

    QuietHours(final String start, final String end) {
        this.start = LocalTime.parse(start);
        this.end = LocalTime.parse(end);
    }

    /** {@code due}, or the end of the quiet hours it falls into. */
    Instant releaseAt(final Instant due, final ZoneId zone) {
        final ZonedDateTime local = due.atZone(zone);
        final LocalTime time = local.toLocalTime();
        if (!isQuiet(time)) {
            return due;
        }
        final ZonedDateTime sameDayEnd = local.with(end).withSecond(0).withNano(0);
        final ZonedDateTime releasedAt = time.isBefore(end) ? sameDayEnd : sameDayEnd.plusDays(1);
        return releasedAt.toInstant();
    }

    boolean isQuiet(final LocalTime time) {
        if (start.equals(end)) {
            return false;
        }
        if (start.isBefore(end)) {
            return !time.isBefore(start) && time.isBefore(end);
        }
        return !time.isBefore(start) || time.isBefore(end);
    }
}
