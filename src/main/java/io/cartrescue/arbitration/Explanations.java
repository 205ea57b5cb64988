package io.cartrescue.arbitration;

import io.cartrescue.policy.ArbitrationPolicy.Rung;
import io.cartrescue.schema.Candidate;
import io.cartrescue.schema.ExperimentArm;
import java.util.List;

/** One-sentence explanations of decisions that made (or, for the holdout, withheld) an intervention. */
final class Explanations {
    private Explanations() {
    }

    static String selected(final Candidate candidate, final Rung rung, final int index, final List<Rejection> skipped,
                           final ExperimentArm arm, final int holdoutPercent) {
        final String offer = rung.type() + " on " + rung.channel() + " for " + candidate.getSignal() + " (rung " + (index + 1) + ")";
        final String after = skipped.isEmpty() ? ""
                : " after " + String.join("; ", skipped.stream().map(Rejection::explanation).toList());
        if (arm == ExperimentArm.HOLDOUT) {
            return "Withheld: the customer is in the " + holdoutPercent + "% holdout, so the " + offer + after
                    + " was not sent, to measure uplift.";
        }
        return "Offered " + offer + after + ".";
    }
}
