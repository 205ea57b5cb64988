package io.cartrescue.detection;

import static org.assertj.core.api.Assertions.assertThat;

import io.cartrescue.schema.CartSnapshot;
import io.cartrescue.schema.EventType;
import io.cartrescue.schema.Order;
import io.cartrescue.schema.Product;
import io.cartrescue.schema.StorefrontEvent;
import io.cartrescue.testing.Shopper;
import java.math.BigDecimal;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class EventValidatorTest {
    private static final long NOW = Shopper.T0.toEpochMilli();
    private final Shopper shopper = Shopper.session("v1");

    private static Optional<String> reason(final StorefrontEvent event) {
        return EventValidator.check(event, NOW).map(EventValidator.Problem::reason);
    }

    private StorefrontEvent addedAt(final String price, final int quantity) {
        return shopper.event(EventType.PRODUCT_ADDED)
                .setProduct(Product.newBuilder().setProductId("p1").setPrice(new BigDecimal(price)).setQuantity(quantity).build())
                .build();
    }

    @Test
    void pricesUpToTheLimitAreUsedAndAbsurdOnesAreInvalidAmounts() {
        assertThat(reason(addedAt("10000000000.00", 1))).isEmpty();
        assertThat(reason(addedAt("10000000000.01", 1))).contains("invalid-amount");
        assertThat(reason(addedAt("1" + "0".repeat(30) + ".00", 1))).contains("invalid-amount");
        assertThat(reason(addedAt("-0.01", 1))).contains("invalid-amount");
        assertThat(reason(addedAt("1.00", -1))).contains("invalid-amount");
        assertThat(reason(addedAt("1.00", EventValidator.MAX_QUANTITY + 1))).contains("invalid-amount");
    }

    @Test
    void cartsWithAbsurdValuesOrItemCountsAreInvalidAmounts() {
        assertThat(reason(shopper.event(EventType.CART_VIEWED)
                .setCart(new CartSnapshot(new BigDecimal("1e20").setScale(2), "EUR", 1)).build())).contains("invalid-amount");
        assertThat(reason(shopper.event(EventType.CART_VIEWED)
                .setCart(new CartSnapshot(new BigDecimal("10.00"), "EUR", Integer.MAX_VALUE)).build())).contains("invalid-amount");
        assertThat(reason(shopper.event(EventType.CART_VIEWED)
                .setCart(new CartSnapshot(new BigDecimal("10.00"), "EUR", 10_000)).build())).isEmpty();
    }

    @Test
    void currenciesMustBeIso4217Codes() {
        for (final String code : new String[] {"EUR", "IDR", "JPY", "XXX"}) {
            assertThat(reason(shopper.event(EventType.CART_VIEWED)
                    .setCart(new CartSnapshot(new BigDecimal("10.00"), code, 1)).build())).as(code).isEmpty();
        }
        for (final String code : new String[] {"eur", "EURO", "ZZZ", "", "€", "E".repeat(100_000)}) {
            assertThat(reason(shopper.event(EventType.CART_VIEWED)
                    .setCart(new CartSnapshot(new BigDecimal("10.00"), code, 1)).build())).as(code).contains("invalid-currency");
        }
        assertThat(reason(shopper.event(EventType.ORDER_COMPLETED)
                .setOrder(new Order("o-1", new BigDecimal("10.00"), "BTC")).build())).contains("invalid-currency");
    }

    @Test
    void anOrderIdIsAnIdAndIsBoundedLikeOne() {
        assertThat(reason(shopper.event(EventType.ORDER_COMPLETED)
                .setOrder(new Order("o".repeat(257), new BigDecimal("10.00"), "EUR")).build())).contains("oversized-id");
        assertThat(reason(shopper.event(EventType.ORDER_COMPLETED)
                .setOrder(new Order("o".repeat(256), new BigDecimal("10.00"), "EUR")).build())).isEmpty();
    }

    @Test
    void theDetailOfAnAbsurdAmountIsShort() {
        final EventValidator.Problem problem = EventValidator.check(addedAt("1" + "0".repeat(500) + ".00", 1), NOW).orElseThrow();
        assertThat(problem.detail()).hasSizeLessThan(200);
    }
}
