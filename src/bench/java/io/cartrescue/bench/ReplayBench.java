package io.cartrescue.bench;

import io.cartrescue.app.Main;
import io.cartrescue.app.ReplayCommand;
import io.cartrescue.policy.PolicyLoader;
import io.cartrescue.replay.InMemorySerdes;
import io.cartrescue.replay.ReplayEngine;
import io.cartrescue.replay.ReplayFiles;
import io.cartrescue.replay.ReplayOutputs;
import io.cartrescue.schema.SessionState;
import io.cartrescue.schema.StorefrontEvent;
import java.io.BufferedWriter;
import java.io.IOException;
import java.lang.management.CompilationMXBean;
import java.lang.management.ManagementFactory;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.apache.avro.file.DataFileReader;
import org.apache.avro.file.DataFileWriter;
import org.apache.avro.specific.SpecificDatumReader;
import org.apache.avro.specific.SpecificDatumWriter;
import org.apache.kafka.common.serialization.Serde;

/**
 * Replay speed, two ways over the same simulator events. First the {@code replay} command itself,
 * run as an analyst runs it ({@code cart-rescue replay --input events.jsonl --out DIR}) in a child
 * JVM started with no option (a large replay then starts itself again with the options it wants), and
 * timed from start to exit, less the time it reports for writing its files and report; then the same
 * with those options given by hand, and with {@code --same-jvm} on the JVM's defaults, for comparison;
 * three rounds of the three, each way's figure its median run.
 * Then the two engines it can run on, directly: the events are read from an Avro data file and piped
 * through a {@link ReplayEngine} (the whole topology in stream-time mode, no broker) on one thread:
 * the direct engine the command uses, then the Kafka Streams engine it is held to; afterwards the
 * open sessions' states give the state size of a realistic mix.
 */
public final class ReplayBench {
    static final String SECTION = "replay";
    private static final int CONCURRENT_SESSIONS = 20_000;
    private static final double TARGET = 100_000;
    private static final long COMMAND_TIMEOUT_MINUTES = 20;
    private static final int SETTLE_SECONDS = 15;
    /** Rounds of the three ways of starting the command; each way's figure is its median run. */
    private static final int ROUNDS = 3;
    /** The command's line on standard error: seconds replaying, seconds writing the files and report. */
    /** The command's line on standard error when it starts itself again in a JVM with other options. */
    private static final String RELAUNCHED = "starting again in a JVM with";
    private static final Pattern TIMING = Pattern.compile("events replayed in ([0-9.]+) s .*written in ([0-9.]+) s");

    private final BenchOptions options;
    private final Results results;

    public ReplayBench(final BenchOptions options, final Results results) {
        this.options = options;
        this.results = results;
    }

    public void run() throws IOException, InterruptedException {
        final int count = options.replayEvents();
        final Path work = options.outDir().resolve("work").toAbsolutePath();
        command(work, count);
        final Path file = work.resolve("replay-events.avro");
        write(file, count);
        for (final ReplayEngine.Kind kind : ReplayEngine.Kind.values()) {
            engine(kind, file);
        }
        Files.deleteIfExists(file);
    }

    /** Times one engine on the events of {@code file}, piped on one thread; the direct engine also gives state sizes. */
    private void engine(final ReplayEngine.Kind kind, final Path file) throws IOException {
        final String name = kind == ReplayEngine.Kind.DIRECT ? "direct" : "kafka-streams";
        try (ReplayEngine engine = kind.create(PolicyLoader.defaults())) {
            final long start = System.nanoTime();
            int piped = 0;
            try (DataFileReader<StorefrontEvent> reader = new DataFileReader<>(file.toFile(),
                    new SpecificDatumReader<>(StorefrontEvent.class))) {
                while (reader.hasNext()) {
                    engine.pipe(reader.next(), ++piped);
                }
            }
            final ReplayOutputs outputs = engine.finish();
            final double seconds = (System.nanoTime() - start) / 1e9;
            final double rate = piped / seconds;
            results.info(SECTION, "engine: " + name + " events/s", rate, "ev/s", String.format(Locale.ROOT,
                    "%,d events from an Avro file through the whole topology on the %s engine (REPLAY, no broker, no"
                            + " output files), reading on the same thread, in %.1f s; %,d interventions",
                    piped, name, seconds, outputs.interventions().size()));
            if (kind == ReplayEngine.Kind.DIRECT) {
                stateSizes(engine, new InMemorySerdes().valueSerde(SessionState.class));
            }
        }
    }

