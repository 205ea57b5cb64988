package io.cartrescue.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Locale;

/**
 * The machine's load, read from {@code /proc/loadavg}: figures are only comparable when it is low,
 * so every figure is recorded next to the 1-minute load at the start and end of its section.
 */
public final class Load {
    private static final Path LOADAVG = Path.of("/proc/loadavg");

    private Load() {
    }

    /** The 1-minute load average, or NaN where the system does not report it. */
    public static double oneMinute() {
        try {
            return Double.parseDouble(Files.readString(LOADAVG).trim().split("\\s+")[0]);
        } catch (final IOException | RuntimeException e) {
            return Double.NaN;
        }
    }

    /** The number of processors this JVM may use. */
    public static int cores() {
        return Runtime.getRuntime().availableProcessors();
    }

    /**
     * Waits until the 1-minute load is at most {@code threshold}, polling every 30 s, for at most
     * {@code maxWait}; returns the load it ends with.
     */
    public static double awaitQuiet(final double threshold, final Duration maxWait) throws InterruptedException {
        final long deadline = System.nanoTime() + maxWait.toNanos();
        double load = oneMinute();
        while (load > threshold && System.nanoTime() < deadline) {
            System.err.printf(Locale.ROOT, "load %.2f > %.2f: waiting for a quiet machine%n", load, threshold);
            Thread.sleep(Math.min(30_000, Math.max(1, (deadline - System.nanoTime()) / 1_000_000)));
            load = oneMinute();
        }
        return load;
    }

    /** "1.23" or "n/a". */
    public static String format(final double load) {
        return Double.isNaN(load) ? "n/a" : String.format(Locale.ROOT, "%.2f", load);
    }
}
