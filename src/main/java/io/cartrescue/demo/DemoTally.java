package io.cartrescue.demo;

import io.cartrescue.schema.Decision;
import io.cartrescue.schema.Intervention;
import java.io.PrintStream;
import java.util.Map;
import java.util.TreeMap;

/** What the demo saw on the output topics, for the summary at the end. */
final class DemoTally {
    private final Map<String, Integer> interventions = new TreeMap<>();
    private final Map<String, Integer> verdicts = new TreeMap<>();
    private final Map<String, Integer> guardrails = new TreeMap<>();
    private int outcomes;
    private int converted;
    private int deadLetters;

    synchronized void intervention(final Intervention i) {
        interventions.merge(i.getChannel() + " " + i.getType(), 1, Integer::sum);
    }

    synchronized void decision(final Decision d) {
        verdicts.merge(d.getVerdict().name(), 1, Integer::sum);
        if (d.getGuardrail() != null) {
            guardrails.merge(d.getGuardrail(), 1, Integer::sum);
        }
    }

    synchronized void outcome(final boolean wasConverted) {
        outcomes++;
        if (wasConverted) {
            converted++;
        }
    }

    synchronized void deadLetter() {
        deadLetters++;
    }

    synchronized int interventionCount() {
        return interventions.values().stream().mapToInt(Integer::intValue).sum();
    }

    synchronized void print(final PrintStream out) {
        out.println("  interventions published: " + interventionCount());
        interventions.forEach((k, v) -> out.printf("    %-36s %5d%n", k, v));
        out.println("  decisions: " + verdicts);
        if (!guardrails.isEmpty()) {
            out.println("  suppressed by guardrail: " + guardrails);
        }
        out.println("  outcomes: " + outcomes + " (" + converted + " converted)");
        out.println("  dead letters: " + deadLetters);
    }
}
