package io.cartrescue.processor;

import static org.assertj.core.api.Assertions.assertThat;

import io.cartrescue.schema.TimerKind;
import java.time.Instant;
import org.junit.jupiter.api.Test;

/** Timer keys must sort by due time: the due time zero-padded to 15 digits, as {@code %015d} writes it. */
class ArbitrationStoresTest {

    @Test
    void dueKeysAreTheTimeZeroPaddedTo15Digits() {
        for (final long millis : new long[] {0, 7, 1_767_603_600_029L, 99_999_999_999_999L, 100_000_000_000_000L,
                999_999_999_999_999L, 1_000_000_000_000_000L, Long.MAX_VALUE}) {
            assertThat(ArbitrationStores.dueKey(Instant.ofEpochMilli(millis))).as("%d", millis)
                    .isEqualTo(String.format("%015d", millis));
        }
        assertThat(ArbitrationStores.dueKey(Instant.ofEpochMilli(-5))).as("before 1970: 0").isEqualTo("000000000000000");
    }

    @Test
    void keysOfEarlierTimersSortFirst() {
        final String early = ArbitrationStores.timerKey(Instant.ofEpochMilli(999), TimerKind.HOLD_RELEASE, "d-2");
        final String late = ArbitrationStores.timerKey(Instant.ofEpochMilli(1_000), TimerKind.HOLD_RELEASE, "d-1");
        assertThat(early).isLessThan(late).isLessThan(ArbitrationStores.dueUpTo(Instant.ofEpochMilli(1_000)));
    }
}
