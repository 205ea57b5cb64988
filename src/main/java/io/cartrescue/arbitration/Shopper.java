package io.cartrescue.arbitration;

import io.cartrescue.policy.ArbitrationPolicy;
import io.cartrescue.schema.Candidate;
import io.cartrescue.schema.CartSnapshot;
import io.cartrescue.schema.Consent;
import io.cartrescue.schema.ContactChannel;
import io.cartrescue.schema.CustomerProfile;
import io.cartrescue.schema.DeviceType;
import io.cartrescue.schema.LoyaltyTier;
import java.math.BigDecimal;
import java.time.DateTimeException;
import java.time.ZoneId;
import java.util.Optional;

/**
 * What arbitration knows about the shopper behind a candidate: the profile where there is one
 * (it takes precedence), otherwise what the storefront reported in the session. Guests are tier
 * NONE; absent consent means no.
 *
 * @param tier       loyalty tier
 * @param consent    consent flags
 * @param zone       time zone for quiet hours
 * @param deviceType device class
 * @param locale     storefront locale, may be null
 * @param cart       cart at detection, may be null
 * @param preferred  preferred marketing medium
 */
record Shopper(LoyaltyTier tier, Consent consent, ZoneId zone, DeviceType deviceType, String locale,
               CartSnapshot cart, ContactChannel preferred) {

    static Shopper of(final Candidate candidate, final Optional<CustomerProfile> profile, final ArbitrationPolicy policy) {
        final LoyaltyTier tier = profile.map(CustomerProfile::getTier)
                .filter(t -> t != LoyaltyTier.UNKNOWN).orElse(LoyaltyTier.NONE);
        final Consent consent = profile.map(CustomerProfile::getConsent)
                .or(() -> Optional.ofNullable(candidate.getConsent()))
                .orElseGet(() -> new Consent(false, false, false));
        final String zone = profile.map(CustomerProfile::getTimeZone)
                .or(() -> Optional.ofNullable(candidate.getDevice()).map(d -> d.getTimeZone()))
                .orElse(policy.marketing().defaultTimeZone());
        final DeviceType device = candidate.getDevice() == null ? DeviceType.UNKNOWN : candidate.getDevice().getType();
        final String locale = candidate.getDevice() == null ? null : candidate.getDevice().getLocale();
        final ContactChannel preferred = profile.map(CustomerProfile::getPreferredChannel).orElse(ContactChannel.NONE);
        return new Shopper(tier, consent, zoneOr(zone, policy.marketing().defaultTimeZone()), device, locale,
                candidate.getCart(), preferred);
    }

    /** The cart value, or null when the candidate carries no cart. */
    BigDecimal cartValue() {
        return cart == null ? null : cart.getValue();
    }

    /** The cart's currency, or XXX (ISO 4217 "no currency") without a cart. */
    String currency() {
        return cart == null ? "XXX" : cart.getCurrency();
    }

    boolean hasMarketingConsent() {
        return consent.getMarketingEmail() || consent.getMarketingSms();
    }

    /** SMS when preferred and allowed, otherwise email when allowed, otherwise SMS. */
    String marketingMedium() {
        if (preferred == ContactChannel.SMS && consent.getMarketingSms() || !consent.getMarketingEmail()) {
            return "SMS";
        }
        return "EMAIL";
    }

    private static ZoneId zoneOr(final String zone, final String fallback) {
        try {
            return ZoneId.of(zone);
        } catch (DateTimeException e) {
            return ZoneId.of(fallback);
        }
    }
}
