package io.cartrescue.reliability;

import io.cartrescue.local.LocalStack;
import io.cartrescue.testing.LocalStackExtension;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Random;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Crash: the application is killed with SIGKILL at random moments while events still arrive, and
 * restarted each time with its state directory; what a {@code read_committed} consumer sees must be
 * exactly what a replay of the same events produces: nothing lost, nothing twice.
 */
@Tag("reliability")
@ExtendWith(LocalStackExtension.class)
class CrashIT {
    private static final Logger LOG = LoggerFactory.getLogger(CrashIT.class);
    private static final int KILLS = 3;

    private final Path dir = OracleScenario.workDirectory("crash");

    @Test
    void killedThreeTimesUnderLoadTheResultEqualsTheOracle(final LocalStack stack) throws Exception {
        // Given
        final long seed = Long.getLong("reliability.seed", System.nanoTime());
        final Random random = new Random(seed);
        final OracleScenario scenario = OracleScenario.create("crash", stack, 30_000, 7, dir);
        final AppInstance app = scenario.instance("a");

        // When: the events arrive over about 30 s, and the instance is killed at random moments meanwhile
        try (app) {
            app.start(Duration.ofSeconds(90));
            final Thread producer = scenario.produceInBackground(1_000);
            for (int kill = 1; kill <= KILLS; kill++) {
                final long after = 2_000 + random.nextInt(6_000);
                Thread.sleep(after);
                LOG.info("kill {} of {} after {} ms, {} of {} events sent (seed {})", kill, KILLS, after,
                        scenario.produced(), scenario.eventCount(), seed);
                app.kill();
                app.start(Duration.ofSeconds(90));
            }
            producer.join(Duration.ofMinutes(2).toMillis());
            final OracleScenario.Comparison result = scenario.awaitComparison(Duration.ofMinutes(3), Duration.ofSeconds(10));
            LOG.info("crash run: {}", result);

            // Then
            scenario.assertMatchesOracle(result);
        }
    }
}