    /**
     * Times {@code cart-rescue replay} on a JSON-lines file of {@code count} events, in a child JVM:
     * as an analyst starts it, with its JVM options given by hand, and kept on the JVM's defaults.
     */
    private void command(final Path work, final int count) throws IOException, InterruptedException {
        final Path input = work.resolve("replay-events.jsonl");
        Files.createDirectories(work);
        try (BufferedWriter writer = Files.newBufferedWriter(input, StandardCharsets.UTF_8)) {
            final var storefront = SimulatedEvents.storefront(CONCURRENT_SESSIONS);
            for (int i = 0; i < count; i++) {
                writer.write(ReplayFiles.jsonLine(storefront.next()));
                writer.write('\n');
            }
        }
        settle(input);
        final List<Variant> variants = List.of(
                new Variant("as an analyst starts it", List.of(), List.of(), true, "replay-command"),
                new Variant("with the JVM options given by hand", ReplayCommand.JVM_OPTIONS, List.of(), false,
                        "replay-command-tuned"),
                new Variant("--same-jvm, the JVM's default options", List.of(), List.of("--same-jvm"), false,
                        "replay-command-same-jvm"));
        final int rounds = options.quick() ? 1 : ROUNDS;
        final Map<Variant, List<Timed>> timings = new LinkedHashMap<>();
        for (int round = 0; round < rounds; round++) {
            for (final Variant variant : variants) {
                final Timed timed = time(input, variant);
                if (timed == null) {
                    return;
                }
                timings.computeIfAbsent(variant, v -> new ArrayList<>()).add(timed);
            }
        }
        timings.forEach((variant, runs) -> report(variant, runs, count));
        Files.deleteIfExists(input);
    }

