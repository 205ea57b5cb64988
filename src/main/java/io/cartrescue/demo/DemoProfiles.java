package io.cartrescue.demo;

import io.cartrescue.schema.Consent;
import io.cartrescue.schema.ContactChannel;
import io.cartrescue.schema.CustomerProfile;
import io.cartrescue.schema.LoyaltyTier;
import io.cartrescue.schema.StorefrontEvent;
import java.math.BigDecimal;
import java.time.Instant;

/**
 * Made-up customer profiles for the demo's signed-in shoppers, derived from the customer id so
 * that a returning customer keeps the same tier and consent.
 */
final class DemoProfiles {
    private DemoProfiles() {
    }

    static CustomerProfile profileFor(final StorefrontEvent firstEvent, final Instant now) {
        final String id = firstEvent.getCustomerId();
        final int h = Math.floorMod(id.hashCode(), 100);
        final LoyaltyTier tier = h < 50 ? LoyaltyTier.NONE : h < 75 ? LoyaltyTier.SILVER : h < 90 ? LoyaltyTier.GOLD : LoyaltyTier.PLATINUM;
        final boolean email = h % 10 < 7;
        final String zone = firstEvent.getDevice() == null || firstEvent.getDevice().getTimeZone() == null
                ? "Europe/Berlin" : firstEvent.getDevice().getTimeZone();
        return CustomerProfile.newBuilder()
                .setCustomerId(id)
                .setTier(tier)
                .setConsent(new Consent(email, h % 10 < 3, true))
                .setTimeZone(zone)
                .setLifetimeValue(BigDecimal.valueOf(h * 37L, 0).setScale(2))
                .setCurrency("EUR")
                .setPreferredChannel(email ? ContactChannel.EMAIL : ContactChannel.NONE)
                .setUpdatedAt(now)
                .build();
    }
}
