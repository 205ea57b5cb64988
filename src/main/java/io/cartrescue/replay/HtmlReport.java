package io.cartrescue.replay;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;

/**
 * The replay's {@code report.html}: one file that opens offline. Apache ECharts (read from the
 * class path, where the build put it) and the summary data are inlined; the page draws
 * interventions over time by type and by signal, the funnel, suppressions by guardrail, treated vs
 * holdout conversion with intervals, the uplift, revenue recovered and, for a what-if, the two
 * policies side by side with the sessions they treat differently. Every value from the input is
 * set as text by the page, never as markup.
 */
public final class HtmlReport {
    /** At most this many differing sessions are listed in the page; all are in differences.jsonl. */
    static final int MAX_LISTED_DIFFERENCES = 1000;
    private static final String TEMPLATE = "report-template.html";
    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.ORDER_MAP_ENTRIES_BY_KEYS);

    private HtmlReport() {
    }

    /** The page for a summary, with the compared policy's summary and the differences for a what-if. */
    public static String render(final Map<String, Object> summary, final Map<String, Object> compare,
                                final List<PolicyComparison.SessionDifference> differences) {
        final Map<String, Object> data = new TreeMap<>();
        data.put("summary", summary);
        data.put("compare", compare);
        data.put("differences", differences.subList(0, Math.min(differences.size(), MAX_LISTED_DIFFERENCES)));
        data.put("differencesTotal", differences.size());
        final String json;
        try {
            json = JSON.writeValueAsString(data);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("the report data cannot be written as JSON", e);
        }
        return resource(HtmlReport.class.getResourceAsStream(TEMPLATE), TEMPLATE)
                .replace("__REPORT_DATA__", scriptSafe(json))
                .replace("__ECHARTS__", scriptSafe(echarts()));
    }

    /** Apache ECharts' minified distribution, from the class path. */
    static String echarts() {
        final Properties facts = new Properties();
        try (InputStream in = HtmlReport.class.getResourceAsStream("report.properties")) {
            if (in == null) {
                throw new IllegalStateException("report.properties is missing from the class path");
            }
            facts.load(in);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        final String path = facts.getProperty("echarts.resource");
        return resource(HtmlReport.class.getClassLoader().getResourceAsStream(path), path);
    }

    private static String resource(final InputStream in, final String name) {
        if (in == null) {
            throw new IllegalStateException(name + " is missing from the class path");
        }
        try (in) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + name, e);
        }
    }

    /**
     * Text that cannot end or confuse the script element it is inlined in. Both sequences only occur
     * inside string literals (of JSON, or of the chart library), where the escapes mean the same.
     */
    static String scriptSafe(final String text) {
        return text.replace("</", "<\\/").replace("<!--", "<\\u0021--");
    }
}