    /**
     * Lets the machine settle before the command is timed: the file just written is forced to disk,
     * so that the kernel does not write it back during a run, and this JVM's JIT compiler, still busy
     * with the code that wrote it, is given up to {@value #SETTLE_SECONDS} s to finish, so that it
     * does not take a core from the command; and its heap, full of the garbage of writing the file, is
     * collected, so that the memory goes back to the system for the command's JVM.
     */
    private static void settle(final Path file) throws IOException, InterruptedException {
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.WRITE)) {
            channel.force(true);
        }
        System.gc();
        final CompilationMXBean jit = ManagementFactory.getCompilationMXBean();
        if (jit == null || !jit.isCompilationTimeMonitoringSupported()) {
            return;
        }
        final long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(SETTLE_SECONDS);
        long before = jit.getTotalCompilationTime();
        while (System.nanoTime() < until) {
            Thread.sleep(1_000);
            final long now = jit.getTotalCompilationTime();
            if (now == before) {
                return;
            }
            before = now;
        }
    }

    /**
     * One way of starting the command: {@code jvmOptions} for its JVM, {@code replayOptions} added to
     * the command, reported as "replay command events/s, {@code label}", held to the target when
     * {@code target} and for information otherwise; {@code name} names its files.
     */
    private record Variant(String label, List<String> jvmOptions, List<String> replayOptions, boolean target,
                           String name) {
    }

    /**
     * One run: seconds from start to exit, seconds the command reports for writing its files and
     * report, seconds in its own count, and whether it started itself again in another JVM.
     */
    private record Timed(double seconds, double files, double own, boolean relaunched) {
        double rate(final int count) {
            return count / (seconds - files);
        }
    }

    /** Times one run of the command on {@code input}, in a child JVM; null (with the failure recorded) if it failed. */
    private Timed time(final Path input, final Variant variant) throws IOException, InterruptedException {
        final Path work = input.getParent();
        final Path out = work.resolve(variant.name() + "-out");
        final Path log = work.resolve(variant.name() + ".log");
        final List<String> command = new ArrayList<>();
        command.add(ProcessHandle.current().info().command().orElse("java"));
        command.addAll(variant.jvmOptions());
        command.addAll(Profiler.childOptions(options, SECTION + "-" + variant.name()));
        command.addAll(List.of("-cp", System.getProperty("java.class.path"), Main.class.getName(), "replay",
                "--input", input.toString(), "--out", out.toString()));
        command.addAll(variant.replayOptions());
        System.err.println("replay: " + String.join(" ", command));
        final long start = System.nanoTime();
        final Process process = new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(log.toFile()).start();
        final boolean finished = process.waitFor(COMMAND_TIMEOUT_MINUTES, TimeUnit.MINUTES);
        final double seconds = (System.nanoTime() - start) / 1e9;
        final String metric = "replay command events/s, " + variant.label();
        if (!finished || process.exitValue() != 0) {
            process.destroyForcibly();
            results.failed(SECTION, metric, ">= 100,000 ev/s", "cart-rescue replay did not complete"
                    + " (exit " + (finished ? process.exitValue() : "timeout") + "); see " + log);
            return null;
        }
        final String printed = Files.readString(log);
        final Matcher timing = TIMING.matcher(printed);
        if (!timing.find()) {
            results.failed(SECTION, metric, ">= 100,000 ev/s", "cart-rescue replay printed no timing line; see " + log);
            return null;
        }
        if (options.profile()) {
            Profiler.summarise(options.outDir().resolve(SECTION + "-" + variant.name() + ".jfr"),
                    options.outDir().resolve(SECTION + "-" + variant.name() + "-profile.txt"));
        }
        ScaleBench.deleteRecursively(out);
        return new Timed(seconds, Double.parseDouble(timing.group(2)), Double.parseDouble(timing.group(1)),
                printed.contains(RELAUNCHED));
    }

    /** Reports the median run of {@code variant} (by events/s), with every run in the detail. */
    private void report(final Variant variant, final List<Timed> runs, final int count) {
        final List<Timed> byRate = new ArrayList<>(runs);
        byRate.sort(Comparator.comparingDouble(t -> t.rate(count)));
        final Timed median = byRate.get(byRate.size() / 2);
        final double rate = median.rate(count);
        final String metric = "replay command events/s, " + variant.label();
        final String how = String.join(" ", variant.jvmOptions()) + (variant.jvmOptions().isEmpty() ? "" : " ")
                + "cart-rescue replay --input (JSON lines, %,d simulator events) --out"
                + (variant.replayOptions().isEmpty() ? "" : " ") + String.join(" ", variant.replayOptions());
        final StringBuilder detail = new StringBuilder(String.format(Locale.ROOT, how + ", child JVM%s; %s of %d runs"
                        + " (rounds of the three ways, in turn): %.1f s from start to exit less %.1f s writing the files"
                        + " and report (%.1f s in the command's own count, JVM start excluded)", count,
                median.relaunched() ? " (which started itself again with " + String.join(" ", ReplayCommand.JVM_OPTIONS)
                        + ")" : "", runs.size() > 1 ? "median" : "one", runs.size(), median.seconds(), median.files(),
                median.own()));
        if (runs.size() > 1) {
            detail.append("; every run, in order: ").append(runs.stream()
                    .map(t -> String.format(Locale.ROOT, "%,.0f", t.rate(count))).collect(Collectors.joining(", ")))
                    .append(" ev/s");
        }
        if (variant.target()) {
            results.target(SECTION, metric, rate, "ev/s", ">= 100,000 ev/s", rate >= TARGET, detail + (rate >= TARGET
                    ? "" : String.format(Locale.ROOT, "; %.0f%% below the target", 100 * (TARGET - rate) / TARGET)));
        } else {
            results.info(SECTION, metric, rate, "ev/s", detail.toString());
        }
        results.info(SECTION, metric + ", files and report included", count / median.seconds(), "ev/s",
                String.format(Locale.ROOT, "the same run, %.1f s from start to exit", median.seconds()));
    }

    private void stateSizes(final ReplayEngine driver, final Serde<SessionState> serde) {
        final List<Integer> measured = new ArrayList<>();
        driver.forEachOpenSession((session, state) -> measured.add(serde.serializer().serialize("", state).length));
        final int n = measured.size();
        final int[] sizes = measured.stream().mapToInt(Integer::intValue).toArray();
        if (n == 0) {
            return;
        }
        final int[] sorted = Arrays.copyOf(sizes, n);
        Arrays.sort(sorted);
        final double mean = Arrays.stream(sorted).average().orElse(0);
        final int p99 = sorted[(int) Math.min(n - 1, Math.ceil(n * 0.99) - 1)];
        results.target(SECTION, "state value per open session (Avro, mix)", mean, "B", "<= 1 KiB", mean + 5 <= 1024,
                String.format(Locale.ROOT, "%,d sessions open at the end of the replay (the simulator's mix); p99 %d B,"
                        + " max %d B; + 5 B Confluent header in the changelog", n, p99, sorted[n - 1]));
    }

    private static void write(final Path file, final int count) throws IOException {
        Files.createDirectories(file.getParent());
        try (DataFileWriter<StorefrontEvent> writer = new DataFileWriter<>(new SpecificDatumWriter<>(StorefrontEvent.class))) {
            writer.create(StorefrontEvent.getClassSchema(), file.toFile());
            final var storefront = SimulatedEvents.storefront(CONCURRENT_SESSIONS);
            for (int i = 0; i < count; i++) {
                writer.append(storefront.next());
            }
        }
    }
}
