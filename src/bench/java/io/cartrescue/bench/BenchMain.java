package io.cartrescue.bench;

import io.cartrescue.local.LocalStack;
import io.cartrescue.policy.Policy;
import io.cartrescue.policy.PolicyLoader;
import java.nio.file.Path;
import java.util.Locale;

/**
 * {@code java -jar target/cart-rescue-bench.jar [--quick]}: runs the benchmarks in order
 * (throughput, latency, scale, replay, JMH), prints every figure next to its target, and writes
 * them to {@code target/bench/results.json} (after each section, so that an interrupted run keeps
 * what it measured). The broker and registry are started once for the first two sections, on a
 * fresh data directory.
 */
public final class BenchMain {
    /** The policy of the latency run without hold. */
    static final String NO_HOLD_POLICY = "version: bench-0\narbitration:\n  holds:\n    inSessionSeconds: 0\n";
    private static final double QUIET_LOAD = 1.5;
    private static final double FALLBACK_LATENCY_RATE = 2_000;

    private final BenchOptions options;
    private final Results results;
    private final Path json;
    private LocalStack stack;
    private double sustained = Double.NaN;

    private BenchMain(final BenchOptions options) {
        this.options = options;
        this.results = new Results(options.quick());
        this.json = options.outDir().resolve("results.json");
    }

    public static void main(final String[] args) throws Exception {
        final BenchOptions options;
        try {
            options = BenchOptions.parse(args);
        } catch (final IllegalArgumentException e) {
            System.err.println(e.getMessage());
            System.exit(2);
            return;
        }
        final BenchMain main = new BenchMain(options);
        try {
            main.runAll();
        } finally {
            if (main.stack != null) {
                main.stack.close();
            }
            main.results.print(System.out);
            main.results.write(main.json);
            System.out.println("Written to " + main.json.toAbsolutePath());
        }
        System.exit(0);
    }

    private void runAll() throws Exception {
        ScaleBench.deleteRecursively(options.outDir().resolve("work"));
        for (final String section : options.sections()) {
            final double before = Load.awaitQuiet(QUIET_LOAD, options.waitQuiet());
            System.err.printf(Locale.ROOT, "== %s (load %s)%n", section, Load.format(before));
            try (Profiler profiler = Profiler.start(options, section)) {
                run(section);
            } catch (final Exception e) {
                e.printStackTrace();
                results.failed(section, "section", "", "failed: " + e);
            }
            results.stampLoad(Load.format(before) + "/" + Load.format(Load.oneMinute()));
            results.write(json);
        }
    }

    private void run(final String section) throws Exception {
        switch (section) {
            case ThroughputBench.SECTION -> sustained = new ThroughputBench(stack(), options, results).run();
            case LatencyBench.SECTION -> latency();
            case ScaleBench.SECTION -> new ScaleBench(options, results).run();
            case ReplayBench.SECTION -> new ReplayBench(options, results).run();
            case JmhBench.SECTION -> new JmhBench(options, results).run();
            default -> throw new IllegalArgumentException(section);
        }
    }

    private void latency() throws Exception {
        final double rate = Double.isNaN(sustained) ? FALLBACK_LATENCY_RATE : sustained / 2;
        final LatencyBench bench = new LatencyBench(stack(), options, results);
        final Policy noHold = PolicyLoader.fromYaml(NO_HOLD_POLICY, "bench");
        bench.run("nohold", noHold, rate);
        bench.run("default", PolicyLoader.defaults(), rate);
    }

    private LocalStack stack() throws Exception {
        if (stack == null) {
            stack = LocalStack.start(options.outDir().resolve("work").resolve("stack").toAbsolutePath());
        }
        return stack;
    }
}
