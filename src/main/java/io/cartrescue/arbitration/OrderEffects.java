package io.cartrescue.arbitration;

import io.cartrescue.schema.CustomerLedger;
import io.cartrescue.schema.Decision;
import io.cartrescue.schema.Outcome;
import io.cartrescue.schema.PendingHold;
import java.util.List;

/**
 * What an order changes.
 *
 * @param cancelledHolds holds the order cancelled (their stores entries and timers go)
 * @param cancellations  for each cancelled hold, its decision, now SUPPRESSED by ORDER_PLACED
 * @param outcomes       conversions of the customer's open attribution windows
 * @param ledger         the ledger with the order recorded
 */
public record OrderEffects(List<PendingHold> cancelledHolds, List<Decision> cancellations, List<Outcome> outcomes,
                           CustomerLedger ledger) {
    public OrderEffects {
        cancelledHolds = List.copyOf(cancelledHolds);
        cancellations = List.copyOf(cancellations);
        outcomes = List.copyOf(outcomes);
    }
}
