package io.cartrescue.replay;

import io.cartrescue.schema.EventType;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * Reads an event type as the storefront wrote it: the schema's symbol ({@code PRODUCT_ADDED}), the
 * Segment e-commerce name ({@code Product Added}, any case) or a GA4 event name
 * ({@code add_to_cart}, {@code begin_checkout}, {@code purchase}, ...).
 */
public final class EventTypes {
    /** GA4 recommended e-commerce events and what they mean here. */
    static final Map<String, EventType> GA4 = Map.ofEntries(
            Map.entry("PAGE_VIEW", EventType.PAGE_VIEWED),
            Map.entry("VIEW_ITEM", EventType.PRODUCT_VIEWED),
            Map.entry("ADD_TO_CART", EventType.PRODUCT_ADDED),
            Map.entry("REMOVE_FROM_CART", EventType.PRODUCT_REMOVED),
            Map.entry("VIEW_CART", EventType.CART_VIEWED),
            Map.entry("BEGIN_CHECKOUT", EventType.CHECKOUT_STARTED),
            Map.entry("ADD_SHIPPING_INFO", EventType.CHECKOUT_STEP_COMPLETED),
            Map.entry("ADD_PAYMENT_INFO", EventType.PAYMENT_INFO_ENTERED),
            Map.entry("PURCHASE", EventType.ORDER_COMPLETED),
            Map.entry("USER_ENGAGEMENT", EventType.PAGE_PING));

    /** The schema's symbols, as written. */
    private static final Map<String, EventType> SYMBOLS = symbols();

    private EventTypes() {
    }

    /** The event type the name stands for, or empty when it is none of them. */
    public static Optional<EventType> parse(final String name) {
        final EventType symbol = SYMBOLS.get(name);
        if (symbol != null) {
            return Optional.of(symbol);
        }
        final String normal = name.trim().toUpperCase(Locale.ROOT).replace(' ', '_').replace('-', '_');
        for (final EventType type : EventType.values()) {
            if (type.name().equals(normal)) {
                return Optional.of(type);
            }
        }
        return Optional.ofNullable(GA4.get(normal));
    }

    private static Map<String, EventType> symbols() {
        final Map<String, EventType> symbols = new HashMap<>();
        for (final EventType type : EventType.values()) {
            symbols.put(type.name(), type);
        }
        return symbols;
    }
}
