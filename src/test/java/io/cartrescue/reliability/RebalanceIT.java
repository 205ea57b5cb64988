package io.cartrescue.reliability;

import static org.assertj.core.api.Assertions.assertThat;

import io.cartrescue.local.LocalStack;
import io.cartrescue.testing.LocalStackExtension;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Rebalance: two instances share the input; one is stopped mid-stream and started again, then a
 * third joins. Partitions and their state move between instances each time; the interventions must
 * be exactly those of a replay of the same events.
 */
@Tag("reliability")
@ExtendWith(LocalStackExtension.class)
class RebalanceIT {
    private static final Logger LOG = LoggerFactory.getLogger(RebalanceIT.class);

    private final Path dir = OracleScenario.workDirectory("rebalance");

    @Test
    void stopRestartAndScaleOutMidStreamGiveTheOracle(final LocalStack stack) throws Exception {
        // Given two instances
        final OracleScenario scenario = OracleScenario.create("rebalance", stack, 30_000, 11, dir);
        final AppInstance a = scenario.instance("a");
        final AppInstance b = scenario.instance("b");
        final AppInstance c = scenario.instance("c");

        // When the events arrive over about 30 s: b leaves and comes back, then c joins
        try (a; b; c) {
            a.start(Duration.ofSeconds(90));
            b.start(Duration.ofSeconds(90));
            final Thread producer = scenario.produceInBackground(1_000);
            Thread.sleep(5_000);
            LOG.info("stopping b, {} of {} events sent", scenario.produced(), scenario.eventCount());
            final int bExit = b.stop();
            Thread.sleep(3_000);
            LOG.info("starting b again, {} events sent", scenario.produced());
            b.start(Duration.ofSeconds(90));
            Thread.sleep(3_000);
            LOG.info("starting c, {} events sent", scenario.produced());
            c.start(Duration.ofSeconds(90));
            producer.join(Duration.ofMinutes(2).toMillis());
            final OracleScenario.Comparison result = scenario.awaitComparison(Duration.ofMinutes(3), Duration.ofSeconds(10));
            LOG.info("rebalance run: {}", result);

            // Then
            // SIGTERM: the shutdown hook closes Kafka Streams, then the JVM exits with 128 + 15.
            assertThat(bExit).as("exit code of an instance stopped with SIGTERM").isEqualTo(143);
            scenario.assertMatchesOracle(result);
            assertThat(a.isAlive() && b.isAlive() && c.isAlive()).as("all three still running").isTrue();
        }
    }
}
