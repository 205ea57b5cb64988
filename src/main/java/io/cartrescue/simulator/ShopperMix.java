package io.cartrescue.simulator;

import java.util.Collections;
import java.util.EnumMap;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.random.RandomGenerator;

/**
 * The share of each archetype among arriving shoppers.
 *
 * <p>Detection quality depends on the background: a detector tuned on hesitating shoppers only would
 * never be tested on staying quiet. The default mix is mostly browsers and buyers, with about 30% of
 * shoppers hesitating in one of the ways the detector should recognise.
 */
public final class ShopperMix {

    private static final ShopperMix DEFAULT = defaults();

    private final Map<ShopperArchetype, Double> weights;
    private final ShopperArchetype[] archetypes;
    private final double[] cumulative;

    private ShopperMix(final Map<ShopperArchetype, Double> weights) {
        final EnumMap<ShopperArchetype, Double> positive = new EnumMap<>(ShopperArchetype.class);
        weights.forEach((archetype, weight) -> {
            Objects.requireNonNull(archetype, "archetype");
            if (weight == null || weight.isNaN() || weight < 0 || weight.isInfinite()) {
                throw new IllegalArgumentException("weight of " + archetype + " must be a finite number >= 0, was " + weight);
            }
            if (weight > 0) {
                positive.put(archetype, weight);
            }
        });
        if (positive.isEmpty()) {
            throw new IllegalArgumentException("a shopper mix needs at least one archetype with a positive weight");
        }
        this.weights = Collections.unmodifiableMap(positive);
        this.archetypes = positive.keySet().toArray(new ShopperArchetype[0]);
        this.cumulative = new double[archetypes.length];
        double sum = 0;
        for (int i = 0; i < archetypes.length; i++) {
            sum += positive.get(archetypes[i]);
            cumulative[i] = sum;
        }
    }

    /**
     * The default mix: 45% browsers, 25% buyers and 30% hesitating shoppers (abandoners 4%, shipping
     * shock 4%, exit intent 4%, payment trouble 3%, coupon hunters 3%, stalled step 3%, product doubt
     * 3%, account trouble 2%, policy readers 2%, dismissers 2%).
     */
    public static ShopperMix defaultMix() {
        return DEFAULT;
    }

    /** A mix with the given relative weights; archetypes not mentioned never arrive. */
    public static ShopperMix of(final Map<ShopperArchetype, ? extends Number> weights) {
        final EnumMap<ShopperArchetype, Double> copy = new EnumMap<>(ShopperArchetype.class);
        weights.forEach((archetype, weight) -> copy.put(archetype, weight == null ? null : weight.doubleValue()));
        return new ShopperMix(copy);
    }

    /** A mix in which every shopper is of one archetype. */
    public static ShopperMix only(final ShopperArchetype archetype) {
        return of(Map.of(archetype, 1));
    }

    /**
     * Parses {@code ARCHETYPE=weight} pairs separated by commas, e.g. {@code BUYER=30,BROWSER=50,ABANDONER=20}
     * (archetype names are case-insensitive), or {@code default}.
     */
    public static ShopperMix parse(final String text) {
        final String trimmed = Objects.requireNonNull(text, "text").trim();
        if (trimmed.equalsIgnoreCase("default")) {
            return DEFAULT;
        }
        final EnumMap<ShopperArchetype, Double> parsed = new EnumMap<>(ShopperArchetype.class);
        for (final String pair : trimmed.split(",")) {
            final String[] parts = pair.split("=", 2);
            if (parts.length != 2) {
                throw new IllegalArgumentException("expected ARCHETYPE=weight, got '" + pair.trim() + "'");
            }
            final ShopperArchetype archetype;
            try {
                archetype = ShopperArchetype.valueOf(parts[0].trim().toUpperCase(Locale.ROOT));
            } catch (final IllegalArgumentException e) {
                throw new IllegalArgumentException("unknown shopper archetype '" + parts[0].trim() + "'", e);
            }
            final double weight;
            try {
                weight = Double.parseDouble(parts[1].trim());
            } catch (final NumberFormatException e) {
                throw new IllegalArgumentException("weight of " + archetype + " is not a number: '" + parts[1].trim() + "'", e);
            }
            if (parsed.put(archetype, weight) != null) {
                throw new IllegalArgumentException(archetype + " appears twice");
            }
        }
        return new ShopperMix(parsed);
    }

    /** This mix with one archetype's weight replaced (0 removes it). */
    public ShopperMix with(final ShopperArchetype archetype, final double weight) {
        final EnumMap<ShopperArchetype, Double> copy = new EnumMap<>(ShopperArchetype.class);
        copy.putAll(weights);
        copy.put(archetype, weight);
        return new ShopperMix(copy);
    }

    /** The relative weights of the archetypes that can arrive. */
    public Map<ShopperArchetype, Double> weights() {
        return weights;
    }

    /** The expected fraction of shoppers of this archetype, between 0 and 1. */
    public double share(final ShopperArchetype archetype) {
        return weights.getOrDefault(archetype, 0.0) / cumulative[cumulative.length - 1];
    }

    /** Draws the archetype of the next arriving shopper. */
    public ShopperArchetype pick(final RandomGenerator random) {
        final double x = random.nextDouble() * cumulative[cumulative.length - 1];
        for (int i = 0; i < cumulative.length - 1; i++) {
            if (x < cumulative[i]) {
                return archetypes[i];
            }
        }
        return archetypes[archetypes.length - 1];
    }

    @Override
    public boolean equals(final Object other) {
        return other instanceof ShopperMix mix && mix.weights.equals(weights);
    }

    @Override
    public int hashCode() {
        return weights.hashCode();
    }

    @Override
    public String toString() {
        final StringBuilder text = new StringBuilder();
        weights.forEach((archetype, weight) -> {
            if (text.length() > 0) {
                text.append(',');
            }
            text.append(archetype).append('=').append(weight);
        });
        return text.toString();
    }

    private static ShopperMix defaults() {
        final EnumMap<ShopperArchetype, Double> weights = new EnumMap<>(ShopperArchetype.class);
        weights.put(ShopperArchetype.BROWSER, 45.0);
        weights.put(ShopperArchetype.BUYER, 25.0);
        weights.put(ShopperArchetype.ABANDONER, 4.0);
        weights.put(ShopperArchetype.SHIPPING_SHOCK, 4.0);
        weights.put(ShopperArchetype.EXIT_INTENT, 4.0);
        weights.put(ShopperArchetype.PAYMENT_TROUBLE, 3.0);
        weights.put(ShopperArchetype.COUPON_HUNTER, 3.0);
        weights.put(ShopperArchetype.STALLED_STEP, 3.0);
        weights.put(ShopperArchetype.PRODUCT_DOUBT, 3.0);
        weights.put(ShopperArchetype.ACCOUNT_TROUBLE, 2.0);
        weights.put(ShopperArchetype.POLICY_READER, 2.0);
        weights.put(ShopperArchetype.DISMISSER, 2.0);
        return new ShopperMix(weights);
    }
}
