package io.cartrescue.detection;

import io.cartrescue.schema.CartSnapshot;
import io.cartrescue.schema.Product;
import io.cartrescue.schema.StorefrontEvent;
import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.util.Currency;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Decides whether a storefront event can be used at all. What it rejects goes to the dead-letter
 * topic with the reason it returns; everything it accepts is safe for the session state (ids of
 * bounded length, plausible times, sane amounts, known currencies).
 */
public final class EventValidator {
    /** Events before this are treated as a broken clock, not as history. */
    public static final Instant EARLIEST = Instant.parse("2000-01-01T00:00:00Z");
    /** How far ahead of the wall clock an event time may be (client clock skew). */
    public static final Duration MAX_FUTURE_SKEW = Duration.ofHours(1);
    static final int MAX_ID_LENGTH = 256;
    static final int MAX_QUANTITY = 1_000_000;
    /**
     * The largest amount (price, cart value, delivery cost, order total) taken as real: ten billion
     * currency units covers any cart in any currency (ten billion rupiah is about half a million
     * dollars) and leaves a hundredfold headroom below what {@code decimal(14,2)} can hold.
     */
    static final BigDecimal MAX_AMOUNT = new BigDecimal("10000000000.00");
    private static final Set<String> CURRENCIES = Currency.getAvailableCurrencies().stream()
            .map(Currency::getCurrencyCode).collect(Collectors.toUnmodifiableSet());
    static final int MAX_CHECKOUT_STEP = 100;

    private EventValidator() {
    }

    /** A problem found in an event: a stable reason code and a sentence naming the value. */
    public record Problem(String reason, String detail) {
    }

    /** True when an event time is plausible against the wall clock. */
    public static boolean plausibleTime(final long eventTimeMs, final long wallClockMs) {
        return eventTimeMs >= EARLIEST.toEpochMilli() && eventTimeMs <= wallClockMs + MAX_FUTURE_SKEW.toMillis();
    }

    /** The first problem of the event, or empty when it can be used. */
    public static Optional<Problem> check(final StorefrontEvent e, final long wallClockMs) {
        if (e == null) {
            return problem("null-value", "the record has no value");
        }
        final Optional<Problem> ids = checkIds(e);
        if (ids.isPresent()) {
            return ids;
        }
        final long t = e.getEventTime().toEpochMilli();
        if (!plausibleTime(t, wallClockMs)) {
            return problem("invalid-time", "eventTime " + e.getEventTime() + " is before " + EARLIEST
                    + " or more than " + MAX_FUTURE_SKEW.toMinutes() + " minutes ahead of the clock");
        }
        return checkAmounts(e);
    }

    private static Optional<Problem> checkIds(final StorefrontEvent e) {
        if (blank(e.getEventId())) {
            return problem("missing-event-id", "eventId is empty");
        }
        if (blank(e.getSessionId())) {
            return problem("missing-session-id", "sessionId is empty (event " + shorten(e.getEventId()) + ")");
        }
        if (blank(e.getAnonymousId())) {
            return problem("missing-anonymous-id", "anonymousId is empty (event " + shorten(e.getEventId()) + ")");
        }
        if (tooLong(e.getEventId()) || tooLong(e.getSessionId()) || tooLong(e.getAnonymousId())
                || tooLong(e.getCustomerId()) || tooLong(e.getInterventionId())
                || e.getProduct() != null && tooLong(e.getProduct().getProductId())
                || e.getOrder() != null && tooLong(e.getOrder().getOrderId())) {
            return problem("oversized-id", "an id is longer than " + MAX_ID_LENGTH + " characters (event "
                    + shorten(e.getEventId()) + ")");
        }
        return Optional.empty();
    }

    private static Optional<Problem> checkAmounts(final StorefrontEvent e) {
        final Product product = e.getProduct();
        if (product != null) {
            if (outOfRange(product.getPrice())) {
                return amountProblem("product price", product.getPrice());
            }
            if (product.getQuantity() < 0 || product.getQuantity() > MAX_QUANTITY) {
                return problem("invalid-amount", "product quantity " + product.getQuantity() + " is outside 0.."
                        + MAX_QUANTITY);
            }
        }
        final CartSnapshot cart = e.getCart();
        if (cart != null) {
            if (outOfRange(cart.getValue())) {
                return amountProblem("cart value", cart.getValue());
            }
            if (cart.getItemCount() < 0 || cart.getItemCount() > MAX_QUANTITY) {
                return problem("invalid-amount", "cart item count " + cart.getItemCount() + " is outside 0.."
                        + MAX_QUANTITY);
            }
            if (!knownCurrency(cart.getCurrency())) {
                return currencyProblem("cart", cart.getCurrency());
            }
        }
        if (e.getCheckout() != null) {
            final int step = e.getCheckout().getStep();
            if (step < 0 || step > MAX_CHECKOUT_STEP) {
                return problem("invalid-step", "checkout step " + step + " is outside 0.." + MAX_CHECKOUT_STEP);
            }
            if (outOfRange(e.getCheckout().getShippingCost())) {
                return amountProblem("shipping cost", e.getCheckout().getShippingCost());
            }
        }
        if (e.getOrder() != null) {
            if (outOfRange(e.getOrder().getTotal())) {
                return amountProblem("order total", e.getOrder().getTotal());
            }
            if (!knownCurrency(e.getOrder().getCurrency())) {
                return currencyProblem("order", e.getOrder().getCurrency());
            }
        }
        return Optional.empty();
    }

    private static Optional<Problem> amountProblem(final String what, final BigDecimal amount) {
        return problem("invalid-amount", what + " " + shorten(amount.toPlainString()) + " is outside 0.."
                + MAX_AMOUNT.toPlainString());
    }

    private static Optional<Problem> currencyProblem(final String what, final String currency) {
        return problem("invalid-currency", what + " currency '" + shorten(currency) + "' is not an ISO 4217 code");
    }

    private static Optional<Problem> problem(final String reason, final String detail) {
        return Optional.of(new Problem(reason, detail));
    }

    private static boolean blank(final String s) {
        return s == null || s.isBlank();
    }

    private static boolean tooLong(final String s) {
        return s != null && s.length() > MAX_ID_LENGTH;
    }

    private static boolean outOfRange(final BigDecimal amount) {
        return amount != null && (amount.signum() < 0 || amount.compareTo(MAX_AMOUNT) > 0);
    }

    /** True for the ISO 4217 codes the JVM knows, {@code XXX} ("no currency") included. */
    public static boolean knownCurrency(final String code) {
        return code != null && CURRENCIES.contains(code);
    }

    private static String shorten(final String s) {
        return s.length() <= 64 ? s : s.substring(0, 64) + "...";
    }
}
