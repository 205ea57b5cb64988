package io.cartrescue.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.text.ParseException;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import jdk.jfr.Configuration;
import jdk.jfr.Recording;
import jdk.jfr.consumer.RecordedEvent;
import jdk.jfr.consumer.RecordedFrame;
import jdk.jfr.consumer.RecordedMethod;
import jdk.jfr.consumer.RecordingFile;

/**
 * A JFR recording of one section (the "profile" settings: execution samples every 10 ms), written
 * to {@code <out>/<section>.jfr} and summarised in {@code <out>/<section>-profile.txt}: the methods
 * most often on top of the stack, and the cart-rescue methods most often anywhere on it. The same
 * as {@code jfr print --events jdk.ExecutionSample} counted by frame.
 */
public final class Profiler implements AutoCloseable {
    private static final int TOP = 15;

    private final Recording recording;
    private final Path jfr;
    private final Path summary;

    private Profiler(final Recording recording, final Path jfr, final Path summary) {
        this.recording = recording;
        this.jfr = jfr;
        this.summary = summary;
    }

    /** Starts a recording for {@code section} when profiling is on; otherwise a no-op profiler. */
    public static Profiler start(final BenchOptions options, final String section) throws IOException {
        if (!options.profile()) {
            return new Profiler(null, null, null);
        }
        try {
            final Recording recording = new Recording(Configuration.getConfiguration("profile"));
            recording.start();
            Files.createDirectories(options.outDir());
            return new Profiler(recording, options.outDir().resolve(section + ".jfr"),
                    options.outDir().resolve(section + "-profile.txt"));
        } catch (final ParseException e) {
            throw new IOException("cannot read the JFR profile settings", e);
        }
    }

    /** The JVM options that make a child JVM record the same profile into {@code file}. */
    public static List<String> childOptions(final BenchOptions options, final String section) {
        if (!options.profile()) {
            return List.of();
        }
        final Path file = options.outDir().toAbsolutePath().resolve(section + ".jfr");
        return List.of("-XX:StartFlightRecording=settings=profile,filename=" + file);
    }

    @Override
    public void close() throws IOException {
        if (recording == null) {
            return;
        }
        recording.stop();
        recording.dump(jfr);
        recording.close();
        summarise(jfr, summary);
    }

    /** Writes the summary of a recording next to it and prints it to standard error. */
    public static void summarise(final Path jfr, final Path summary) throws IOException {
        final Map<String, Integer> self = new HashMap<>();
        final Map<String, Integer> inclusive = new HashMap<>();
        int samples = 0;
        for (final RecordedEvent event : RecordingFile.readAllEvents(jfr)) {
            if (!event.getEventType().getName().equals("jdk.ExecutionSample") || event.getStackTrace() == null) {
                continue;
            }
            samples++;
            final List<RecordedFrame> frames = event.getStackTrace().getFrames();
            if (!frames.isEmpty()) {
                self.merge(name(frames.get(0).getMethod()), 1, Integer::sum);
            }
            final Set<String> seen = new HashSet<>();
            for (final RecordedFrame frame : frames) {
                final String name = name(frame.getMethod());
                if (name.startsWith("io.cartrescue.") && !name.startsWith("io.cartrescue.bench.") && seen.add(name)) {
                    inclusive.merge(name, 1, Integer::sum);
                }
            }
        }
        final StringBuilder text = new StringBuilder();
        text.append(String.format(Locale.ROOT, "%s: %d execution samples%n", jfr.getFileName(), samples));
        append(text, "top of stack (self)", self, samples);
        append(text, "cart-rescue methods anywhere on the stack (inclusive)", inclusive, samples);
        Files.writeString(summary, text);
        System.err.print(text);
    }

    private static void append(final StringBuilder text, final String title, final Map<String, Integer> counts,
                               final int samples) {
        text.append("  ").append(title).append(':').append(System.lineSeparator());
        counts.entrySet().stream()
                .sorted(Map.Entry.<String, Integer>comparingByValue().reversed())
                .limit(TOP)
                .forEach(e -> text.append(String.format(Locale.ROOT, "    %5.1f%%  %s%n",
                        100.0 * e.getValue() / Math.max(1, samples), e.getKey())));
    }

    private static String name(final RecordedMethod method) {
        return method.getType().getName() + "." + method.getName();
    }
}
