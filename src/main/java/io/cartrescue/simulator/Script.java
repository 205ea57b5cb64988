package io.cartrescue.simulator;

import io.cartrescue.schema.ErrorKind;
import io.cartrescue.schema.PageType;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * Writes a scenario as a list of {@link Step}s, drawing think times and choices from the session's
 * generator. It keeps its own copy of the cart so that a scenario can decide on what is in it (a
 * cheap cart, the item to remove) exactly as the session will replay it.
 */
final class Script {

    private static final String[] PAYMENT_METHODS = {"card", "paypal", "klarna", "apple_pay"};

    private final SplittableRandom random;
    private final Catalogue catalogue;
    private final List<Step> steps = new ArrayList<>(32);
    private final Cart cart = new Cart();
    private long pauseMillis = -1;
    private Catalogue.Item lastViewed;

    Script(final SplittableRandom random, final Catalogue catalogue) {
        this.random = random;
        this.catalogue = catalogue;
    }

    Catalogue catalogue() {
        return catalogue;
    }

    SplittableRandom random() {
        return random;
    }

    boolean chance(final double probability) {
        return random.nextDouble() < probability;
    }

    /** A whole number in [min, max]. */
    int between(final int min, final int max) {
        return min + random.nextInt(max - min + 1);
    }

    <T> T oneOf(final T[] choices) {
        return choices[random.nextInt(choices.length)];
    }

    String paymentMethod() {
        return oneOf(PAYMENT_METHODS);
    }

    /** The planned cart, as it will be after the steps written so far. */
    Cart cart() {
        return cart;
    }

    /** Makes the next step follow after a think time in [minSeconds, maxSeconds] instead of the act's usual one. */
    Script after(final int minSeconds, final int maxSeconds) {
        pauseMillis = thinkMillis(minSeconds, maxSeconds);
        return this;
    }

    Script page(final PageType pageType) {
        return add(Step.Act.PAGE, null, 0, null, null, pageType, null);
    }

    Script category(final String category) {
        return add(Step.Act.PAGE, null, 0, category, null, PageType.CATEGORY, null);
    }

    /** The product whose page was viewed last, or null. */
    Catalogue.Item lastViewed() {
        return lastViewed;
    }

    Script product(final Catalogue.Item item) {
        lastViewed = item;
        return add(Step.Act.PRODUCT_VIEW, item, 0, null, null, null, null);
    }

    Script addToCart(final Catalogue.Item item, final int quantity) {
        cart.add(item, quantity);
        return add(Step.Act.ADD, item, quantity, null, null, null, null);
    }

    Script removeFromCart(final Catalogue.Item item, final int quantity) {
        final int removed = cart.remove(item, quantity);
        if (removed == 0) {
            throw new IllegalStateException(item.productId() + " is not in the planned cart");
        }
        return add(Step.Act.REMOVE, item, removed, null, null, null, null);
    }

    Script viewCart() {
        return add(Step.Act.CART_VIEW, null, 0, null, null, null, null);
    }

    Script startCheckout() {
        return add(Step.Act.CHECKOUT_START, null, 1, null, null, null, null);
    }

    Script viewStep(final int step) {
        return add(Step.Act.STEP_VIEW, null, step, null, null, null, null);
    }

    Script completeStep(final int step) {
        return add(Step.Act.STEP_DONE, null, step, null, null, null, null);
    }

    Script enterPayment(final String method) {
        return add(Step.Act.PAYMENT_INFO, null, 4, method, null, null, null);
    }

    Script paymentFails(final String code) {
        return add(Step.Act.PAYMENT_FAIL, null, 4, code, null, null, ErrorKind.PAYMENT_DECLINED);
    }

    Script checkoutError(final int step, final ErrorKind kind, final String code) {
        return add(Step.Act.CHECKOUT_ERROR, null, step, code, null, null, kind);
    }

    Script couponApplied(final String code) {
        return add(Step.Act.COUPON_APPLIED, null, 0, code, null, null, null);
    }

    Script couponDenied(final String code, final String reason) {
        return add(Step.Act.COUPON_DENIED, null, 0, code, reason, null, null);
    }

    Script placeOrder() {
        final Script script = add(Step.Act.ORDER, null, 5, null, null, null, null);
        cart.clear();
        return script;
    }

    Script exitIntent() {
        return add(Step.Act.EXIT_INTENT, null, 0, null, null, null, null);
    }

    /** Ends the session: no event, the shopper is simply gone after the think time. */
    Script leave() {
        return add(Step.Act.LEAVE, null, 0, null, null, null, null);
    }

    /** The steps written, ending with {@link #leave()} if the scenario did not say when the shopper goes. */
    Step[] steps() {
        if (steps.isEmpty() || steps.get(steps.size() - 1).act() != Step.Act.LEAVE) {
            leave();
        }
        return steps.toArray(new Step[0]);
    }

    private Script add(final Step.Act act, final Catalogue.Item item, final int number, final String text,
                       final String detail, final PageType pageType, final ErrorKind errorKind) {
        final long think;
        if (steps.isEmpty()) {
            think = 0;
        } else if (pauseMillis >= 0) {
            think = pauseMillis;
        } else {
            think = thinkMillis(act.minSeconds(), act.maxSeconds());
        }
        pauseMillis = -1;
        steps.add(new Step(act, think, item, number, text, detail, pageType, errorKind));
        return this;
    }

    private long thinkMillis(final int minSeconds, final int maxSeconds) {
        return minSeconds * 1000L + random.nextLong((maxSeconds - minSeconds) * 1000L + 1);
    }
}
