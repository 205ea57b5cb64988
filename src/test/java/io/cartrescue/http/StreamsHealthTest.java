package io.cartrescue.http;

import static org.assertj.core.api.Assertions.assertThat;

import org.apache.kafka.streams.KafkaStreams.State;
import org.junit.jupiter.api.Test;

class StreamsHealthTest {
    private final StreamsHealth health = new StreamsHealth();
    private State current = State.CREATED;

    private void goesTo(final State... states) {
        for (final State next : states) {
            health.onChange(next, current);
            current = next;
        }
    }

    @Test
    void aNewInstanceIsLiveButNotReady() {
        assertThat(health.liveness().status()).isEqualTo(200);
        assertThat(health.readiness().status()).isEqualTo(503);
        assertThat(health.readiness().body()).isEqualTo("{\"ready\":false,\"state\":\"CREATED\"}");
    }

    @Test
    void readyOnlyWhileRunning() {
        goesTo(State.REBALANCING);
        assertThat(health.readiness().status()).isEqualTo(503);
        assertThat(health.readiness().body()).contains("\"state\":\"REBALANCING\"");

        goesTo(State.RUNNING);
        assertThat(health.readiness().status()).isEqualTo(200);
        assertThat(health.readiness().body()).isEqualTo("{\"ready\":true,\"state\":\"RUNNING\"}");
        assertThat(health.liveness().body()).isEqualTo("{\"live\":true,\"state\":\"RUNNING\"}");

        goesTo(State.REBALANCING);
        assertThat(health.readiness().status()).isEqualTo(503);
        assertThat(health.liveness().status()).as("a rebalance is no reason to restart").isEqualTo(200);
    }

    @Test
    void aFailureIsNotLive() {
        goesTo(State.REBALANCING, State.RUNNING, State.PENDING_ERROR);
        assertThat(health.liveness().status()).isEqualTo(503);

        goesTo(State.ERROR);
        assertThat(health.liveness().status()).isEqualTo(503);
        assertThat(health.liveness().body()).isEqualTo("{\"live\":false,\"state\":\"ERROR\"}");
        assertThat(health.readiness().status()).isEqualTo(503);
    }

    @Test
    void notRunningAfterAFailureIsNotLive() {
        goesTo(State.REBALANCING, State.PENDING_ERROR, State.ERROR, State.PENDING_SHUTDOWN, State.NOT_RUNNING);
        assertThat(health.liveness().status()).isEqualTo(503);
        assertThat(health.liveness().body()).contains("\"state\":\"NOT_RUNNING\"");
    }

    @Test
    void anOrderlyShutdownStaysLiveButNotReady() {
        goesTo(State.REBALANCING, State.RUNNING, State.PENDING_SHUTDOWN);
        assertThat(health.liveness().status()).isEqualTo(200);
        assertThat(health.readiness().status()).isEqualTo(503);

        goesTo(State.NOT_RUNNING);
        assertThat(health.liveness().status()).isEqualTo(200);
        assertThat(health.readiness().body()).contains("\"state\":\"NOT_RUNNING\"");
    }
}
