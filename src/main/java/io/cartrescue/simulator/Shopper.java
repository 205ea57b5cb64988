package io.cartrescue.simulator;

import io.cartrescue.schema.Consent;
import io.cartrescue.schema.Device;
import io.cartrescue.schema.DeviceType;
import java.util.UUID;
import java.util.random.RandomGenerator;

/**
 * Who a simulated session belongs to: its ids, device, locale, time zone and consent, drawn once
 * when the shopper arrives and repeated on every event of the session.
 *
 * @param sessionId      the storefront's session id
 * @param anonymousId    the storefront's anonymous visitor id
 * @param customerId     the signed-in customer's id, or null for a guest
 * @param deviceType     desktop or mobile
 * @param locale         BCP-47 locale of the storefront pages
 * @param timeZone       IANA time zone matching the locale
 * @param marketingEmail consent to marketing email
 * @param marketingSms   consent to marketing SMS
 * @param personalisation consent to personalised on-site offers
 */
record Shopper(String sessionId, String anonymousId, String customerId, DeviceType deviceType, String locale,
               String timeZone, boolean marketingEmail, boolean marketingSms, boolean personalisation) {

    /** Base address of the simulated shop. */
    static final String SHOP = "https://shop.example.com/";

    /** Customer ids are drawn from this many registered customers, so customers come back. */
    static final int REGISTERED_CUSTOMERS = 100_000;

    private static final String[] US_ZONES = {
        "America/New_York", "America/Chicago", "America/Denver", "America/Los_Angeles"};

    static Shopper arrive(final RandomGenerator random, final boolean guest) {
        final String sessionId = uuid(random);
        final String anonymousId = uuid(random);
        final String customerId = !guest && random.nextBoolean()
                ? "C" + (1_000_000 + random.nextInt(REGISTERED_CUSTOMERS))
                : null;
        final DeviceType deviceType = random.nextDouble() < 0.6 ? DeviceType.MOBILE : DeviceType.DESKTOP;
        final double where = random.nextDouble();
        final String locale;
        final String timeZone;
        if (where < 0.4) {
            locale = "de-DE";
            timeZone = "Europe/Berlin";
        } else if (where < 0.6) {
            locale = "en-GB";
            timeZone = "Europe/London";
        } else if (where < 0.8) {
            locale = "fr-FR";
            timeZone = "Europe/Paris";
        } else {
            locale = "en-US";
            timeZone = US_ZONES[random.nextInt(US_ZONES.length)];
        }
        final boolean email = random.nextDouble() < 0.55;
        final boolean sms = random.nextDouble() < 0.2;
        final boolean personalisation = random.nextDouble() < 0.7;
        return new Shopper(sessionId, anonymousId, customerId, deviceType, locale, timeZone, email, sms,
                personalisation);
    }

    /** A random (version 4) UUID drawn from the given generator, so that ids follow from the seed. */
    static String uuid(final RandomGenerator random) {
        final long high = (random.nextLong() & 0xffffffffffff0fffL) | 0x0000000000004000L;
        final long low = (random.nextLong() & 0x3fffffffffffffffL) | 0x8000000000000000L;
        return new UUID(high, low).toString();
    }

    /** The storefront's address for this shopper's locale, e.g. {@code https://shop.example.com/de-de}. */
    String site() {
        return switch (locale) {
            case "de-DE" -> SHOP + "de-de";
            case "en-GB" -> SHOP + "en-gb";
            case "fr-FR" -> SHOP + "fr-fr";
            default -> SHOP + "en-us";
        };
    }

    Device device() {
        return new Device(deviceType, locale, timeZone);
    }

    Consent consent() {
        return new Consent(marketingEmail, marketingSms, personalisation);
    }
}
