package io.cartrescue.arbitration;

/**
 * Why an intervention was not made. Candidate-level guardrails stop the candidate; rung-level ones
 * make arbitration try the next rung of the ladder and stop it only when no rung is left.
 */
public enum Guardrail {
    /** The order was placed (in the session, or for a reminder in any recent session). */
    ORDER_PLACED,
    /** The session already had the most interventions allowed. */
    FREQUENCY_CAP,
    /** The previous intervention, on any channel, was too recent. */
    MIN_GAP,
    /** An intervention of this type was already made in the session. */
    ALREADY_SENT_TYPE,
    /** The shopper dismissed this type in the session. */
    DISMISSED,
    /** The shopper dismissed enough offers in the session that no more chat or on-site offers follow. */
    DISMISSAL_LIMIT,
    /** The customer already had the most discounts allowed in the period. */
    DISCOUNT_CAP,
    /** The customer abandoned too many sessions after a discount offer in the period. */
    REPEAT_ABANDONER,
    /** The customer has not given the consent the offer needs. */
    NO_CONSENT,
    /** The chat queue has too few free agents. */
    CHAT_CAPACITY,
    /** The rung's cart value, tier or device conditions do not fit (rung level only). */
    NOT_ELIGIBLE,
    /** No rung of the signal's ladder fits, and none was stopped by another guardrail. */
    NO_ELIGIBLE_RUNG
}
