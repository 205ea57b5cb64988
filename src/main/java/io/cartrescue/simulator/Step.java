package io.cartrescue.simulator;

import io.cartrescue.schema.ErrorKind;
import io.cartrescue.schema.PageType;

/**
 * One planned action of a scenario: what the shopper does and how long they think before doing it.
 * A session turns its steps into events one at a time, so a planned session holds a small array of
 * steps rather than all of its events.
 *
 * @param act         what the shopper does
 * @param thinkMillis time since the previous step
 * @param item        the product, for product views, adds and removals
 * @param number      the quantity for adds and removals, the step number for checkout steps
 * @param text        the category, payment method, error or coupon code, depending on the act
 * @param detail      the coupon denial reason
 * @param pageType    the page type, for page views
 * @param errorKind   the error class, for checkout errors
 */
record Step(Act act, long thinkMillis, Catalogue.Item item, int number, String text, String detail,
            PageType pageType, ErrorKind errorKind) {

    /** The actions a scenario is made of, each with the usual think time before it in seconds. */
    enum Act {
        PAGE(3, 15),
        PRODUCT_VIEW(5, 30),
        ADD(5, 40),
        REMOVE(5, 20),
        CART_VIEW(2, 10),
        CHECKOUT_START(3, 15),
        STEP_VIEW(1, 4),
        STEP_DONE(5, 14),
        PAYMENT_INFO(5, 14),
        PAYMENT_FAIL(2, 6),
        CHECKOUT_ERROR(2, 8),
        COUPON_APPLIED(5, 20),
        COUPON_DENIED(5, 20),
        ORDER(2, 8),
        EXIT_INTENT(5, 30),
        LEAVE(0, 10);

        private final int minSeconds;
        private final int maxSeconds;

        Act(final int minSeconds, final int maxSeconds) {
            this.minSeconds = minSeconds;
            this.maxSeconds = maxSeconds;
        }

        int minSeconds() {
            return minSeconds;
        }

        int maxSeconds() {
            return maxSeconds;
        }
    }
}
