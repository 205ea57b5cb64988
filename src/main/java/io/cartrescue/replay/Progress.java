package io.cartrescue.replay;

import java.io.PrintStream;
import java.time.Duration;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarStyle;

/**
 * Shows how far a replay has read its input, on stderr only (the outputs never carry wall-clock
 * times): a progress bar with events per second and the time left on a terminal, a plain line every
 * few seconds otherwise (a log, CI). Progress is measured in bytes of a file or records of a topic;
 * events are counted for the rate.
 */
public abstract class Progress implements AutoCloseable {
    /** Reports nothing. */
    public static final Progress NONE = new Progress() {
        @Override
        public void update(final long done, final long total, final long events) {
        }

        @Override
        public void close() {
        }
    };

    /** A bar on a terminal, plain lines to {@code err} otherwise; progress counts bytes, or records when not {@code bytes}. */
    public static Progress forConsole(final boolean bytes, final PrintStream err) {
        return System.console() != null ? new Bar(bytes) : new Lines(err, Duration.ofSeconds(5));
    }

    /** Notes that {@code done} of {@code total} (bytes or records) have been read, giving {@code events} events. */
    public abstract void update(long done, long total, long events);

    @Override
    public abstract void close();

    static String rate(final long events, final long nanos) {
        return String.format("%,d events/s", nanos <= 0 ? 0 : (long) (events * 1e9 / nanos));
    }

    /** me.tongfei's progress bar in MiB (or records), events/s as its extra message. */
    private static final class Bar extends Progress {
        private static final long MIB = 1L << 20;
        private final ProgressBar bar;
        private final long started = System.nanoTime();
        private long lastShown;

        Bar(final boolean bytes) {
            final ProgressBarBuilder builder = new ProgressBarBuilder().setTaskName("replay").setInitialMax(-1)
                    .setStyle(ProgressBarStyle.ASCII).showSpeed().setUpdateIntervalMillis(250);
            bar = (bytes ? builder.setUnit(" MiB", MIB) : builder.setUnit(" records", 1)).build();
        }

        @Override
        public void update(final long done, final long total, final long events) {
            final long now = System.nanoTime();
            if (now - lastShown > 100_000_000L) {
                lastShown = now;
                if (total > 0 && bar.getMax() != total) {
                    bar.maxHint(total);
                }
                bar.stepTo(done);
                bar.setExtraMessage(String.format(" %,d events, %s", events, rate(events, now - started)));
            }
        }

        @Override
        public void close() {
            bar.close();
        }
    }

    /** A line every {@code every}: events, percent read, events/s, time left. */
    private static final class Lines extends Progress {
        private final PrintStream err;
        private final long everyNanos;
        private final long started = System.nanoTime();
        private long lastShown = started;
        private long totalBytes;
        private long bytes;
        private long events;

        Lines(final PrintStream err, final Duration every) {
            this.err = err;
            this.everyNanos = every.toNanos();
        }

        @Override
        public void update(final long done, final long total, final long eventsRead) {
            bytes = done;
            totalBytes = total;
            events = eventsRead;
            final long now = System.nanoTime();
            if (now - lastShown >= everyNanos) {
                lastShown = now;
                err.println(line(now));
            }
        }

        private String line(final long now) {
            final long elapsed = now - started;
            final double done = totalBytes <= 0 ? 1 : Math.min(1, (double) bytes / totalBytes);
            final long leftSeconds = done <= 0 ? 0 : (long) (elapsed / 1e9 * (1 - done) / done);
            return String.format("replay: %,d events, %.0f%% read, %s, ETA %d:%02d:%02d", events, done * 100,
                    rate(events, elapsed), leftSeconds / 3600, leftSeconds / 60 % 60, leftSeconds % 60);
        }

        @Override
        public void close() {
            err.println(line(System.nanoTime()).replaceFirst(", ETA.*", ", done"));
        }
    }
}
