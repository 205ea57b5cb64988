package io.cartrescue.reliability;

import static org.assertj.core.api.Assertions.assertThat;

import io.cartrescue.local.LocalRegistry;
import io.cartrescue.local.LocalStack;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The broker restarts, and the schema registry goes away for a while, as both do in production;
 * the interventions must still be exactly those of a replay of the same events, and nothing may
 * go to the dead-letter topic because of the outage. These runs stop and start the broker and the
 * registry, so they have a stack of their own (the registry keeps its schemas in a file, so that
 * ids survive its restart, as a production registry's do).
 */
@Tag("reliability")
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class InfraOutageIT {
    private static final Logger LOG = LoggerFactory.getLogger(InfraOutageIT.class);
    private static final String EVENTS_METRIC = "cart_rescue_events_total";

    private LocalStack stack;

    @BeforeAll
    void startStack() throws Exception {
        stack = LocalStack.start(OracleScenario.workDirectory("infra-stack"), LocalRegistry.Storage.H2_FILE);
    }

    @AfterAll
    void stopStack() {
        if (stack != null) {
            stack.close();
        }
    }

    @Test
    void brokerRestartMidStreamGivesTheOracle() throws Exception {
        // Given
        final Path dir = OracleScenario.workDirectory("broker-restart");
        final OracleScenario scenario = OracleScenario.create("broker-restart", stack, 20_000, 13, dir);
        final AppInstance app = scenario.instance("a");

        try (app) {
            app.start(Duration.ofSeconds(90));
            final Thread producer = scenario.produceInBackground(1_000);

            // When the broker is stopped for 5 s while events arrive
            Thread.sleep(6_000);
            LOG.info("stopping the broker, {} of {} events sent", scenario.produced(), scenario.eventCount());
            stack.kafka().stop();
            Thread.sleep(5_000);
            stack.kafka().startAgain();
            LOG.info("broker back");
            producer.join(Duration.ofMinutes(3).toMillis());
            final OracleScenario.Comparison result = scenario.awaitComparison(Duration.ofMinutes(3), Duration.ofSeconds(10));
            LOG.info("broker restart run: {}", result);

            // Then
            scenario.assertMatchesOracle(result);
            assertThat(app.isAlive()).isTrue();
        }
    }

    @Test
    void registryOutageIsWaitedOutWithCachedSchemasAndANewSchemaWaitsForTheRegistry() throws Exception {
        // Given a storefront about to move to a newer event schema
        final Path dir = OracleScenario.workDirectory("registry-outage");
        final OracleScenario scenario = OracleScenario.create("registry-outage", stack, 20_000, 17, dir);
        final AppInstance app = scenario.instance("a");

        try (app) {
            app.start(Duration.ofSeconds(90));
            final Thread producer = scenario.produceInBackground(1_000);

            // When the newer schema is registered, the registry goes away, for 6 s the events keep their
            // known schema, then they are written with the newer one
            Thread.sleep(6_000);
            final NewerWriter newer = scenario.registerNewerWriterSchema();
            stack.registry().stop();
            final double eventsAtOutage = app.metric(EVENTS_METRIC);
            LOG.info("registry stopped, {} of {} events sent, {} processed", scenario.produced(), scenario.eventCount(),
                    eventsAtOutage);
            Thread.sleep(6_000);
            final double eventsWithCachedSchemas = app.metric(EVENTS_METRIC);
            scenario.switchToNewerWriterSchema(newer);
            LOG.info("newer writer schema (id {}) from event {}; {} processed", newer.id(), scenario.produced(),
                    eventsWithCachedSchemas);
            Thread.sleep(10_000);
            stack.registry().startAgain();
            LOG.info("registry back");
            producer.join(Duration.ofMinutes(3).toMillis());
            final OracleScenario.Comparison result = scenario.awaitComparison(Duration.ofMinutes(3), Duration.ofSeconds(10));
            LOG.info("registry outage run: {}", result);

            // Then
            assertThat(eventsWithCachedSchemas).as("events processed during the outage with cached schemas")
                    .isGreaterThan(eventsAtOutage);
            scenario.assertMatchesOracle(result);
            assertThat(app.isAlive()).isTrue();
        }
    }
}
