package io.cartrescue.arbitration;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.time.ZoneId;
import org.junit.jupiter.api.Test;

class QuietHoursTest {
    private static final ZoneId BERLIN = ZoneId.of("Europe/Berlin");
    private final QuietHours quietHours = new QuietHours("21:00", "08:00");

    @Test
    void dueOutsideQuietHoursIsReleasedOnTime() {
        // Given 15:00 in Berlin
        final Instant due = Instant.parse("2026-03-02T14:00:00Z");

        // When / Then
        assertThat(quietHours.releaseAt(due, BERLIN)).isEqualTo(due);
    }

    @Test
    void dueInTheEveningWaitsForTheNextMorning() {
        // Given 22:15 in Berlin
        final Instant due = Instant.parse("2026-03-02T21:15:00Z");

        // When / Then: 08:00 Berlin on 3 March
        assertThat(quietHours.releaseAt(due, BERLIN)).isEqualTo(Instant.parse("2026-03-03T07:00:00Z"));
    }

    @Test
    void dueAfterMidnightWaitsForTheSameMorning() {
        // Given 03:00 in Berlin
        final Instant due = Instant.parse("2026-03-03T02:00:00Z");

        // When / Then
        assertThat(quietHours.releaseAt(due, BERLIN)).isEqualTo(Instant.parse("2026-03-03T07:00:00Z"));
    }

    @Test
    void theSameInstantIsQuietInOneZoneAndNotInAnother() {
        // Given 21:30 UTC: 22:30 in Berlin, 16:30 in New York
        final Instant due = Instant.parse("2026-03-02T21:30:00Z");

        // When / Then
        assertThat(quietHours.releaseAt(due, ZoneId.of("America/New_York"))).isEqualTo(due);
        assertThat(quietHours.releaseAt(due, BERLIN)).isAfter(due);
    }

    @Test
    void equalStartAndEndMeanNoQuietHours() {
        // Given
        final QuietHours none = new QuietHours("00:00", "00:00");
        final Instant due = Instant.parse("2026-03-02T23:00:00Z");

        // When / Then
        assertThat(none.releaseAt(due, BERLIN)).isEqualTo(due);
    }
}
