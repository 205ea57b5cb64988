package io.cartrescue.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The detector at scale: for each open-session count, a child JVM limited to {@code -Xmx1g} runs
 * {@link ScaleRun}; this collects its figures. The child is the test of the memory target: it
 * either completes with a million sessions in a 1 GiB heap or it does not.
 */
public final class ScaleBench {
    static final String SECTION = "scale";
    private static final long CHILD_TIMEOUT_MINUTES = 20;
    private static final double IDLE_TARGET_MS = 5.0;
    private static final double STATE_TARGET_BYTES = 1024;

    private final BenchOptions options;
    private final Results results;

    public ScaleBench(final BenchOptions options, final Results results) {
        this.options = options;
        this.results = results;
    }

    public void run() throws IOException, InterruptedException {
        final Map<Integer, JsonNode> runs = new LinkedHashMap<>();
        for (final int sessions : options.scaleSessions()) {
            final JsonNode run = child(sessions);
            if (run == null) {
                results.failed(SECTION, String.format(Locale.ROOT, "%,d sessions", sessions), "completes in -Xmx1g",
                        "the child JVM did not complete (see its output above)");
                continue;
            }
            runs.put(sessions, run);
            punctuation(sessions, run, runs.values().iterator().next());
        }
        final JsonNode largest = runs.isEmpty() ? null : runs.get(options.scaleSessions().get(options.scaleSessions().size() - 1));
        if (largest != null) {
            memory(largest);
        }
    }

    private void punctuation(final int sessions, final JsonNode run, final JsonNode smallest) {
        final double idle = run.at("/idlePunctuationMicros/median").asDouble() / 1000;
        final double smallestIdle = smallest.at("/idlePunctuationMicros/median").asDouble() / 1000;
        final String name = String.format(Locale.ROOT, "punctuation, %,d sessions, none due", sessions);
        final boolean meets = idle < IDLE_TARGET_MS && idle <= 2 * smallestIdle;
        results.target(SECTION, name, idle, "ms", "< 5 ms, <= 2x 10k", meets, String.format(Locale.ROOT,
                "median of 200 punctuations (max %.3f ms, first %.3f ms), %.1fx the smallest count; sessions opened"
                        + " at %,.0f events/s through the processor", run.at("/idlePunctuationMicros/max").asDouble() / 1000,
                run.at("/idlePunctuationMicros/first").asDouble() / 1000, idle / smallestIdle,
                run.get("loadEventsPerSecond").asDouble()));
        results.info(SECTION, String.format(Locale.ROOT, "punctuation, %,d sessions, 1,000 due", sessions),
                run.at("/duePunctuationMicros/median").asDouble() / 1000, "ms", String.format(Locale.ROOT,
                        "median of 8 punctuations (first %.3f ms, max %.3f ms); %d candidates fired in all",
                        run.at("/duePunctuationMicros/first").asDouble() / 1000, run.at("/duePunctuationMicros/max").asDouble() / 1000,
                        run.get("dueCandidates").asInt()));
    }

    private void memory(final JsonNode run) {
        final int sessions = run.get("sessions").asInt();
        final double value = run.get("stateValueBytesMean").asDouble();
        results.target(SECTION, "state value per session (Avro)", value, "B", "<= 1 KiB", value + 5 <= STATE_TARGET_BYTES,
                String.format(Locale.ROOT, "guest in checkout with one cart line; max %d B; + 5 B Confluent header in"
                        + " the changelog; key %.0f B", run.get("stateValueBytesMax").asInt(),
                        run.get("stateKeyBytesMean").asDouble()));
        final double flushed = run.get("diskBytesPerSessionAfterFlush").asDouble();
        final double compacted = run.get("diskBytesPerSessionAfterCompaction").asDouble();
        results.target(SECTION, "RocksDB on disk per session (both stores)", flushed, "B", "<= 1 KiB",
                flushed <= STATE_TARGET_BYTES, String.format(Locale.ROOT, "%,d sessions, after flush (each session"
                        + " written 3 times, older versions not yet compacted); %.0f B after a full compaction"
                        + " (uncompressed, as Kafka Streams configures RocksDB)", sessions, compacted));
        final double heapMib = run.get("heapUsedAfterGcBytes").asDouble() / (1024 * 1024);
        results.target(SECTION, String.format(Locale.ROOT, "heap after GC, %,d sessions", sessions), heapMib, "MiB",
                "completes in -Xmx1g", true, String.format(Locale.ROOT, "child JVM -Xmx1g (max heap %.0f MiB) completed;"
                        + " state is in RocksDB, off the heap", run.get("heapMaxBytes").asDouble() / (1024 * 1024)));
    }

    private JsonNode child(final int sessions) throws IOException, InterruptedException {
        final Path dir = options.outDir().resolve("work").resolve("scale-" + sessions).toAbsolutePath();
        deleteRecursively(dir);
        Files.createDirectories(dir);
        final List<String> command = new ArrayList<>();
        command.add(ProcessHandle.current().info().command().orElse("java"));
        command.add("-Xmx1g");
        command.addAll(Profiler.childOptions(options, SECTION + "-" + sessions));
        command.addAll(List.of("-cp", System.getProperty("java.class.path"), ScaleRun.class.getName(),
                Integer.toString(sessions), dir.toString()));
        System.err.println("scale: " + String.join(" ", command));
        final Process process = new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.INHERIT).start();
        JsonNode result = null;
        try (BufferedReader out = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
            for (String line = out.readLine(); line != null; line = out.readLine()) {
                if (line.startsWith("RESULT ")) {
                    result = new ObjectMapper().readTree(line.substring("RESULT ".length()));
                } else {
                    System.err.println("scale child: " + line);
                }
            }
        }
        if (!process.waitFor(CHILD_TIMEOUT_MINUTES, TimeUnit.MINUTES)) {
            process.destroyForcibly();
            return null;
        }
        if (options.profile()) {
            final Path jfr = options.outDir().resolve(SECTION + "-" + sessions + ".jfr");
            Profiler.summarise(jfr, options.outDir().resolve(SECTION + "-" + sessions + "-profile.txt"));
        }
        deleteRecursively(dir);
        return process.exitValue() == 0 ? result : null;
    }

    static void deleteRecursively(final Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return;
        }
        try (var paths = Files.walk(dir)) {
            for (final Path p : paths.sorted((a, b) -> b.getNameCount() - a.getNameCount()).toList()) {
                Files.delete(p);
            }
        }
    }
}
