package io.cartrescue.replay;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.cartrescue.app.Main;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** At the end of a recording, open sessions stay open unless --flush-at-end settles them. */
class FlushAtEndReplayTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dir;

    @Test
    void openSessionsSettleOnlyWithFlushAtEnd() throws IOException {
        // Given: a shopper with payment trouble who then leaves with a full cart; nothing comes after
        final Path input = Files.writeString(dir.resolve("events.jsonl"), new ReplayInput().paymentTrouble("s-1", "c-1", 0, 2).text());

        // When
        assertThat(Main.commandLine().execute("replay", "--input", input.toString(), "--out", dir.resolve("open").toString())).isZero();
        assertThat(Main.commandLine().execute("replay", "--input", input.toString(), "--out", dir.resolve("settled").toString(),
                "--flush-at-end")).isZero();

        // Then: left open, the offer is still held and nothing else has happened
        final JsonNode open = JSON.readTree(dir.resolve("open").resolve("summary.json").toFile());
        assertThat(open.at("/decisions/total").asInt()).isZero();
        assertThat(open.at("/flushedAtEnd").asBoolean()).isFalse();
        // settled: the held offer is released, the session is abandoned, the attribution window closes unconverted
        final JsonNode settled = JSON.readTree(dir.resolve("settled").resolve("summary.json").toFile());
        assertThat(settled.at("/flushedAtEnd").asBoolean()).isTrue();
        assertThat(settled.at("/decisions/bySignal/PAYMENT_FAILURES").asInt()).isEqualTo(1);
        assertThat(settled.at("/decisions/bySignal/ABANDONMENT").asInt()).isEqualTo(1);
        assertThat(settled.at("/outcomes/total").asInt()).isPositive();
        assertThat(Files.readString(dir.resolve("settled").resolve("outcomes.jsonl"))).contains("\"converted\":false")
                .doesNotContain(ReplayDriver.CLOCK);
        assertThat(Files.readString(dir.resolve("settled").resolve("decisions.jsonl"))).doesNotContain(ReplayDriver.CLOCK);
    }
}
