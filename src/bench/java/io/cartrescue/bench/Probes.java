package io.cartrescue.bench;

import io.cartrescue.arbitration.Ids;
import io.cartrescue.policy.Policy;
import io.cartrescue.schema.CartSnapshot;
import io.cartrescue.schema.CheckoutStep;
import io.cartrescue.schema.Device;
import io.cartrescue.schema.DeviceType;
import io.cartrescue.schema.ErrorInfo;
import io.cartrescue.schema.ErrorKind;
import io.cartrescue.schema.EventType;
import io.cartrescue.schema.Product;
import io.cartrescue.schema.StorefrontEvent;
import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

/**
 * The shoppers whose interventions the latency benchmark times, each a signed-in customer of their
 * own (so no frequency guardrail links them) outside the holdout group (who would get nothing):
 * <ul>
 *   <li>a payment probe adds a 120.00 item, starts checkout and fails to pay twice; the second
 *       failure triggers the payment-failures signal;</li>
 *   <li>a stall probe reaches the payment step {@link #STALL_BACKDATE} before now and stays there;
 *       the stalled-step signal is due when the step's threshold has passed.</li>
 * </ul>
 */
public final class Probes {
    /** How far back a stall probe's events are dated: within the grace period, so they are not late. */
    public static final Duration STALL_BACKDATE = Duration.ofSeconds(25);
    private static final int PAYMENT_STEP = 4;
    private static final BigDecimal PRICE = new BigDecimal("120.00");

    private final Policy policy;
    private final String prefix;
    private int next;

    public Probes(final Policy policy, final String prefix) {
        this.policy = policy;
        this.prefix = prefix;
    }

    /** A probe's identity. */
    public record Shopper(String customerId, String sessionId) {
    }

    /** The next shopper outside the holdout group. */
    public Shopper nextShopper() {
        while (true) {
            final int n = next++;
            final String customer = prefix + "-c" + n;
            if (Ids.bucket(customer, policy.arbitration().holdout().salt()) >= policy.arbitration().holdout().percent()) {
                return new Shopper(customer, prefix + "-s" + n);
            }
        }
    }

    /** The events before the trigger of a payment probe, all at {@code now}. */
    public static List<StorefrontEvent> paymentLeadIn(final Shopper s, final Instant now) {
        return List.of(
                event(s, "1", EventType.PRODUCT_ADDED, now).setProduct(product()).setCart(cart()).build(),
                event(s, "2", EventType.CHECKOUT_STARTED, now).setCheckout(step(1)).setCart(cart()).build(),
                paymentFailed(s, "3", now));
    }

    /** The second payment failure: the triggering event. */
    public static StorefrontEvent paymentTrigger(final Shopper s, final Instant now) {
        return paymentFailed(s, "4", now);
    }

    /** A stall probe's events; its deadline is {@link #stallDeadline}. */
    public static List<StorefrontEvent> stall(final Shopper s, final Instant now) {
        final Instant at = now.minus(STALL_BACKDATE);
        return List.of(
                event(s, "1", EventType.PRODUCT_ADDED, at.minusMillis(2)).setProduct(product()).setCart(cart()).build(),
                event(s, "2", EventType.CHECKOUT_STARTED, at.minusMillis(1)).setCheckout(step(1)).setCart(cart()).build(),
                event(s, "3", EventType.CHECKOUT_STEP_VIEWED, at).setCheckout(step(PAYMENT_STEP)).build());
    }

    /** When the stall of a probe sent at {@code now} is due. */
    public Instant stallDeadline(final Instant now) {
        return now.minus(STALL_BACKDATE).plus(policy.detection().stalledStep().forStep(PAYMENT_STEP));
    }

    private static StorefrontEvent paymentFailed(final Shopper s, final String n, final Instant at) {
        return event(s, n, EventType.PAYMENT_FAILED, at).setError(new ErrorInfo(ErrorKind.PAYMENT_DECLINED, "card_declined")).build();
    }

    private static StorefrontEvent.Builder event(final Shopper s, final String n, final EventType type, final Instant at) {
        return StorefrontEvent.newBuilder()
                .setEventId(s.sessionId() + "-" + n)
                .setEventType(type)
                .setEventTime(at)
                .setSessionId(s.sessionId())
                .setAnonymousId("anon-" + s.sessionId())
                .setCustomerId(s.customerId())
                .setDevice(new Device(DeviceType.DESKTOP, "de-DE", "Europe/Berlin"));
    }

    private static Product product() {
        return Product.newBuilder().setProductId("bench-product").setPrice(PRICE).build();
    }

    private static CartSnapshot cart() {
        return new CartSnapshot(PRICE, "EUR", 1);
    }

    private static CheckoutStep step(final int step) {
        return CheckoutStep.newBuilder().setStep(step).build();
    }
}
