package io.cartrescue.simulator;

import static io.cartrescue.simulator.Played.START;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class SessionQueueTest {

    @Test
    void earliestSessionComesFirstAndTiesGoToTheEarlierArrival() {
        // Given
        final SessionQueue queue = new SessionQueue();
        final SimulatedSession late = startingAt(5_000);
        final SimulatedSession tieFirst = startingAt(1_000);
        final SimulatedSession tieSecond = startingAt(1_000);
        queue.add(late, 0);
        queue.add(tieSecond, 2);
        queue.add(tieFirst, 1);

        // When / Then
        assertThat(queue.first()).isSameAs(tieFirst);
        assertThat(queue.firstTime()).isEqualTo(START.toEpochMilli() + 1_000);
        assertThat(queue.size()).isEqualTo(3);
    }

    @Test
    void drainingTheQueueYieldsEveryEventOfEverySessionInTimeOrder() {
        // Given
        final SessionQueue queue = new SessionQueue();
        final SplittableRandom random = new SplittableRandom(5);
        int expected = 0;
        for (int i = 0; i < 300; i++) {
            final ShopperArchetype archetype = ShopperArchetype.values()[i % ShopperArchetype.values().length];
            expected += Played.session(archetype, i).size();
            queue.add(SimulatedSession.start(archetype, START.plusMillis(random.nextLong(600_000)), i), i);
        }

        // When
        final List<Long> times = new ArrayList<>();
        while (!queue.isEmpty()) {
            times.add(queue.firstTime());
            queue.first().next();
            queue.advanceFirst();
        }

        // Then
        assertThat(times).hasSize(expected).isSorted();
    }

    private static SimulatedSession startingAt(final long offsetMillis) {
        return SimulatedSession.start(ShopperArchetype.BROWSER, START.plusMillis(offsetMillis), offsetMillis);
    }
}
