package io.cartrescue.bench;

import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * What a run measures and how large it is. {@code --quick} shrinks every input so that a whole run
 * takes a few minutes; its figures are noisier.
 *
 * @param quick             the small variant
 * @param sections          which benchmarks to run, in order
 * @param outDir            where results.json and profiles are written
 * @param profile           record a JFR profile of each section and summarise it
 * @param waitQuiet         how long to wait for a 1-minute load of at most 1.5 before each section
 * @param throughputEvents  events pre-loaded for the throughput comparison
 * @param latencyLoad       how long each latency run sends load and probes
 * @param replayEvents      events in the replay file
 * @param scaleSessions     open-session counts of the punctuation benchmark
 */
public record BenchOptions(boolean quick, Set<String> sections, Path outDir, boolean profile, Duration waitQuiet,
                           int throughputEvents, Duration latencyLoad, int replayEvents, List<Integer> scaleSessions) {
    /** Every section, in the order they run. */
    public static final List<String> ALL = List.of("throughput", "latency", "scale", "replay", "jmh");

    private static final String USAGE = """
            usage: java -jar target/cart-rescue-bench.jar [--quick] [--only SECTION,...] [--profile]
                                                          [--wait-quiet MINUTES] [--out DIR]
              --quick        smaller inputs (a few minutes in all; noisier figures)
              --only         some of: throughput, latency, scale, replay, jmh (default: all)
              --profile      record a JFR profile of each section and print its hottest methods
              --wait-quiet   before each section wait up to MINUTES for a 1-minute load <= 1.5 (default 0)
              --out          output directory (default target/bench)""";

    /** Parses the command line; throws IllegalArgumentException with the usage on a bad one. */
    public static BenchOptions parse(final String... args) {
        boolean quick = false;
        boolean profile = false;
        Set<String> sections = new LinkedHashSet<>(ALL);
        Path out = Path.of("target", "bench");
        Duration wait = Duration.ZERO;
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--quick" -> quick = true;
                case "--profile" -> profile = true;
                case "--only" -> sections = sections(value(args, ++i));
                case "--out" -> out = Path.of(value(args, ++i));
                case "--wait-quiet" -> wait = Duration.ofMinutes(Long.parseLong(value(args, ++i)));
                case "--help", "-h" -> throw new IllegalArgumentException(USAGE);
                default -> throw new IllegalArgumentException("unknown option " + args[i] + "\n" + USAGE);
            }
        }
        return quick
                ? new BenchOptions(true, sections, out, profile, wait, 100_000, Duration.ofSeconds(75), 200_000,
                        List.of(10_000, 100_000, 1_000_000))
                : new BenchOptions(false, sections, out, profile, wait, 500_000, Duration.ofSeconds(95), 1_000_000,
                        List.of(10_000, 100_000, 1_000_000));
    }

    private static Set<String> sections(final String list) {
        final Set<String> chosen = new LinkedHashSet<>();
        for (final String name : ALL) {
            if (List.of(list.split(",")).contains(name)) {
                chosen.add(name);
            }
        }
        for (final String name : list.split(",")) {
            if (!ALL.contains(name)) {
                throw new IllegalArgumentException("unknown section " + name + "\n" + USAGE);
            }
        }
        return chosen;
    }

    private static String value(final String[] args, final int i) {
        if (i >= args.length) {
            throw new IllegalArgumentException(args[i - 1] + " needs a value\n" + USAGE);
        }
        return args[i];
    }
}
