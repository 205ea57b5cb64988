package io.cartrescue.simulator;

import io.cartrescue.schema.ErrorKind;
import io.cartrescue.schema.PageType;

/**
 * The script of each archetype: the steps a shopper of that kind takes, with the randomness that
 * keeps two shoppers of the same kind from looking alike (how much they browse, which products,
 * how long they think, how the hesitation ends).
 */
final class Scenarios {

    private static final String[] DECLINE_CODES = {
        "card_declined", "insufficient_funds", "do_not_honor", "expired_card", "incorrect_cvc"};
    private static final String[] COUPON_CODES = {"SAVE20", "WELCOME10", "SUMMER15", "FREESHIP", "VIP25", "FRIENDS30"};
    private static final String[] COUPON_DENIALS = {"expired", "unknown_code", "minimum_not_reached", "not_applicable"};
    private static final String[] ACCOUNT_ERRORS = {
        "email_already_registered", "password_policy", "service_unavailable", "captcha_failed"};

    private Scenarios() {
    }

    /** Plans the whole session of one shopper of the given archetype. */
    static Step[] plan(final ShopperArchetype archetype, final Script script) {
        switch (archetype) {
            case BUYER -> buyer(script);
            case BROWSER -> browser(script);
            case PAYMENT_TROUBLE -> paymentTrouble(script, false);
            case SHIPPING_SHOCK -> shippingShock(script);
            case COUPON_HUNTER -> couponHunter(script);
            case STALLED_STEP -> stalledStep(script);
            case ACCOUNT_TROUBLE -> accountTrouble(script);
            case PRODUCT_DOUBT -> productDoubt(script);
            case POLICY_READER -> policyReader(script);
            case EXIT_INTENT -> exitIntent(script);
            case ABANDONER -> abandoner(script);
            case DISMISSER -> paymentTrouble(script, true);
            default -> throw new IllegalArgumentException("no scenario for " + archetype);
        }
        return script.steps();
    }

    private static void buyer(final Script s) {
        final String category = land(s);
        browse(s, category, s.between(1, 4));
        shop(s, category, s.between(1, 3));
        s.viewCart();
        if (s.chance(0.1)) {
            s.couponApplied("WELCOME10");
        }
        s.startCheckout().viewStep(1);
        completeFrom(s, 1, s.paymentMethod());
        s.after(0, 20).leave();
    }

    private static void browser(final Script s) {
        String category = land(s);
        final int views = s.between(1, 6);
        for (int i = 0; i < views; i++) {
            if (i > 0 && s.chance(0.25)) {
                category = s.catalogue().pickCategory(s.random());
                s.category(category);
            }
            s.product(freshPick(s, category, 1.0));
        }
        if (s.chance(0.15)) {
            s.page(PageType.FAQ);
        }
        s.leave();
    }

    private static void paymentTrouble(final Script s, final boolean lingers) {
        final String category = land(s);
        browse(s, category, s.between(1, 3));
        shop(s, category, s.between(1, 2));
        s.viewCart().startCheckout().viewStep(1);
        advance(s, 1, 4);
        final String method = s.chance(0.7) ? "card" : s.paymentMethod();
        final int failures = s.between(2, 3);
        for (int i = 0; i < failures; i++) {
            if (i > 0) {
                s.after(10, 40);
            }
            s.enterPayment(method).paymentFails(s.oneOf(DECLINE_CODES));
        }
        if (lingers) {
            s.after(90, 240);
        }
        if (s.chance(lingers ? 0.3 : 0.5)) {
            if (!lingers) {
                s.after(15, 60);
            }
            completeFrom(s, 4, otherMethod(s, method));
            s.after(0, 20).leave();
        } else {
            if (!lingers) {
                s.after(30, 120);
            }
            s.leave();
        }
    }

