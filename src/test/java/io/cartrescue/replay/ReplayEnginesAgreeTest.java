package io.cartrescue.replay;

import static org.assertj.core.api.Assertions.assertThat;

import io.cartrescue.app.Main;
import io.cartrescue.schema.StorefrontEvent;
import io.cartrescue.simulator.StorefrontSimulator;
import java.io.BufferedWriter;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The direct replay engine must write the very files the Kafka Streams engine writes: the same
 * interventions, decisions, outcomes, dead letters, summary, report and what-if comparison, byte for
 * byte, on simulated traffic with duplicates, late and out-of-order events and bad lines, and on the
 * real REES46 sample.
 */
class ReplayEnginesAgreeTest {
    @TempDir
    Path dir;

    @Test
    void simulatedTrafficWithFaultsGivesTheSameFilesOnBothEngines() throws IOException {
        // Given: 20,000 simulated events, 2% duplicated and 2% resent up to a minute late (the grace is
        // 30 s, so some are late), a few bad lines, and a what-if against a policy without holds and
        // with a higher payment-failure threshold
        final Path input = dir.resolve("events.jsonl");
        writeSimulated(input, 20_000);
        final Path noHolds = dir.resolve("no-holds.yaml");
        Files.writeString(noHolds, "version: no-holds\ndetection:\n  paymentFailures:\n    threshold: 3\n"
                + "arbitration:\n  holds:\n    inSessionSeconds: 0\n");

        for (final boolean flush : new boolean[] {false, true}) {
            // When
            final Path direct = replay(input, "direct", flush, "--compare-policy", noHolds.toString());
            final Path streams = replay(input, "kafka-streams", flush, "--compare-policy", noHolds.toString());

            // Then
            assertSameFiles(direct, streams);
            assertThat(lineCount(direct.resolve("interventions.jsonl"))).as("interventions").isGreaterThan(50);
            assertThat(lineCount(direct.resolve("outcomes.jsonl"))).as("outcomes").isGreaterThan(10);
            assertThat(Files.readString(direct.resolve("dead-letters.jsonl")))
                    .as("late events, invalid events and unreadable lines are all there")
                    .contains("\"reason\":\"late\"", "\"reason\":\"invalid-currency\"", "\"reason\":\"invalid-json\"");
            assertThat(lineCount(direct.resolve("differences.jsonl"))).as("the what-if finds differences").isPositive();
        }
    }

    @Test
    void theRees46SampleGivesTheSameFilesOnBothEngines() throws IOException {
        // Given
        Rees46ReplayTest.sampleIsThere();

        // When
        final Path direct = replay(Rees46ReplayTest.SAMPLE, "direct", true);
        final Path streams = replay(Rees46ReplayTest.SAMPLE, "kafka-streams", true);

        // Then
        assertSameFiles(direct, streams);
        assertThat(lineCount(direct.resolve("decisions.jsonl"))).isPositive();
    }

    private void writeSimulated(final Path file, final int events) throws IOException {
        final StorefrontSimulator simulator = StorefrontSimulator.builder(11)
                .start(Instant.parse("2026-01-05T09:00:00Z"))
                .concurrentSessions(300)
                .duplicateFraction(0.02)
                .outOfOrderFraction(0.02)
                .maxLateness(Duration.ofSeconds(60))
                .build();
        final List<String> bad = new ArrayList<>(List.of(
                "{not json",
                "{\"eventId\":\"bad-1\",\"eventType\":\"Product Added\",\"eventTime\":\"2026-01-05T09:00:05Z\","
                        + "\"sessionId\":\"bad-s\",\"anonymousId\":\"a\",\"cart\":{\"value\":10,\"currency\":\"XXQ\",\"itemCount\":1}}",
                "{\"eventId\":\"bad-2\",\"eventType\":\"Page Viewed\",\"eventTime\":\"2126-01-05T09:00:05Z\","
                        + "\"sessionId\":\"bad-s\",\"anonymousId\":\"a\"}"));
        try (BufferedWriter writer = Files.newBufferedWriter(file, StandardCharsets.UTF_8)) {
            for (int i = 0; i < events && simulator.hasNext(); i++) {
                final StorefrontEvent event = simulator.next();
                writer.write(ReplayFiles.jsonLine(event));
                writer.write('\n');
                if (i % 5_000 == 2_500 && !bad.isEmpty()) {
                    writer.write(bad.remove(0));
                    writer.write('\n');
                }
            }
        }
    }

    private Path replay(final Path input, final String engine, final boolean flush, final String... more) {
        final Path out = dir.resolve(engine + (flush ? "-flushed" : "") + "-" + input.getFileName());
        final List<String> args = new ArrayList<>(List.of("replay", "--input", input.toString(), "--out", out.toString(),
                "--engine", engine));
        if (flush) {
            args.add("--flush-at-end");
        }
        args.addAll(List.of(more));
        assertThat(Main.commandLine().execute(args.toArray(String[]::new))).as("replay on %s", engine).isZero();
        return out;
    }

    private static void assertSameFiles(final Path a, final Path b) throws IOException {
        final List<Path> files;
        try (Stream<Path> walk = Files.walk(a)) {
            files = walk.filter(Files::isRegularFile).map(a::relativize).sorted().toList();
        }
        try (Stream<Path> walk = Files.walk(b)) {
            assertThat(walk.filter(Files::isRegularFile).map(b::relativize).sorted().toList()).isEqualTo(files);
        }
        assertThat(files).contains(Path.of("interventions.jsonl"), Path.of("summary.json"), Path.of("report.html"));
        for (final Path file : files) {
            final List<String> linesA = Files.readAllLines(a.resolve(file));
            final List<String> linesB = Files.readAllLines(b.resolve(file));
            for (int i = 0; i < Math.min(linesA.size(), linesB.size()); i++) {
                assertThat(linesA.get(i)).as("%s line %d", file, i + 1).isEqualTo(linesB.get(i));
            }
            assertThat(linesA.size()).as("%s lines", file).isEqualTo(linesB.size());
            assertThat(Files.readAllBytes(a.resolve(file))).as("%s", file).isEqualTo(Files.readAllBytes(b.resolve(file)));
        }
    }

    private static long lineCount(final Path file) throws IOException {
        try (Stream<String> lines = Files.lines(file)) {
            return lines.count();
        }
    }
}
