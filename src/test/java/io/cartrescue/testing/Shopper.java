package io.cartrescue.testing;

import io.cartrescue.schema.CartSnapshot;
import io.cartrescue.schema.CheckoutStep;
import io.cartrescue.schema.Device;
import io.cartrescue.schema.DeviceType;
import io.cartrescue.schema.ErrorInfo;
import io.cartrescue.schema.ErrorKind;
import io.cartrescue.schema.EventType;
import io.cartrescue.schema.Order;
import io.cartrescue.schema.Page;
import io.cartrescue.schema.PageType;
import io.cartrescue.schema.Product;
import io.cartrescue.schema.StorefrontEvent;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Writes the events of one test shopper in a few words: a clock that moves forward with each call
 * to {@link #after(Duration)}, a cart kept in step with adds and removes, and unique event ids.
 */
public final class Shopper {
    public static final Instant T0 = Instant.parse("2026-11-20T10:00:00Z");

    private final String sessionId;
    private final String anonymousId;
    private String customerId;
    private Instant now = T0;
    private int sequence;
    private final Map<String, BigDecimal> cart = new LinkedHashMap<>();

    private Shopper(final String sessionId) {
        this.sessionId = sessionId;
        this.anonymousId = "anon-" + sessionId;
    }

    public static Shopper session(final String sessionId) {
        return new Shopper(sessionId);
    }

    public Shopper signedInAs(final String id) {
        this.customerId = id;
        return this;
    }

    public Shopper startingAt(final Instant start) {
        this.now = start;
        return this;
    }

    public Shopper after(final Duration d) {
        now = now.plus(d);
        return this;
    }

    public Shopper afterSeconds(final long seconds) {
        return after(Duration.ofSeconds(seconds));
    }

    public Instant now() {
        return now;
    }

    public String sessionId() {
        return sessionId;
    }

    /** A bare event of the given type at the shopper's current time. */
    public StorefrontEvent.Builder event(final EventType type) {
        sequence++;
        return StorefrontEvent.newBuilder()
                .setEventId(sessionId + "-e" + sequence)
                .setEventType(type)
                .setEventTime(now)
                .setSessionId(sessionId)
                .setAnonymousId(anonymousId)
                .setCustomerId(customerId)
                .setDevice(new Device(DeviceType.DESKTOP, "de-DE", "Europe/Berlin"));
    }

    public StorefrontEvent viewed(final String productId) {
        return event(EventType.PRODUCT_VIEWED).setProduct(product(productId, null)).build();
    }

    public StorefrontEvent added(final String productId, final String price) {
        cart.put(productId, new BigDecimal(price));
        return event(EventType.PRODUCT_ADDED).setProduct(product(productId, price)).setCart(snapshot()).build();
    }

    public StorefrontEvent removed(final String productId) {
        cart.remove(productId);
        return event(EventType.PRODUCT_REMOVED).setProduct(product(productId, null)).setCart(snapshot()).build();
    }

    public StorefrontEvent cartViewed() {
        return event(EventType.CART_VIEWED).setCart(snapshot()).build();
    }

    public StorefrontEvent checkoutStarted() {
        return event(EventType.CHECKOUT_STARTED).setCheckout(step(1, null)).setCart(snapshot()).build();
    }

    public StorefrontEvent stepViewed(final int step) {
        return event(EventType.CHECKOUT_STEP_VIEWED).setCheckout(step(step, null)).build();
    }

    public StorefrontEvent stepViewedWithShipping(final int step, final String shippingCost) {
        return event(EventType.CHECKOUT_STEP_VIEWED).setCheckout(step(step, shippingCost)).build();
    }

    public StorefrontEvent stepCompleted(final int step) {
        return event(EventType.CHECKOUT_STEP_COMPLETED).setCheckout(step(step, null)).build();
    }

    public StorefrontEvent paymentFailed(final String code) {
        return event(EventType.PAYMENT_FAILED).setError(new ErrorInfo(ErrorKind.PAYMENT_DECLINED, code)).build();
    }

    public StorefrontEvent checkoutError(final ErrorKind kind) {
        return event(EventType.CHECKOUT_ERROR).setError(new ErrorInfo(kind, kind.name().toLowerCase())).build();
    }

    public StorefrontEvent couponDenied(final String code) {
        return event(EventType.COUPON_DENIED).setCoupon(new io.cartrescue.schema.Coupon(code, "expired")).build();
    }

    public StorefrontEvent page(final PageType type) {
        return event(EventType.PAGE_VIEWED).setPage(new Page("https://shop.example/" + type.name().toLowerCase(), type)).build();
    }

    public StorefrontEvent ping() {
        return event(EventType.PAGE_PING).build();
    }

    public StorefrontEvent exitIntent() {
        return event(EventType.EXIT_INTENT).setCart(snapshot()).build();
    }

    public StorefrontEvent orderCompleted() {
        final BigDecimal total = cartValue();
        return event(EventType.ORDER_COMPLETED).setOrder(new Order("order-" + sessionId, total, "EUR")).build();
    }

    public StorefrontEvent dismissed(final String interventionId) {
        return event(EventType.INTERVENTION_DISMISSED).setInterventionId(interventionId).build();
    }

    private CartSnapshot snapshot() {
        return new CartSnapshot(cartValue(), "EUR", cart.size());
    }

    private BigDecimal cartValue() {
        return cart.values().stream().reduce(BigDecimal.ZERO, BigDecimal::add).setScale(2, RoundingMode.HALF_UP);
    }

    private static Product product(final String productId, final String price) {
        return Product.newBuilder().setProductId(productId)
                .setPrice(price == null ? null : new BigDecimal(price).setScale(2, RoundingMode.HALF_UP))
                .build();
    }

    private static CheckoutStep step(final int step, final String shippingCost) {
        return CheckoutStep.newBuilder().setStep(step)
                .setShippingCost(shippingCost == null ? null : new BigDecimal(shippingCost).setScale(2, RoundingMode.HALF_UP))
                .build();
    }
}
