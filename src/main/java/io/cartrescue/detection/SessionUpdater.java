package io.cartrescue.detection;

import io.cartrescue.policy.DetectionPolicy;
import io.cartrescue.schema.CartLine;
import io.cartrescue.schema.CartSnapshot;
import io.cartrescue.schema.CheckoutStep;
import io.cartrescue.schema.Device;
import io.cartrescue.schema.PageType;
import io.cartrescue.schema.SessionState;
import io.cartrescue.schema.StorefrontEvent;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * Applies storefront events to a session's state. The result does not depend on the order in which
 * events of the same session arrive within the grace period, as far as the signals are concerned:
 * counters are sums, attributes (cart, checkout step, device, consent) are last-writer-wins by event
 * time. Sequences (cart and product ping-pong, moves back after delivery cost was shown) are counted
 * from events that arrive in event-time order; an out-of-order event counts for the counters only.
 *
 * <p>Whatever the events carry, the state stays bounded and storable: at most
 * {@code limits.maxCartLines} lines, quantities and the recomputed cart saturate at their limits
 * instead of overflowing, and the free-text values it keeps (error code, locale, time zone) are cut to
 * {@value #MAX_TEXT_LENGTH} characters.
 */
public final class SessionUpdater {
    static final String CART = "CART";
    static final String PRODUCT_PREFIX = "PRODUCT:";
    private static final String NO_CURRENCY = "XXX";
    /** Longest free-text value (error code, locale, time zone) kept in the state. */
    static final int MAX_TEXT_LENGTH = 64;
    /** The largest value a {@code decimal(14,2)} cart can hold. */
    static final BigDecimal MAX_CART_VALUE = new BigDecimal("999999999999.99");

    private final DetectionPolicy policy;

    public SessionUpdater(final DetectionPolicy policy) {
        this.policy = policy;
    }

    /** A fresh state for the session the event opens. */
    public SessionState start(final StorefrontEvent event) {
        // Every field is set, to its schema default where the event does not give it: building a record
        // with fields left unset looks each default up and copies it, which costs more than the rest of
        // the event's handling. A field added to the schema later still gets its default from build().
        return SessionState.newBuilder()
                .setSessionId(event.getSessionId())
                .setAnonymousId(event.getAnonymousId())
                .setCustomerId(event.getCustomerId())
                .setCustomerKey(null)
                .setStartedAt(event.getEventTime())
                .setLastEventAt(event.getEventTime())
                .setEventCount(0)
                .setLines(new ArrayList<>())
                .setCart(null)
                .setCartAsOf(Instant.EPOCH)
                .setCheckoutStep(0)
                .setCheckoutStepSince(Instant.EPOCH)
                .setShippingCost(null)
                .setShippingCostSeenAt(Instant.EPOCH)
                .setActionsAfterShippingCost(0)
                .setPaymentFailures(0)
                .setLastPaymentErrorCode(null)
                .setLastPaymentErrorAt(Instant.EPOCH)
                .setCheckoutErrors(0)
                .setLastCheckoutErrorKind(null)
                .setLastCheckoutErrorAt(Instant.EPOCH)
                .setCouponDenials(0)
                .setCouponAttempts(0)
                .setRemovals(0)
                .setPingPong(0)
                .setLastPlace(null)
                .setLastPlaceAt(Instant.EPOCH)
                .setPolicyPageReads(0)
                .setExitIntents(0)
                .setLastExitIntentAt(Instant.EPOCH)
                .setDismissals(0)
                .setDismissedTypes(new ArrayList<>())
                .setOrderPlacedAt(Instant.EPOCH)
                .setDevice(null)
                .setConsent(null)
                .setFired(new ArrayList<>())
                .setRecentEventHashes(new ArrayList<>())
                .setDueAt(Instant.EPOCH)
                .build();
    }

    /**
     * True when the session has already applied an event whose id has this hash
     * ({@link EventHashes#of}) within the duplicate window.
     */
    boolean isDuplicate(final SessionState state, final long eventHash) {
        final List<Long> seen = state.getRecentEventHashes();
        for (int i = 0; i < seen.size(); i++) {
            if (seen.get(i) == eventHash) {
                return true;
            }
        }
        return false;
    }

    /** Applies one (non-duplicate) event, whose id has the hash {@code eventHash} ({@link EventHashes#of}). */
    void apply(final SessionState state, final StorefrontEvent event, final long eventHash) {
        rememberEventId(state, eventHash);
        final long t = event.getEventTime().toEpochMilli();
        final boolean latest = t >= state.getLastEventAt().toEpochMilli();
        state.setEventCount(state.getEventCount() + 1);
        state.setLastEventAt(Instant.ofEpochMilli(Math.max(state.getLastEventAt().toEpochMilli(), t)));
        if (latest) {
            if (event.getCustomerId() != null) {
                state.setCustomerId(event.getCustomerId());
            }
            if (event.getDevice() != null) {
                state.setDevice(bounded(event.getDevice()));
            }
            if (event.getConsent() != null) {
                state.setConsent(event.getConsent());
            }
        }
        applyByType(state, event, t);
        if (event.getCart() != null && t >= state.getCartAsOf().toEpochMilli()) {
            state.setCart(event.getCart());
            state.setCartAsOf(Instant.ofEpochMilli(t));
        }
    }

    private void applyByType(final SessionState state, final StorefrontEvent event, final long t) {
        switch (event.getEventType()) {
            case PRODUCT_ADDED -> addToCart(state, event, t);
            case PRODUCT_REMOVED -> removeFromCart(state, event, t);
            case PRODUCT_VIEWED -> productViewed(state, event, t);
            case CART_VIEWED -> cartViewed(state, t);
            case CHECKOUT_STARTED -> enterStep(state, Math.max(1, stepOf(event, 1)), t);
            case CHECKOUT_STEP_VIEWED -> stepViewed(state, event, t);
            case CHECKOUT_STEP_COMPLETED -> enterStep(state, stepOf(event, state.getCheckoutStep()) + 1, t);
            case PAYMENT_INFO_ENTERED -> noteShippingCost(state, event.getCheckout(), t);
            case PAYMENT_FAILED -> {
                state.setPaymentFailures(state.getPaymentFailures() + 1);
                if (event.getError() != null && event.getError().getCode() != null
                        && t >= state.getLastPaymentErrorAt().toEpochMilli()) {
                    state.setLastPaymentErrorCode(cut(event.getError().getCode()));
                    state.setLastPaymentErrorAt(Instant.ofEpochMilli(t));
                }
            }
            case CHECKOUT_ERROR -> {
                state.setCheckoutErrors(state.getCheckoutErrors() + 1);
                if (event.getError() != null && t >= state.getLastCheckoutErrorAt().toEpochMilli()) {
                    state.setLastCheckoutErrorKind(event.getError().getKind().name());
                    state.setLastCheckoutErrorAt(Instant.ofEpochMilli(t));
                }
            }
            case COUPON_APPLIED -> state.setCouponAttempts(state.getCouponAttempts() + 1);
            case COUPON_DENIED -> {
                state.setCouponAttempts(state.getCouponAttempts() + 1);
                state.setCouponDenials(state.getCouponDenials() + 1);
            }
            case ORDER_COMPLETED -> state.setOrderPlacedAt(Instant.ofEpochMilli(
                    state.getOrderPlacedAt().toEpochMilli() == 0 ? t : Math.min(state.getOrderPlacedAt().toEpochMilli(), t)));
            case PAGE_VIEWED -> pageViewed(state, event);
            case EXIT_INTENT -> {
                state.setExitIntents(state.getExitIntents() + 1);
                state.setLastExitIntentAt(Instant.ofEpochMilli(Math.max(state.getLastExitIntentAt().toEpochMilli(), t)));
            }
            case INTERVENTION_DISMISSED -> state.setDismissals(state.getDismissals() + 1);
            default -> {
                // Page pings, chat opened, intervention shown or accepted, unknown types: activity only.
            }
        }
    }

    private void rememberEventId(final SessionState state, final long eventHash) {
        final List<Long> hashes = state.getRecentEventHashes();
        hashes.add(eventHash);
        while (hashes.size() > policy.limits().dedupWindow()) {
            hashes.remove(0);
        }
    }

    private void addToCart(final SessionState state, final StorefrontEvent event, final long t) {
        if (event.getProduct() == null) {
            return;
        }
        final CartLine line = touchLine(state, event.getProduct().getProductId());
        line.setQuantity((int) Math.min(EventValidator.MAX_QUANTITY,
                (long) line.getQuantity() + Math.max(1, event.getProduct().getQuantity())));
        if (event.getProduct().getPrice() != null) {
            line.setUnitPrice(event.getProduct().getPrice());
        }
        recomputeCart(state, event, t);
    }

    private void removeFromCart(final SessionState state, final StorefrontEvent event, final long t) {
        state.setRemovals(state.getRemovals() + 1);
        countBackwardMove(state, t);
        if (event.getProduct() == null) {
            return;
        }
        final List<CartLine> lines = state.getLines();
        for (int i = 0; i < lines.size(); i++) {
            final CartLine line = lines.get(i);
            if (line.getProductId().equals(event.getProduct().getProductId())) {
                final int left = line.getQuantity() - Math.max(1, event.getProduct().getQuantity());
                if (left <= 0) {
                    lines.remove(i);
                } else {
                    line.setQuantity(left);
                }
                break;
            }
        }
        recomputeCart(state, event, t);
    }

    private void productViewed(final SessionState state, final StorefrontEvent event, final long t) {
        if (event.getProduct() == null) {
            return;
        }
        final String productId = event.getProduct().getProductId();
        final CartLine line = findLine(state, productId);
        if (line != null) {
            line.setViews(line.getViews() + 1);
        }
        if (t >= state.getLastPlaceAt().toEpochMilli()) {
            if (line != null && CART.equals(state.getLastPlace())) {
                state.setPingPong(state.getPingPong() + 1);
            }
            state.setLastPlace(PRODUCT_PREFIX + productId);
            state.setLastPlaceAt(Instant.ofEpochMilli(t));
        }
    }

    private void cartViewed(final SessionState state, final long t) {
        if (t >= state.getLastPlaceAt().toEpochMilli()) {
            final String last = state.getLastPlace();
            if (last != null && last.startsWith(PRODUCT_PREFIX)
                    && findLine(state, last.substring(PRODUCT_PREFIX.length())) != null) {
                state.setPingPong(state.getPingPong() + 1);
            }
            state.setLastPlace(CART);
            state.setLastPlaceAt(Instant.ofEpochMilli(t));
        }
        countBackwardMove(state, t);
    }

    private void stepViewed(final SessionState state, final StorefrontEvent event, final long t) {
        final int step = stepOf(event, state.getCheckoutStep());
        if (step < state.getCheckoutStep() && t >= state.getCheckoutStepSince().toEpochMilli()) {
            countBackwardMove(state, t);
        }
        enterStep(state, step, t);
        noteShippingCost(state, event.getCheckout(), t);
    }

    private static void enterStep(final SessionState state, final int step, final long t) {
        if (step != state.getCheckoutStep() && t >= state.getCheckoutStepSince().toEpochMilli()) {
            state.setCheckoutStep(step);
            state.setCheckoutStepSince(Instant.ofEpochMilli(t));
        }
    }

    private static void noteShippingCost(final SessionState state, final CheckoutStep checkout, final long t) {
        if (checkout == null || checkout.getShippingCost() == null) {
            return;
        }
        state.setShippingCost(checkout.getShippingCost());
        if (state.getShippingCostSeenAt().toEpochMilli() == 0 || t < state.getShippingCostSeenAt().toEpochMilli()) {
            state.setShippingCostSeenAt(Instant.ofEpochMilli(t));
        }
    }

    private static void countBackwardMove(final SessionState state, final long t) {
        if (state.getShippingCostSeenAt().toEpochMilli() > 0 && t > state.getShippingCostSeenAt().toEpochMilli()) {
            state.setActionsAfterShippingCost(state.getActionsAfterShippingCost() + 1);
        }
    }

    private static void pageViewed(final SessionState state, final StorefrontEvent event) {
        if (event.getPage() == null) {
            return;
        }
        final PageType type = event.getPage().getPageType();
        if ((type == PageType.SHIPPING_POLICY || type == PageType.RETURNS_POLICY) && itemCount(state) > 0) {
            state.setPolicyPageReads(state.getPolicyPageReads() + 1);
        }
    }

    private static int stepOf(final StorefrontEvent event, final int fallback) {
        return event.getCheckout() == null ? fallback : event.getCheckout().getStep();
    }

    private CartLine touchLine(final SessionState state, final String productId) {
        final List<CartLine> lines = state.getLines();
        for (int i = 0; i < lines.size(); i++) {
            if (lines.get(i).getProductId().equals(productId)) {
                final CartLine line = lines.remove(i);
                lines.add(line);
                return line;
            }
        }
        final CartLine line = new CartLine(productId, 0, null, 0);
        lines.add(line);
        while (lines.size() > policy.limits().maxCartLines()) {
            lines.remove(0);
        }
        return line;
    }

    static CartLine findLine(final SessionState state, final String productId) {
        for (final CartLine line : state.getLines()) {
            if (line.getProductId().equals(productId)) {
                return line;
            }
        }
        return null;
    }

    /** Keeps the cart snapshot in step with the lines when the storefront does not send one. */
    private static void recomputeCart(final SessionState state, final StorefrontEvent event, final long t) {
        if (event.getCart() != null || t < state.getCartAsOf().toEpochMilli()) {
            return;
        }
        BigDecimal value = BigDecimal.ZERO;
        long items = 0;
        for (final CartLine line : state.getLines()) {
            items += line.getQuantity();
            if (line.getUnitPrice() != null) {
                value = value.add(line.getUnitPrice().multiply(BigDecimal.valueOf(line.getQuantity())));
            }
        }
        final String currency = state.getCart() == null ? NO_CURRENCY : state.getCart().getCurrency();
        state.setCart(new CartSnapshot(value.min(MAX_CART_VALUE).setScale(2, RoundingMode.HALF_UP), currency,
                (int) Math.min(items, EventValidator.MAX_QUANTITY)));
        state.setCartAsOf(Instant.ofEpochMilli(t));
    }

    /** The device with its locale and time zone cut to the length the state keeps. */
    private static Device bounded(final Device device) {
        if (fits(device.getLocale()) && fits(device.getTimeZone())) {
            return device;
        }
        return new Device(device.getType(), cut(device.getLocale()), cut(device.getTimeZone()));
    }

    private static boolean fits(final String text) {
        return text == null || text.length() <= MAX_TEXT_LENGTH;
    }

    /** At most {@value #MAX_TEXT_LENGTH} characters of {@code text}, never ending in half a surrogate pair. */
    static String cut(final String text) {
        if (fits(text)) {
            return text;
        }
        final int end = Character.isHighSurrogate(text.charAt(MAX_TEXT_LENGTH - 1)) ? MAX_TEXT_LENGTH - 1 : MAX_TEXT_LENGTH;
        return text.substring(0, end);
    }

    /** Items in the cart, from the latest snapshot. */
    public static int itemCount(final SessionState state) {
        return state.getCart() == null ? 0 : state.getCart().getItemCount();
    }
}
