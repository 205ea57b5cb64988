package io.cartrescue.replay;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.cartrescue.app.Main;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What-if: two policies that differ only in the payment-failure threshold (2 vs 3) must differ on
 * exactly the sessions with two payment failures, where the signal fires under one policy and not
 * the other (and what follows in the session changes with it: a later stall is suppressed by the
 * minimum gap under the first, sent under the second). A session with one failure (the signal
 * fires under neither, the stall under both) and one with a denied coupon (price hesitation under
 * both) must not differ.
 */
class WhatIfReplayTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dir;

    @Test
    void reportsDifferExactlyInTheSessionsTheChangedThresholdTouches() throws IOException {
        // Given: sessions s-two-a and s-two-b have two payment failures; s-one has one; s-coupon a denied coupon
        final Path input = dir.resolve("events.jsonl");
        Files.writeString(input, new ReplayInput()
                .paymentTrouble("s-two-a", "c-1", 0, 2)
                .paymentTrouble("s-one", "c-2", 5, 1)
                .paymentTrouble("s-two-b", "c-3", 60, 2)
                .event("s-coupon", "c-4", 70, "Product Added", "\"product\":{\"productId\":\"p2\",\"price\":35},"
                        + "\"cart\":{\"value\":35,\"currency\":\"EUR\",\"itemCount\":1}")
                .event("s-coupon", "c-4", 80, "Coupon Denied", "\"coupon\":{\"code\":\"SAVE10\",\"reason\":\"expired\"}")
                .event("s-later", "c-5", 600, "Page Viewed", "")
                .event("s-later", "c-5", 1200, "Page Viewed", "")
                .text());
        final Path threshold2 = policy("payment-2", 2);
        final Path threshold3 = policy("payment-3", 3);
        final Path out = dir.resolve("out");

        // When
        final int exit = Main.commandLine().execute("replay", "--input", input.toString(), "--policy", threshold2.toString(),
                "--compare-policy", threshold3.toString(), "--out", out.toString());

        // Then
        assertThat(exit).isZero();
        final List<JsonNode> differences = lines(out.resolve("differences.jsonl"));
        assertThat(differences).extracting(d -> d.get("sessionId").asText()).containsExactly("s-two-a", "s-two-b");
        assertThat(differences).allSatisfy(d -> {
            assertThat(d.get("onlyA").toString()).contains("PAYMENT_FAILURES EMITTED");
            assertThat(d.get("policyB").toString()).doesNotContain("PAYMENT_FAILURES");
        });
        assertThat(sessionsWhoseDecisionsDiffer(out.resolve("decisions.jsonl"), out.resolve("compare").resolve("decisions.jsonl")))
                .as("independently of the comparison: the decision files differ in those sessions only")
                .containsExactlyInAnyOrder("s-two-a", "s-two-b");
        assertThat(sessions(out.resolve("decisions.jsonl"))).contains("s-coupon", "s-one", "s-two-a", "s-two-b");
        final JsonNode summary = JSON.readTree(out.resolve("summary.json").toFile());
        assertThat(summary.at("/comparison/sessionsDiffering").asInt()).isEqualTo(2);
        assertThat(summary.at("/comparison/policyB").asText()).isEqualTo("payment-3");
        assertThat(Files.readString(out.resolve("report.html"))).contains("\"sessionsDiffering\":2");
    }

    private Path policy(final String version, final int threshold) throws IOException {
        final Path file = dir.resolve(version + ".yaml");
        Files.writeString(file, "version: " + version + "\ndetection:\n  paymentFailures:\n    threshold: " + threshold + "\n");
        return file;
    }

    /** Sessions with a decision line in one file and not the other, the policy version aside. */
    private static Set<String> sessionsWhoseDecisionsDiffer(final Path a, final Path b) throws IOException {
        final Set<String> inA = withoutVersion(a);
        final Set<String> inB = withoutVersion(b);
        return java.util.stream.Stream.concat(inA.stream().filter(l -> !inB.contains(l)), inB.stream().filter(l -> !inA.contains(l)))
                .map(l -> JSON.valueToTree(parse(l)).get("sessionId").asText()).collect(Collectors.toSet());
    }

    private static Set<String> withoutVersion(final Path file) throws IOException {
        return lines(file).stream().map(n -> {
            ((com.fasterxml.jackson.databind.node.ObjectNode) n).remove("policyVersion");
            return n.toString();
        }).collect(Collectors.toSet());
    }

    private static Set<String> sessions(final Path decisions) throws IOException {
        return lines(decisions).stream().map(n -> n.get("sessionId").asText()).collect(Collectors.toSet());
    }

    private static JsonNode parse(final String line) {
        try {
            return JSON.readTree(line);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    private static List<JsonNode> lines(final Path file) throws IOException {
        return Files.readAllLines(file).stream().filter(l -> !l.isBlank()).map(WhatIfReplayTest::parse).toList();
    }
}
