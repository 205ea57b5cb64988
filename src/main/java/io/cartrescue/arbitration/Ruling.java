package io.cartrescue.arbitration;

import io.cartrescue.schema.CustomerLedger;
import io.cartrescue.schema.Decision;
import io.cartrescue.schema.PendingHold;
import java.util.Objects;
import java.util.Optional;

/**
 * The result of arbitrating one candidate.
 *
 * @param decision the decision: SUPPRESSED (publish it now), or EMITTED / HOLDOUT (published with the
 *                 hold at its release)
 * @param hold     for EMITTED and HOLDOUT, what waits out the hold: the decision, the intervention
 *                 (none for the holdout) and the release time
 * @param ledger   the customer's ledger after the decision
 */
public record Ruling(Decision decision, Optional<PendingHold> hold, CustomerLedger ledger) {
    public Ruling {
        Objects.requireNonNull(decision, "decision");
        Objects.requireNonNull(hold, "hold");
        Objects.requireNonNull(ledger, "ledger");
    }

    public boolean suppressed() {
        return hold.isEmpty();
    }
}
