package io.cartrescue.arbitration;

import io.cartrescue.schema.CustomerLedger;
import io.cartrescue.schema.Outcome;
import java.util.Optional;

/**
 * The end of an attribution window.
 *
 * @param outcome the not-converted outcome, empty when an order already converted the decision
 * @param ledger  the ledger without the window
 */
public record AttributionEnd(Optional<Outcome> outcome, CustomerLedger ledger) {
}