    private static void shippingShock(final Script s) {
        final String category = land(s);
        browse(s, category, s.between(1, 3));
        final Catalogue.Item item = s.chance(0.5)
                ? s.catalogue().pickBulky(s.random())
                : s.catalogue().pickCheap(s.random());
        s.product(item).addToCart(item, 1);
        s.viewCart().startCheckout().viewStep(1);
        advance(s, 1, 3);
        switch (s.between(0, 3)) {
            case 0 -> s.after(10, 40).viewCart().after(20, 90).leave();
            case 1 -> s.after(10, 40).viewCart().removeFromCart(item, 1).after(5, 30).leave();
            case 2 -> s.after(10, 40).viewStep(2).after(30, 120).leave();
            default -> s.after(120, 300).leave();
        }
    }

    private static void couponHunter(final Script s) {
        final String category = land(s);
        browse(s, category, s.between(1, 3));
        shop(s, category, s.between(2, 3));
        s.viewCart();
        final int tries = s.chance(0.4) ? 3 : 2;
        final int first = s.random().nextInt(COUPON_CODES.length);
        for (int i = 0; i < tries; i++) {
            if (i > 0) {
                s.after(10, 40);
            }
            s.couponDenied(COUPON_CODES[(first + i) % COUPON_CODES.length], s.oneOf(COUPON_DENIALS));
        }
        final var items = s.cart().items();
        final Catalogue.Item dearest = items.stream()
                .max((a, b) -> Long.compare(a.priceCents(), b.priceCents()))
                .orElseThrow();
        s.after(5, 30).removeFromCart(dearest, s.cart().quantityOf(dearest));
        if (!s.cart().isEmpty() && s.chance(0.4)) {
            s.startCheckout().viewStep(1);
            completeFrom(s, 1, s.paymentMethod());
            s.after(0, 20).leave();
        } else {
            s.after(20, 90).leave();
        }
    }

    private static void stalledStep(final Script s) {
        final String category = land(s);
        browse(s, category, s.between(1, 3));
        shop(s, category, s.between(1, 2));
        s.viewCart().startCheckout().viewStep(1);
        advance(s, 1, s.between(2, 4));
        s.after(180, 600).leave();
    }

    private static void accountTrouble(final Script s) {
        final String category = land(s);
        browse(s, category, s.between(1, 3));
        shop(s, category, s.between(1, 2));
        s.viewCart().startCheckout().viewStep(1);
        s.after(20, 60).checkoutError(1, ErrorKind.ACCOUNT_CREATION_FAILED, s.oneOf(ACCOUNT_ERRORS));
        s.after(15, 45).checkoutError(1, ErrorKind.ACCOUNT_CREATION_FAILED, s.oneOf(ACCOUNT_ERRORS));
        if (s.chance(0.3)) {
            s.after(20, 60);
            completeFrom(s, 1, s.paymentMethod());
            s.after(0, 20).leave();
        } else {
            s.after(30, 120).leave();
        }
    }

    private static void productDoubt(final Script s) {
        final String category = land(s);
        browse(s, category, s.between(0, 2));
        final Catalogue.Item doubted = s.catalogue().pickIn(category, s.random());
        s.product(doubted).addToCart(doubted, 1);
        if (s.chance(0.4)) {
            final Catalogue.Item other = freshPick(s, category, 0.3);
            s.product(other).addToCart(other, 1);
        }
        s.viewCart();
        final int rounds = s.between(3, 4);
        for (int i = 0; i < rounds; i++) {
            s.after(5, 20).product(doubted).after(15, 60).viewCart();
        }
        final double ending = s.random().nextDouble();
        if (ending < 0.3) {
            s.startCheckout().viewStep(1);
            completeFrom(s, 1, s.paymentMethod());
            s.after(0, 20).leave();
        } else if (ending < 0.5) {
            s.removeFromCart(doubted, 1).after(10, 60).leave();
        } else {
            s.after(10, 60).leave();
        }
    }

