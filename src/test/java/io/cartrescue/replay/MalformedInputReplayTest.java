package io.cartrescue.replay;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.cartrescue.app.Main;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** Lines the replay cannot use: reported with their line numbers and skipped, or fatal with --strict. */
class MalformedInputReplayTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dir;
    private Path input;

    @BeforeEach
    void input() throws IOException {
        input = dir.resolve("events.jsonl");
        final ReplayInput events = new ReplayInput()
                .paymentTrouble("s-1", "c-1", 0, 2)                                   // lines 1-4
                .line("{\"eventId\":\"x\",\"eventType\":\"PAGE_PING\"")              // line 5: not JSON
                .line("")                                                            // line 6: blank, skipped
                .event("s-2", "c-2", 100, "Teleported", "")                          // line 7: unknown type
                .event("s-3", "c-3", 200, "Page Viewed", "")                         // line 8
                .event("s-3", "c-3", 100, "Page Viewed", "");                        // line 9: 100 s late
        Files.writeString(input, events.text());
    }

    @Test
    void malformedLinesAreReportedWithLineNumbersSkippedAndCounted() throws IOException {
        // When
        final Path out = dir.resolve("out");
        final int exit = Main.commandLine().execute("replay", "--input", input.toString(), "--out", out.toString());

        // Then
        assertThat(exit).isZero();
        final List<JsonNode> dead = Files.readAllLines(out.resolve("dead-letters.jsonl")).stream().map(MalformedInputReplayTest::json).toList();
        assertThat(dead).extracting(d -> d.get("line").asLong(), d -> d.get("stage").asText(), d -> d.get("reason").asText())
                .containsExactly(
                        org.assertj.core.groups.Tuple.tuple(5L, "read", "invalid-json"),
                        org.assertj.core.groups.Tuple.tuple(7L, "read", "unknown-event-type"),
                        org.assertj.core.groups.Tuple.tuple(9L, "topology", "late"));
        final JsonNode summary = JSON.readTree(out.resolve("summary.json").toFile());
        assertThat(summary.at("/input/lines").asLong()).isEqualTo(9);
        assertThat(summary.at("/input/events").asLong()).isEqualTo(6);
        assertThat(summary.at("/input/skippedLines").asLong()).isEqualTo(1);
        assertThat(summary.at("/input/malformedLines").asLong()).isEqualTo(2);
        assertThat(summary.at("/input/malformedByReason/invalid-json").asLong()).isEqualTo(1);
        assertThat(summary.at("/input/deadLetteredByReason/late").asLong()).isEqualTo(1);
        assertThat(summary.at("/decisions/bySignal/PAYMENT_FAILURES").asLong()).as("the good lines still count").isEqualTo(1);
    }

    @Test
    void strictMakesTheFirstMalformedLineFatal() {
        // When
        final StringWriter err = new StringWriter();
        final CommandLine cli = Main.commandLine();
        cli.setErr(new PrintWriter(err));
        final int exit = cli.execute("replay", "--input", input.toString(), "--out", dir.resolve("out").toString(), "--strict");

        // Then
        assertThat(exit).isEqualTo(Main.EXIT_FAILURE);
        assertThat(err.toString()).contains("events.jsonl:5: invalid-json");
        assertThat(dir.resolve("out").resolve("summary.json")).doesNotExist();
    }

    @Test
    void unreadableInputAndUnknownFormatAreCommandLineErrors() throws IOException {
        final Path odd = Files.writeString(dir.resolve("events.txt"), "{}\n");
        assertThat(Main.commandLine().execute("replay", "--input", dir.resolve("missing.jsonl").toString(), "--out", dir.toString()))
                .isEqualTo(Main.EXIT_USAGE);
        assertThat(Main.commandLine().execute("replay", "--input", odd.toString(), "--out", dir.toString()))
                .isEqualTo(Main.EXIT_USAGE);
    }

    private static JsonNode json(final String line) {
        try {
            return JSON.readTree(line);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }
}
