package io.cartrescue.simulator;

import io.cartrescue.schema.CartSnapshot;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;

/**
 * A simulated shopper's cart, kept in cents so that every snapshot's value is exact at scale 2,
 * together with the shop's delivery rule that decides the shipping cost shown at checkout.
 */
final class Cart {

    /** Cart value from which parcel delivery is free. */
    static final long FREE_SHIPPING_FROM_CENTS = 50_00;
    /** Parcel delivery below the free-delivery threshold. */
    static final long PARCEL_CENTS = 4_95;
    /** Freight delivery, charged whenever a bulky product is in the cart. */
    static final long FREIGHT_CENTS = 29_95;

    private final List<Line> lines = new ArrayList<>(4);
    private long valueCents;
    private int itemCount;

    void add(final Catalogue.Item item, final int quantity) {
        final Line line = lineOf(item);
        if (line != null) {
            line.quantity += quantity;
        } else {
            lines.add(new Line(item, quantity));
        }
        valueCents += item.priceCents() * quantity;
        itemCount += quantity;
    }

    /** Removes up to {@code quantity} of the item and returns how many were removed. */
    int remove(final Catalogue.Item item, final int quantity) {
        final Line line = lineOf(item);
        if (line == null) {
            return 0;
        }
        final int removed = Math.min(line.quantity, quantity);
        line.quantity -= removed;
        if (line.quantity == 0) {
            lines.remove(line);
        }
        valueCents -= item.priceCents() * removed;
        itemCount -= removed;
        return removed;
    }

    void clear() {
        lines.clear();
        valueCents = 0;
        itemCount = 0;
    }

    boolean isEmpty() {
        return itemCount == 0;
    }

    boolean contains(final Catalogue.Item item) {
        return lineOf(item) != null;
    }

    /** The distinct products in the cart, oldest first. */
    List<Catalogue.Item> items() {
        final List<Catalogue.Item> items = new ArrayList<>(lines.size());
        for (final Line line : lines) {
            items.add(line.item);
        }
        return items;
    }

    int quantityOf(final Catalogue.Item item) {
        final Line line = lineOf(item);
        return line == null ? 0 : line.quantity;
    }

    long valueCents() {
        return valueCents;
    }

    int itemCount() {
        return itemCount;
    }

    boolean hasBulky() {
        for (final Line line : lines) {
            if (line.item.bulky()) {
                return true;
            }
        }
        return false;
    }

    long shippingCents() {
        if (hasBulky()) {
            return FREIGHT_CENTS;
        }
        return valueCents >= FREE_SHIPPING_FROM_CENTS ? 0 : PARCEL_CENTS;
    }

    String shippingMethod() {
        return hasBulky() ? "freight" : "standard";
    }

    CartSnapshot snapshot() {
        return new CartSnapshot(money(valueCents), Catalogue.CURRENCY, itemCount);
    }

    /** An amount in cents as a BigDecimal of scale 2, the scale the schemas' decimals require. */
    static BigDecimal money(final long cents) {
        return BigDecimal.valueOf(cents, 2);
    }

    private Line lineOf(final Catalogue.Item item) {
        for (final Line line : lines) {
            if (line.item.productId().equals(item.productId())) {
                return line;
            }
        }
        return null;
    }

    private static final class Line {
        private final Catalogue.Item item;
        private int quantity;

        private Line(final Catalogue.Item item, final int quantity) {
            this.item = item;
            this.quantity = quantity;
        }
    }
}