    private static void policyReader(final Script s) {
        final String category = land(s);
        browse(s, category, s.between(1, 3));
        shop(s, category, s.between(1, 2));
        s.viewCart().startCheckout().viewStep(1);
        final int step = s.between(2, 3);
        advance(s, 1, step);
        final boolean shippingFirst = s.chance(0.6);
        s.after(5, 20).page(shippingFirst ? PageType.SHIPPING_POLICY : PageType.RETURNS_POLICY);
        s.after(30, 90).page(shippingFirst ? PageType.RETURNS_POLICY : PageType.SHIPPING_POLICY);
        if (s.chance(0.3)) {
            s.after(15, 45).page(PageType.FAQ);
        }
        s.after(20, 60).viewStep(step);
        if (s.chance(0.5)) {
            completeFrom(s, step, s.paymentMethod());
            s.after(0, 20).leave();
        } else {
            s.after(30, 120).leave();
        }
    }

    private static void exitIntent(final Script s) {
        final String category = land(s);
        browse(s, category, s.between(1, 3));
        shop(s, category, s.between(1, 2));
        if (s.chance(0.5)) {
            s.viewCart();
        }
        s.after(10, 60).exitIntent().after(0, 2).leave();
    }

    private static void abandoner(final Script s) {
        final String category = land(s);
        browse(s, category, s.between(0, 2));
        shop(s, category, s.between(1, 3));
        if (s.chance(0.5)) {
            s.viewCart();
        }
        s.after(0, 1).leave();
    }

    /** The first page of the visit (home, a category or search); returns the category the shopper is after. */
    private static String land(final Script s) {
        final String category = s.catalogue().pickCategory(s.random());
        final double entry = s.random().nextDouble();
        if (entry < 0.4) {
            s.page(PageType.HOME).category(category);
        } else if (entry < 0.7) {
            s.category(category);
        } else {
            s.page(PageType.SEARCH);
        }
        return category;
    }

    private static void browse(final Script s, final String category, final int views) {
        for (int i = 0; i < views; i++) {
            s.product(freshPick(s, category, 0.7));
        }
    }

    /** Views and adds products (one of each, sometimes two), so the cart has {@code adds} lines or fewer. */
    private static void shop(final Script s, final String category, final int adds) {
        for (int i = 0; i < adds; i++) {
            final Catalogue.Item item = freshPick(s, category, 0.7);
            s.product(item).addToCart(item, s.chance(0.85) ? 1 : 2);
        }
    }

    /**
     * A product from the category (with the given probability, else from anywhere) other than the one
     * viewed last, when a few draws find one.
     */
    private static Catalogue.Item freshPick(final Script s, final String category, final double inCategory) {
        Catalogue.Item item = null;
        for (int attempt = 0; attempt < 3 && (item == null || item == s.lastViewed()); attempt++) {
            item = s.chance(inCategory)
                    ? s.catalogue().pickIn(category, s.random())
                    : s.catalogue().pick(s.random());
        }
        return item;
    }

    /** From the viewed step {@code from}, completes each step up to {@code to} and views {@code to}. */
    private static void advance(final Script s, final int from, final int to) {
        for (int step = from; step < to; step++) {
            if (step == 4) {
                s.enterPayment(s.paymentMethod());
            }
            s.completeStep(step).viewStep(step + 1);
        }
    }

    /** From the viewed step {@code from}, completes the checkout with the given payment method and orders. */
    private static void completeFrom(final Script s, final int from, final String paymentMethod) {
        for (int step = from; step <= 5; step++) {
            if (step > from) {
                s.viewStep(step);
            }
            if (step == 4) {
                s.enterPayment(paymentMethod);
            }
            s.completeStep(step);
        }
        s.placeOrder();
    }

    private static String otherMethod(final Script s, final String method) {
        String other = s.paymentMethod();
        while (other.equals(method)) {
            other = s.paymentMethod();
        }
        return other;
    }
}
