package io.cartrescue.replay;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.cartrescue.app.Main;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The replay command on real shopper data: the REES46 sample in the shared data folder. */
class Rees46ReplayTest {
    /** The shared folder beside the project; {@code -Dcartrescue.shared.dir} points elsewhere (e.g. from a work tree). */
    static final Path SAMPLE = Path.of(System.getProperty("cartrescue.shared.dir", Path.of("..", "shared").toString()))
            .resolve("data").resolve("rees46-2019-nov-sample.csv");
    private static final List<String> FILES = List.of("interventions.jsonl", "decisions.jsonl", "outcomes.jsonl",
            "dead-letters.jsonl", "summary.json", "report.html");

    @TempDir
    Path dir;

    @BeforeAll
    static void sampleIsThere() {
        assertThat(Files.isReadable(SAMPLE))
                .as("the REES46 sample is missing: expected at %s (../shared/data beside the project directory,"
                        + " or -Dcartrescue.shared.dir=DIR)", SAMPLE.toAbsolutePath().normalize())
                .isTrue();
    }

    @Test
    void realDataReplaysWithoutErrorAndGivesByteIdenticalOutputsTwice() throws IOException {
        // When
        final int first = replay(dir.resolve("first"));
        final int second = replay(dir.resolve("second"));

        // Then
        assertThat(first).isZero();
        assertThat(second).isZero();
        for (final String file : FILES) {
            assertThat(Files.readAllBytes(dir.resolve("second").resolve(file)))
                    .as(file).isEqualTo(Files.readAllBytes(dir.resolve("first").resolve(file)));
        }
        final JsonNode summary = new ObjectMapper().readTree(dir.resolve("first").resolve("summary.json").toFile());
        assertThat(summary.at("/input/events").asLong()).isEqualTo(10_000);
        assertThat(summary.at("/input/malformedLines").asLong()).isZero();
        assertThat(summary.at("/input/sessions").asLong()).isEqualTo(2_450);
        assertThat(summary.at("/decisions/total").asLong()).isPositive();
        assertThat(summary.at("/decisions/bySignal").fieldNames()).toIterable()
                .as("only signals that views, carts and purchases can show")
                .isSubsetOf("PRODUCT_DOUBT", "PRICE_HESITATION", "ABANDONMENT");
        final String report = Files.readString(dir.resolve("first").resolve("report.html"));
        assertThat(report.contains("<script src") || report.contains("<link ")).as("the report loads nothing from outside").isFalse();
    }

    private static int replay(final Path out) {
        return Main.commandLine().execute("replay", "--input", SAMPLE.toString(), "--out", out.toString(), "--flush-at-end");
    }
}
