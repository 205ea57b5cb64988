package io.cartrescue.replay;

import io.cartrescue.schema.Decision;
import io.cartrescue.schema.Intervention;
import io.cartrescue.schema.Outcome;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * What one replay produced: interventions, decisions, outcomes and dead letters, in a stable order
 * (by event time, then id; dead letters by line), so that the same input and policy give the same
 * files.
 */
public final class ReplayOutputs {
    private final List<Intervention> interventions = new ArrayList<>();
    private final List<Decision> decisions = new ArrayList<>();
    private final List<Outcome> outcomes = new ArrayList<>();
    private final List<DeadLetter> deadLetters = new ArrayList<>();

    void add(final Intervention intervention) {
        interventions.add(intervention);
    }

    void add(final Decision decision) {
        decisions.add(decision);
    }

    void add(final Outcome outcome) {
        outcomes.add(outcome);
    }

    void add(final DeadLetter deadLetter) {
        deadLetters.add(deadLetter);
    }

    /** Puts every list in its stable order; called once the replay has ended. */
    void sort() {
        interventions.sort(Comparator.comparing(Intervention::getCreatedAt).thenComparing(Intervention::getInterventionId));
        decisions.sort(Comparator.comparing(Decision::getDecidedAt).thenComparing(Decision::getDecisionId)
                .thenComparing(d -> d.getVerdict().name()));
        outcomes.sort(Comparator.comparing(Outcome::getDecidedAt).thenComparing(Outcome::getDecisionId));
        deadLetters.sort(Comparator.comparing(DeadLetter::input)
                .thenComparing(DeadLetter::line, Comparator.nullsLast(Comparator.naturalOrder()))
                .thenComparing(DeadLetter::topic, Comparator.nullsFirst(Comparator.naturalOrder()))
                .thenComparing(DeadLetter::offset, Comparator.nullsFirst(Comparator.naturalOrder()))
                .thenComparing(DeadLetter::reason));
    }

    public List<Intervention> interventions() {
        return interventions;
    }

    public List<Decision> decisions() {
        return decisions;
    }

    public List<Outcome> outcomes() {
        return outcomes;
    }

    public List<DeadLetter> deadLetters() {
        return deadLetters;
    }
}
