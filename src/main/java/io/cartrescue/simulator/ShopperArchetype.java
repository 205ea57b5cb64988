package io.cartrescue.simulator;

import io.cartrescue.schema.EventType;
import io.cartrescue.schema.InterventionType;
import java.util.EnumSet;
import java.util.Optional;
import java.util.Set;

/**
 * The kinds of shopper the simulator plays, one per behaviour the detector must tell apart.
 *
 * <p>Two archetypes never hesitate (they are the background the detector must stay quiet on); each
 * of the others acts out one hesitation signal of the product brief. An archetype also decides how
 * its shopper answers an on-site intervention, so that the demo can close the loop.
 */
public enum ShopperArchetype {

    /** Browses, adds, checks out, pays and completes the order without hesitating. */
    BUYER(false, EnumSet.noneOf(InterventionType.class)),
    /** Views pages and products only, then leaves; never touches the cart. */
    BROWSER(false, EnumSet.noneOf(InterventionType.class)),
    /** Reaches payment and meets two or three declined payments; some then pay another way. */
    PAYMENT_TROUBLE(true, EnumSet.of(InterventionType.PAYMENT_HELP, InterventionType.CHAT_OFFER)),
    /** Sees a high delivery cost at the shipping step, then goes back, removes an item or stalls. */
    SHIPPING_SHOCK(true, EnumSet.of(InterventionType.FREE_SHIPPING_NOTICE, InterventionType.DISCOUNT,
            InterventionType.DELIVERY_INFO)),
    /** Tries coupons that are denied, tries again, then removes an item. */
    COUPON_HUNTER(true, EnumSet.of(InterventionType.DISCOUNT, InterventionType.LOYALTY_REMINDER)),
    /** Enters a checkout step and stays on it, the page pinging every 15 s, without progress. */
    STALLED_STEP(true, EnumSet.of(InterventionType.CHAT_OFFER, InterventionType.DISCOUNT)),
    /** A guest whose account creation fails twice at the first checkout step. */
    ACCOUNT_TROUBLE(true, EnumSet.of(InterventionType.GUEST_CHECKOUT_HINT, InterventionType.CHAT_OFFER)),
    /** Goes back and forth between the cart and the same product's page. */
    PRODUCT_DOUBT(true, EnumSet.of(InterventionType.CHAT_OFFER, InterventionType.RETURNS_INFO)),
    /** Reads the delivery and returns policies in the middle of checkout. */
    POLICY_READER(true, EnumSet.of(InterventionType.DELIVERY_INFO, InterventionType.RETURNS_INFO,
            InterventionType.CHAT_OFFER)),
    /** Has a cart, moves towards closing the tab (Exit Intent), then leaves. */
    EXIT_INTENT(true, EnumSet.of(InterventionType.DISCOUNT, InterventionType.FREE_SHIPPING_NOTICE)),
    /** Adds to the cart and simply stops sending events. */
    ABANDONER(true, EnumSet.of(InterventionType.RECOVERY_REMINDER, InterventionType.DISCOUNT)),
    /** Has payment trouble like {@link #PAYMENT_TROUBLE}, lingers, and dismisses every intervention. */
    DISMISSER(true, EnumSet.noneOf(InterventionType.class));

    private final boolean hesitates;
    private final Set<InterventionType> welcomed;

    ShopperArchetype(final boolean hesitates, final Set<InterventionType> welcomed) {
        this.hesitates = hesitates;
        this.welcomed = welcomed;
    }

    /** True when the scenario contains a hesitation the detector should recognise. */
    public boolean hesitates() {
        return hesitates;
    }

    /**
     * How this shopper answers an intervention of the given type: {@code INTERVENTION_ACCEPTED} when
     * it addresses the shopper's problem, {@code INTERVENTION_DISMISSED} when it does not (and always
     * for {@link #DISMISSER}), and no answer from shoppers who do not hesitate, who ignore it.
     */
    public Optional<EventType> reactionTo(final InterventionType type) {
        if (!hesitates) {
            return Optional.empty();
        }
        return Optional.of(welcomed.contains(type) ? EventType.INTERVENTION_ACCEPTED : EventType.INTERVENTION_DISMISSED);
    }
}
