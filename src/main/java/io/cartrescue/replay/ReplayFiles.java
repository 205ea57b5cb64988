package io.cartrescue.replay;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.BufferedWriter;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Function;
import org.apache.avro.specific.SpecificRecord;

/**
 * Writes a replay's files: {@code interventions.jsonl}, {@code decisions.jsonl},
 * {@code outcomes.jsonl}, {@code dead-letters.jsonl}, {@code summary.json} and {@code report.html};
 * for a what-if also {@code differences.jsonl} and the compared policy's files under
 * {@code compare/}. Byte for byte the same for the same input and policies: sorted keys in the
 * summary, stable record order, {@code \n} line ends, no wall-clock time anywhere.
 */
public final class ReplayFiles {
    static final String COMPARE_DIR = "compare";
    private static final List<String> RUN_FILES = List.of("interventions.jsonl", "decisions.jsonl", "outcomes.jsonl",
            "dead-letters.jsonl", "summary.json");
    private static final ObjectMapper JSON = new ObjectMapper()
            .enable(SerializationFeature.ORDER_MAP_ENTRIES_BY_KEYS)
            .enable(JsonGenerator.Feature.WRITE_BIGDECIMAL_AS_PLAIN);

    private ReplayFiles() {
    }

    /** Writes every file of the result into {@code out}, creating it if needed. */
    public static void write(final Path out, final Replay.Result result) throws IOException {
        Files.createDirectories(out);
        final Map<String, Object> summary = new TreeMap<>(result.main().summary());
        if (result.compare() != null) {
            summary.put("comparison", comparison(result));
            final Path compareDir = Files.createDirectories(out.resolve(COMPARE_DIR));
            writeRun(compareDir, result.compare(), result.compare().summary());
            writeLines(out.resolve("differences.jsonl"), result.differences(), JSON::valueToTree);
        } else {
            for (final String name : RUN_FILES) {
                Files.deleteIfExists(out.resolve(COMPARE_DIR).resolve(name));
            }
            Files.deleteIfExists(out.resolve(COMPARE_DIR));
            Files.deleteIfExists(out.resolve("differences.jsonl"));
        }
        writeRun(out, result.main(), summary);
        Files.writeString(out.resolve("report.html"), HtmlReport.render(summary,
                result.compare() == null ? null : result.compare().summary(), result.differences()), StandardCharsets.UTF_8);
    }

    private static void writeRun(final Path dir, final Replay.Run run, final Map<String, Object> summary) throws IOException {
        final ReplayOutputs outputs = run.outputs();
        writeLines(dir.resolve("interventions.jsonl"), outputs.interventions(), AvroJson::toJson);
        writeLines(dir.resolve("decisions.jsonl"), outputs.decisions(), AvroJson::toJson);
        writeLines(dir.resolve("outcomes.jsonl"), outputs.outcomes(), AvroJson::toJson);
        writeLines(dir.resolve("dead-letters.jsonl"), outputs.deadLetters(), ReplayFiles::deadLetter);
        Files.writeString(dir.resolve("summary.json"), JSON.writerWithDefaultPrettyPrinter().writeValueAsString(summary)
                .replace("\r\n", "\n") + "\n", StandardCharsets.UTF_8);
    }

    /** The two policies side by side, for the summary. */
    private static Map<String, Object> comparison(final Replay.Result result) {
        final Map<String, Object> node = new TreeMap<>();
        node.put("policyA", result.main().policy().version());
        node.put("policyB", result.compare().policy().version());
        node.put("sessionsDiffering", result.differences().size());
        node.put("differencesFile", "differences.jsonl");
        final Map<String, Object> a = figures(result.main().summary());
        final Map<String, Object> b = figures(result.compare().summary());
        final Map<String, Object> side = new TreeMap<>();
        for (final String key : a.keySet()) {
            final Map<String, Object> pair = new TreeMap<>();
            pair.put("a", a.get(key));
            pair.put("b", b.get(key));
            side.put(key, pair);
        }
        node.put("sideBySide", side);
        return node;
    }

    @SuppressWarnings("unchecked")
    static Map<String, Object> figures(final Map<String, Object> summary) {
        final Map<String, Object> decisions = (Map<String, Object>) summary.get("decisions");
        final Map<String, Object> verdicts = (Map<String, Object>) decisions.get("byVerdict");
        final Map<String, Object> conversion = (Map<String, Object>) summary.get("conversion");
        final Map<String, Object> figures = new TreeMap<>();
        figures.put("decisions", decisions.get("total"));
        figures.put("emitted", verdicts.getOrDefault("EMITTED", 0L));
        figures.put("holdout", verdicts.getOrDefault("HOLDOUT", 0L));
        figures.put("suppressed", verdicts.getOrDefault("SUPPRESSED", 0L));
        figures.put("interventions", ((Map<String, Object>) summary.get("interventions")).get("total"));
        figures.put("treatedConversion", ((Map<String, Object>) conversion.get("treatment")).get("rate"));
        figures.put("holdoutConversion", ((Map<String, Object>) conversion.get("holdout")).get("rate"));
        figures.put("uplift", ((Map<String, Object>) conversion.get("uplift")).get("rate"));
        figures.put("revenueRecovered", ((Map<String, Object>) conversion.get("revenueRecovered")).get("estimate"));
        return figures;
    }

    private static ObjectNode deadLetter(final DeadLetter d) {
        final ObjectNode node = JSON.createObjectNode();
        node.put("detail", d.detail());
        node.put("input", d.input());
        node.put("line", d.line());
        node.put("offset", d.offset());
        node.put("reason", d.reason());
        node.put("stage", d.stage());
        node.put("topic", d.topic());
        return node;
    }

    private static <T> void writeLines(final Path file, final List<T> items, final Function<T, Object> toJson) throws IOException {
        try (BufferedWriter writer = Files.newBufferedWriter(file, StandardCharsets.UTF_8)) {
            for (final T item : items) {
                writer.write(JSON.writeValueAsString(toJson.apply(item)));
                writer.write('\n');
            }
        }
    }

    /** The record as one JSON line (no line end), as in the output files. */
    public static String jsonLine(final SpecificRecord record) throws IOException {
        return JSON.writeValueAsString(AvroJson.toJson(record));
    }
}
