package io.cartrescue.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The figures of a run: each with its unit, its target and whether it meets it, the machine's load
 * when it was measured, and a note on what exactly was measured. Printed as a table and written as
 * JSON.
 */
public final class Results {
    /** Whether a figure meets its target; INFO for a figure without one, FAIL for a step that did not complete. */
    public enum Status { PASS, MISS, INFO, FAIL }

    /**
     * One figure.
     *
     * @param section the benchmark it belongs to
     * @param metric  what was measured
     * @param value   the figure (NaN when the step failed)
     * @param unit    its unit
     * @param target  the target, as text; empty when there is none
     * @param status  PASS, MISS, INFO or FAIL
     * @param load    1-minute load at the start and end of the section
     * @param note    how it was measured, or why it failed
     */
    public record Row(String section, String metric, double value, String unit, String target, Status status,
                      String load, String note) {
    }

    private final List<Row> rows = new ArrayList<>();
    private final Map<String, Object> run = new LinkedHashMap<>();

    public Results(final boolean quick) {
        run.put("date", Instant.now().toString());
        run.put("cores", Load.cores());
        run.put("java", System.getProperty("java.vm.name") + " " + System.getProperty("java.version"));
        run.put("os", System.getProperty("os.name") + " " + System.getProperty("os.arch"));
        run.put("quick", quick);
    }

    public synchronized void add(final Row row) {
        rows.add(row);
        System.err.println("  " + line(row));
    }

    /** A figure with a target: PASS when {@code meets}, else MISS. */
    public void target(final String section, final String metric, final double value, final String unit,
                       final String target, final boolean meets, final String note) {
        add(new Row(section, metric, value, unit, target, meets ? Status.PASS : Status.MISS, "", note));
    }

    /** A figure without a target. */
    public void info(final String section, final String metric, final double value, final String unit,
                     final String note) {
        add(new Row(section, metric, value, unit, "", Status.INFO, "", note));
    }

    /** A step that did not complete. */
    public void failed(final String section, final String metric, final String target, final String why) {
        add(new Row(section, metric, Double.NaN, "", target, Status.FAIL, "", why));
    }

    /** Stamps the figures added since the last call with the load measured around them ("start/end"). */
    public synchronized void stampLoad(final String load) {
        for (int i = 0; i < rows.size(); i++) {
            final Row row = rows.get(i);
            if (row.load().isEmpty()) {
                rows.set(i, new Row(row.section(), row.metric(), row.value(), row.unit(), row.target(), row.status(),
                        load, row.note()));
            }
        }
    }

    public synchronized List<Row> rows() {
        return List.copyOf(rows);
    }

    /** Prints the table. */
    public synchronized void print(final PrintStream out) {
        out.printf(Locale.ROOT, "cart-rescue benchmarks, %s, %d cores, %s%n", run.get("date"), Load.cores(), run.get("java"));
        final String format = "%-11s %-46s %14s %-8s %-22s %-5s %-11s%n";
        out.printf(Locale.ROOT, format, "section", "metric", "value", "unit", "target", "", "load");
        for (final Row row : rows) {
            out.printf(Locale.ROOT, format, row.section(), row.metric(), number(row.value()), row.unit(), row.target(),
                    row.status(), row.load());
        }
        out.println();
        out.println("Notes:");
        for (final Row row : rows) {
            if (!row.note().isEmpty()) {
                out.printf(Locale.ROOT, "  %s / %s: %s%n", row.section(), row.metric(), row.note());
            }
        }
    }

    /** Writes the figures and the run's description as JSON. */
    public synchronized void write(final Path file) throws IOException {
        Files.createDirectories(file.toAbsolutePath().getParent());
        final Map<String, Object> document = new LinkedHashMap<>(run);
        final List<Map<String, Object>> figures = new ArrayList<>();
        for (final Row row : rows) {
            final Map<String, Object> figure = new LinkedHashMap<>();
            figure.put("section", row.section());
            figure.put("metric", row.metric());
            figure.put("value", Double.isNaN(row.value()) ? null : row.value());
            figure.put("unit", row.unit());
            figure.put("target", row.target());
            figure.put("status", row.status().name());
            figure.put("load", row.load());
            figure.put("note", row.note());
            figures.add(figure);
        }
        document.put("figures", figures);
        new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValue(file.toFile(), document);
    }

    private static String line(final Row row) {
        return String.format(Locale.ROOT, "%s / %s: %s %s (target %s, %s)", row.section(), row.metric(),
                number(row.value()), row.unit(), row.target().isEmpty() ? "none" : row.target(), row.status());
    }

    static String number(final double value) {
        if (Double.isNaN(value)) {
            return "-";
        }
        if (Math.abs(value) >= 100 || value == Math.rint(value)) {
            return String.format(Locale.ROOT, "%,.0f", value);
        }
        return String.format(Locale.ROOT, "%.3f", value);
    }
}
