package io.cartrescue.policy;

import io.cartrescue.schema.Channel;
import io.cartrescue.schema.DeviceType;
import io.cartrescue.schema.InterventionType;
import io.cartrescue.schema.LoyaltyTier;
import io.cartrescue.schema.SignalType;
import java.math.BigDecimal;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * What to offer for each signal, and the guardrails around it. The key-by-key reference with the
 * reasons for the defaults is {@code policy-reference.md}.
 *
 * @param holdout     the control group that never receives anything
 * @param holds       how long a decision waits before it is published, so that an order can cancel it
 * @param frequency   one cap across all channels
 * @param dismissals  what a dismissal stops
 * @param discount    discount size and its anti-gaming limits
 * @param freeShipping free-delivery threshold
 * @param chat        chat queues and the capacity a chat offer needs
 * @param marketing   recovery reminders: quiet hours and order look-back
 * @param expiry      how long each kind of offer is valid
 * @param attribution how long after a decision an order counts as a conversion
 * @param content     texts and links the offers carry
 * @param ladders     per signal, the interventions to try in order; the first eligible rung wins
 */
public record ArbitrationPolicy(
        Holdout holdout,
        Holds holds,
        Frequency frequency,
        Dismissals dismissals,
        Discount discount,
        FreeShipping freeShipping,
        Chat chat,
        Marketing marketing,
        Expiry expiry,
        Attribution attribution,
        Content content,
        Map<SignalType, List<Rung>> ladders) {

    public ArbitrationPolicy {
        ladders = ladders == null ? Map.of() : Map.copyOf(ladders);
    }

    /** The rungs for a signal, empty when the policy offers nothing for it. */
    public List<Rung> ladder(final SignalType signal) {
        return ladders.getOrDefault(signal, List.of());
    }

    /**
     * @param percent share of customers, 0 to 50, who never receive an intervention
     * @param salt    mixed into the hash of the customer key; change it to draw a new group
     */
    public record Holdout(int percent, String salt) { }

    /**
     * @param inSessionSeconds chat and on-site offers wait this long after the candidate reached arbitration
     * @param marketingMinutes recovery reminders wait this long after abandonment (the send delay)
     */
    public record Holds(int inSessionSeconds, int marketingMinutes) {
        public Duration inSession() {
            return Duration.ofSeconds(inSessionSeconds);
        }

        public Duration marketing() {
            return Duration.ofMinutes(marketingMinutes);
        }
    }

    /**
     * @param minGapSeconds no intervention sooner than this after the previous one, on any channel
     * @param maxPerSession at most this many interventions per session, all channels together
     */
    public record Frequency(int minGapSeconds, int maxPerSession) {
        public Duration minGap() {
            return Duration.ofSeconds(minGapSeconds);
        }
    }

    /** @param maxPerSession after this many dismissals in a session, no more chat or on-site offers in it */
    public record Dismissals(int maxPerSession) { }

    /**
     * @param maxPercent            no discount is ever larger
     * @param percentByTier         percentage by loyalty tier (guests get NONE's)
     * @param maxPerPeriod          discounts per customer per period
     * @param periodDays            the period of maxPerPeriod and repeatAbandonerLimit
     * @param repeatAbandonerLimit  a customer who abandoned this many sessions after a discount offer
     *                              in the period gets no more discounts
     */
    public record Discount(int maxPercent, Map<LoyaltyTier, Integer> percentByTier, int maxPerPeriod,
                           int periodDays, int repeatAbandonerLimit) {
        public Discount {
            percentByTier = percentByTier == null ? Map.of() : Map.copyOf(percentByTier);
        }

        public Duration period() {
            return Duration.ofDays(periodDays);
        }

        /** The percentage for a tier, never above maxPercent; UNKNOWN counts as NONE. */
        public int percentFor(final LoyaltyTier tier) {
            final LoyaltyTier known = tier == null || tier == LoyaltyTier.UNKNOWN ? LoyaltyTier.NONE : tier;
            return Math.min(maxPercent, percentByTier.getOrDefault(known, percentByTier.getOrDefault(LoyaltyTier.NONE, 0)));
        }
    }

    /** @param threshold cart value (in the cart's currency) from which delivery is free */
    public record FreeShipping(BigDecimal threshold) { }

    /**
     * @param queueByLocale      queue by locale or language, e.g. {@code de: chat-de}; the full locale wins over its language
     * @param defaultQueue       queue for every other locale
     * @param minAvailableAgents a chat offer needs at least this many free agents in its queue
     */
    public record Chat(Map<String, String> queueByLocale, String defaultQueue, int minAvailableAgents) {
        public Chat {
            queueByLocale = queueByLocale == null ? Map.of() : Map.copyOf(queueByLocale);
        }
    }

    /**
     * @param quietHoursStart   local time (HH:mm) from which no reminder is released
     * @param quietHoursEnd     local time (HH:mm) at which held reminders are released
     * @param defaultTimeZone   time zone when neither the profile nor the device gives one
     * @param recentOrderHours  no reminder to a customer who ordered in any session this long before the abandonment
     */
    public record Marketing(String quietHoursStart, String quietHoursEnd, String defaultTimeZone, int recentOrderHours) {
        public Duration recentOrder() {
            return Duration.ofHours(recentOrderHours);
        }
    }

    /**
     * @param defaultMinutes validity of a kind not listed
     * @param minutesByType  validity by kind, from the time it is published
     */
    public record Expiry(int defaultMinutes, Map<InterventionType, Integer> minutesByType) {
        public Expiry {
            minutesByType = minutesByType == null ? Map.of() : Map.copyOf(minutesByType);
        }

        public Duration of(final InterventionType type) {
            return Duration.ofMinutes(minutesByType.getOrDefault(type, defaultMinutes));
        }
    }

    /** @param windowHours an order this long after a decision counts as its conversion */
    public record Attribution(int windowHours) {
        public Duration window() {
            return Duration.ofHours(windowHours);
        }
    }

    /**
     * @param paymentAlternatives payment methods suggested by payment help
     * @param deliveryInfoUrl     page for delivery information
     * @param returnsInfoUrl      page for returns information
     * @param loyaltyBenefits     benefit in words by tier, for loyalty reminders
     */
    public record Content(List<String> paymentAlternatives, String deliveryInfoUrl, String returnsInfoUrl,
                          Map<LoyaltyTier, String> loyaltyBenefits) {
        public Content {
            paymentAlternatives = paymentAlternatives == null ? List.of() : List.copyOf(paymentAlternatives);
            loyaltyBenefits = loyaltyBenefits == null ? Map.of() : Map.copyOf(loyaltyBenefits);
        }
    }

    /**
     * One rung of a ladder: an intervention and when it may be offered. Empty lists and absent
     * bounds mean "any".
     *
     * @param type         what to offer
     * @param channel      where (CHAT only for CHAT_OFFER, MARKETING for RECOVERY_REMINDER or DISCOUNT)
     * @param minCartValue cart value at least this (inclusive)
     * @param maxCartValue cart value below this (exclusive)
     * @param tiers        only for these loyalty tiers
     * @param devices      only on these device types
     * @param consent      the consent the offer needs; MARKETING is always needed on the MARKETING channel
     */
    public record Rung(InterventionType type, Channel channel, BigDecimal minCartValue,
                       BigDecimal maxCartValue, List<LoyaltyTier> tiers,
                       List<DeviceType> devices, ConsentRequirement consent) {
        public Rung {
            tiers = tiers == null ? List.of() : List.copyOf(tiers);
            devices = devices == null ? List.of() : List.copyOf(devices);
            consent = consent == null ? ConsentRequirement.NONE : consent;
        }
    }

    /** The consent a rung needs. */
    public enum ConsentRequirement {
        /** Service help: needs no consent. */
        NONE,
        /** Personalised offers (discounts, loyalty): needs personalisation consent. */
        PERSONALISATION,
        /** Email or SMS: needs marketing consent for at least one medium. */
        MARKETING
    }
}
