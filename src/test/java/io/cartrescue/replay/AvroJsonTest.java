package io.cartrescue.replay;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.cartrescue.schema.StorefrontEvent;
import io.cartrescue.simulator.StorefrontSimulator;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class AvroJsonTest {
    @Test
    void eventsWrittenInThePlainJsonFormReadBackEqual() throws Exception {
        // Given: simulated events of every kind the simulator makes
        final StorefrontSimulator simulator = StorefrontSimulator.builder(7).start(Instant.parse("2026-01-05T09:00:00Z"))
                .concurrentSessions(50).build();
        final JsonEventParser parser = new JsonEventParser();

        for (int i = 0; i < 2_000; i++) {
            final StorefrontEvent event = simulator.next();

            // When
            final String line = ReplayFiles.jsonLine(event);

            // Then
            assertThat(parser.parse(line)).contains(event);
        }
    }

    @Test
    void timesAreIsoTextAndMoneyKeepsTwoDecimals() throws Exception {
        final StorefrontEvent event = new JsonEventParser().parse("{\"eventId\":\"e\",\"eventType\":\"Order Completed\","
                + "\"eventTime\":1772445600000,\"sessionId\":\"s\",\"anonymousId\":\"a\","
                + "\"order\":{\"orderId\":\"o\",\"total\":100,\"currency\":\"EUR\"}}").orElseThrow();

        final String line = ReplayFiles.jsonLine(event);

        assertThat(new ObjectMapper().readTree(line).get("eventTime").asText()).isEqualTo("2026-03-02T10:00:00Z");
        assertThat(line).contains("\"total\":100.00");
    }
}
