package io.cartrescue.bench;

import java.util.Collection;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.RunnerException;
import org.openjdk.jmh.runner.options.ChainedOptionsBuilder;
import org.openjdk.jmh.runner.options.OptionsBuilder;
import org.openjdk.jmh.runner.options.TimeValue;

/**
 * Runs the JMH benchmarks of the hot code ({@link DetectorBenchmark}, {@link SerdeBenchmark}) in a
 * forked JVM and records their average time per operation.
 */
public final class JmhBench {
    static final String SECTION = "jmh";

    private final BenchOptions options;
    private final Results results;

    public JmhBench(final BenchOptions options, final Results results) {
        this.options = options;
        this.results = results;
    }

    public void run() throws RunnerException {
        final ChainedOptionsBuilder builder = new OptionsBuilder()
                .include(DetectorBenchmark.class.getName())
                .include(SerdeBenchmark.class.getName())
                .forks(1)
                .jvmArgs("-Xmx1g")
                .output(options.outDir().resolve("jmh.log").toString())
                .shouldFailOnError(true);
        if (options.quick()) {
            builder.warmupIterations(2).warmupTime(TimeValue.seconds(1))
                    .measurementIterations(3).measurementTime(TimeValue.seconds(1));
        } else {
            builder.warmupIterations(3).warmupTime(TimeValue.seconds(2))
                    .measurementIterations(5).measurementTime(TimeValue.seconds(2));
        }
        if (options.profile()) {
            builder.addProfiler("jfr");
        }
        final Collection<RunResult> runs = new Runner(builder.build()).run();
        for (final RunResult run : runs) {
            final String label = run.getParams().getBenchmark().replace("io.cartrescue.bench.", "");
            final double nanos = run.getPrimaryResult().getScore();
            final double error = run.getPrimaryResult().getScoreError();
            final TimeUnit unit = run.getParams().getTimeUnit();
            results.info(SECTION, label, nanos, unit == TimeUnit.NANOSECONDS ? "ns/op" : unit.toString(),
                    String.format(Locale.ROOT, "+- %.1f (99.9%% CI); %,.0f ops/s per core", error, 1e9 / nanos));
        }
    }
}
