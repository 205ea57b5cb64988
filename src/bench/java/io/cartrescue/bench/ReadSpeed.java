package io.cartrescue.bench;

import io.cartrescue.replay.EventSource;
import io.cartrescue.replay.FileEvents;
import io.cartrescue.replay.Funnel;
import io.cartrescue.replay.InputStats;
import io.cartrescue.replay.JsonEventParser;
import io.cartrescue.replay.Replay;
import io.cartrescue.replay.ReplayFiles;
import io.cartrescue.schema.StorefrontEvent;
import io.cartrescue.simulator.StorefrontSimulator;
import java.io.BufferedWriter;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Locale;
import java.util.function.Consumer;

/**
 * The replay reader's own speed, on one thread: a JSON-lines file read by {@link FileEvents} with
 * the {@link JsonEventParser}, every item counted as the replay counts it ({@link InputStats},
 * {@link Funnel}); no encoding, no topology. Run with
 * {@code java -cp target/cart-rescue-bench.jar io.cartrescue.bench.ReadSpeed FILE [EVENTS] [PASSES]}:
 * a FILE that does not exist is first written with EVENTS simulated events (default 1,000,000; the
 * same events as {@code GenerateReplayEvents} with seed 1). Each pass reads the whole file; the
 * first ones warm the JVM up, so the best pass is the figure to quote. The rate is also given per
 * second of the thread's CPU time, which other work on a busy machine disturbs less.
 */
public final class ReadSpeed {
    private static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();

    private ReadSpeed() {
    }

    public static void main(final String[] args) throws IOException {
        final Path file = Path.of(args.length > 0 ? args[0] : "target/events-1m.jsonl");
        final long count = args.length > 1 ? Long.parseLong(args[1]) : 1_000_000L;
        final int passes = args.length > 2 ? Integer.parseInt(args[2]) : 4;
        if (!Files.exists(file)) {
            write(file, count);
        }
        double best = 0;
        double bestCpu = 0;
        for (int pass = 1; pass <= passes; pass++) {
            final InputStats stats = new InputStats();
            final Funnel funnel = new Funnel();
            final long start = System.nanoTime();
            final long cpuStart = THREADS.getCurrentThreadCpuTime();
            final Consumer<EventSource.Item> tally = Replay.tally(stats, funnel);
            try (FileEvents events = new FileEvents(file, new JsonEventParser())) {
                for (EventSource.Item item = events.next(); item != null; item = events.next()) {
                    tally.accept(item);
                }
            }
            final double seconds = (System.nanoTime() - start) / 1e9;
            final double cpu = (THREADS.getCurrentThreadCpuTime() - cpuStart) / 1e9;
            final double rate = stats.lines() / seconds;
            best = Math.max(best, rate);
            bestCpu = Math.max(bestCpu, stats.lines() / cpu);
            System.out.printf(Locale.ROOT, "pass %d: %,d lines (%,d events, %,d malformed, %,d sessions) in %.2f s: %,.0f lines/s,"
                            + " %.2f us/line; thread CPU %.2f s: %,.0f lines/s%n",
                    pass, stats.lines(), stats.events(), stats.malformed(), funnel.sessions(), seconds, rate, 1e6 / rate,
                    cpu, stats.lines() / cpu);
        }
        System.out.printf(Locale.ROOT, "best: %,.0f lines/s (%,.0f lines/s of thread CPU time)%n", best, bestCpu);
    }

    private static void write(final Path file, final long count) throws IOException {
        final StorefrontSimulator simulator = StorefrontSimulator.builder(1).start(Instant.parse("2026-01-05T09:00:00Z")).build();
        if (file.toAbsolutePath().getParent() != null) {
            Files.createDirectories(file.toAbsolutePath().getParent());
        }
        try (BufferedWriter writer = Files.newBufferedWriter(file, StandardCharsets.UTF_8)) {
            for (long i = 0; i < count && simulator.hasNext(); i++) {
                final StorefrontEvent event = simulator.next();
                writer.write(ReplayFiles.jsonLine(event));
                writer.write('\n');
            }
        }
        System.out.printf("%,d events written to %s%n", count, file);
    }
}
