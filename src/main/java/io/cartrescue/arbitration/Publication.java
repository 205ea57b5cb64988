package io.cartrescue.arbitration;

import io.cartrescue.schema.CustomerLedger;
import io.cartrescue.schema.Decision;
import io.cartrescue.schema.Intervention;
import io.cartrescue.schema.OpenAttribution;
import java.util.Optional;

/**
 * A hold that ended without an order: what to publish and the attribution window it opens.
 *
 * @param decision     the decision (EMITTED or HOLDOUT)
 * @param intervention the intervention, none for the holdout
 * @param attribution  the window now open for the decision's outcome
 * @param ledger       the ledger with the window recorded
 */
public record Publication(Decision decision, Optional<Intervention> intervention, OpenAttribution attribution,
                          CustomerLedger ledger) {
}
