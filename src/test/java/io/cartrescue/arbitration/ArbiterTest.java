package io.cartrescue.arbitration;

import static io.cartrescue.testing.Fixtures.T0;
import static io.cartrescue.testing.Fixtures.candidate;
import static io.cartrescue.testing.Fixtures.capacity;
import static io.cartrescue.testing.Fixtures.cart;
import static io.cartrescue.testing.Fixtures.notice;
import static io.cartrescue.testing.Fixtures.order;
import static io.cartrescue.testing.Fixtures.profile;
import static org.assertj.core.api.Assertions.assertThat;

import io.cartrescue.policy.Policy;
import io.cartrescue.policy.PolicyLoader;
import io.cartrescue.schema.Candidate;
import io.cartrescue.schema.Channel;
import io.cartrescue.schema.ChatCapacity;
import io.cartrescue.schema.ChatOffer;
import io.cartrescue.schema.Consent;
import io.cartrescue.schema.CustomerLedger;
import io.cartrescue.schema.CustomerProfile;
import io.cartrescue.schema.Decision;
import io.cartrescue.schema.DeviceType;
import io.cartrescue.schema.DiscountOffer;
import io.cartrescue.schema.ExperimentArm;
import io.cartrescue.schema.FreeShippingNotice;
import io.cartrescue.schema.Intervention;
import io.cartrescue.schema.InterventionType;
import io.cartrescue.schema.LoyaltyTier;
import io.cartrescue.schema.NoticeKind;
import io.cartrescue.schema.Outcome;
import io.cartrescue.schema.PaymentHelp;
import io.cartrescue.schema.RecoveryReminder;
import io.cartrescue.schema.SignalType;
import io.cartrescue.schema.SignalValue;
import io.cartrescue.schema.Verdict;
import io.cartrescue.testing.Fixtures;
import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class ArbiterTest {
    private static final String CUSTOMER = "c-42";
    private static final Policy NO_HOLDOUT = PolicyLoader.fromYaml(
            "version: test-1\narbitration:\n  holdout:\n    percent: 0\n", "test");

    private final Map<String, ChatCapacity> queues = new HashMap<>();
    private Arbiter arbiter = new Arbiter(NO_HOLDOUT);
    private CustomerLedger ledger = Arbiter.emptyLedger(CUSTOMER);
    private Optional<CustomerProfile> profile = Optional.of(profile(CUSTOMER, LoyaltyTier.SILVER, new Consent(true, false, true)));

    @Test
    void priceHesitationGetsTheTierDiscountHeldForTheInSessionHold() {
        // Given a SILVER customer hesitating over the price
        final Candidate candidate = candidate("cand-1", SignalType.PRICE_HESITATION, CUSTOMER, "s-1", T0).build();

        // When
        final Ruling ruling = decide(candidate, T0);

        // Then
        final Intervention intervention = ruling.hold().orElseThrow().getIntervention();
        final DiscountOffer offer = (DiscountOffer) intervention.getOffer();
        assertThat(ruling.decision().getVerdict()).isEqualTo(Verdict.EMITTED);
        assertThat(ruling.decision().getExperimentArm()).isEqualTo(ExperimentArm.TREATMENT);
        assertThat(intervention.getInterventionId()).isEqualTo(Ids.interventionId("cand-1", InterventionType.DISCOUNT));
        assertThat(intervention.getChannel()).isEqualTo(Channel.ONSITE);
        assertThat(offer.getPercent()).isEqualTo(10);
        assertThat(offer.getTier()).isEqualTo(LoyaltyTier.SILVER);
        assertThat(offer.getCodeRef()).isEqualTo(Ids.codeRef(intervention.getInterventionId())).startsWith("CR-");
        assertThat(intervention.getSendAt()).isEqualTo(T0.plusSeconds(5));
        assertThat(intervention.getExpiresAt()).isEqualTo(T0.plusSeconds(5).plus(Duration.ofMinutes(2880)));
        assertThat(intervention.getReasons()).singleElement().satisfies(reason -> {
            assertThat(reason.getCandidateId()).isEqualTo("cand-1");
            assertThat(reason.getValues()).contains(new SignalValue("count", "2"));
        });
        assertThat(intervention.getPolicyVersion()).isEqualTo("test-1");
        assertThat(ledger.getSends()).singleElement().satisfies(send -> assertThat(send.getType()).isEqualTo(InterventionType.DISCOUNT));
    }

    @Test
    void discountNeverExceedsMaxPercent() {
        // Given a policy whose GOLD percentage is above the cap
        arbiter = new Arbiter(PolicyLoader.fromYaml("""
                version: test-2
                arbitration:
                  holdout: {percent: 0}
                  discount: {maxPercent: 12, percentByTier: {GOLD: 20}}
                """, "test"));
        profile = Optional.of(profile(CUSTOMER, LoyaltyTier.GOLD, new Consent(true, false, true)));

        // When
        final Ruling ruling = decide(candidate("cand-1", SignalType.PRICE_HESITATION, CUSTOMER, "s-1", T0).build(), T0);

        // Then
        assertThat(((DiscountOffer) ruling.hold().orElseThrow().getIntervention().getOffer()).getPercent()).isEqualTo(12);
    }

    @Test
    void chatOfferFallsToPaymentHelpWhenQueueHasNoAgents() {
        // Given a big cart, two payment failures and a German chat queue with no free agent
        queues.put("chat-de", capacity("chat-de", 0));
        final Candidate candidate = candidate("cand-1", SignalType.PAYMENT_FAILURES, CUSTOMER, "s-1", T0)
                .setCart(cart("150.00")).setLastPaymentErrorCode("card_declined").build();

        // When
        final Ruling ruling = decide(candidate, T0);

        // Then
        final Intervention intervention = ruling.hold().orElseThrow().getIntervention();
        assertThat(intervention.getType()).isEqualTo(InterventionType.PAYMENT_HELP);
        assertThat(((PaymentHelp) intervention.getOffer()).getLastErrorCode()).isEqualTo("card_declined");
        assertThat(ruling.decision().getValues()).contains(new SignalValue("rung1.queue", "chat-de"),
                new SignalValue("rung1.availableAgents", "0"), new SignalValue("rung", "2"));
        assertThat(ruling.decision().getExplanation()).contains("chat queue chat-de has 0 free agent(s)");
    }

    @Test
    void chatOfferGoesToTheQueueOfTheShoppersLanguage() {
        // Given an Austrian German shopper and agents free in the German queue
        queues.put("chat-de", capacity("chat-de", 3));
        final Candidate candidate = candidate("cand-1", SignalType.PAYMENT_FAILURES, CUSTOMER, "s-1", T0)
                .setCart(cart("150.00")).setDevice(new io.cartrescue.schema.Device(DeviceType.MOBILE, "de-AT", null)).build();

        // When
        final Ruling ruling = decide(candidate, T0);

        // Then
        final Intervention intervention = ruling.hold().orElseThrow().getIntervention();
        final ChatOffer offer = (ChatOffer) intervention.getOffer();
        assertThat(intervention.getChannel()).isEqualTo(Channel.CHAT);
        assertThat(offer.getQueue()).isEqualTo("chat-de");
        assertThat(offer.getSummary()).contains("PAYMENT_FAILURES at checkout step 4", "150.00 EUR", "count=2");
    }

    @Test
    void chatWithoutCapacityIsSuppressedWhenNoRungIsLeft() {
        // Given a GOLD customer (the guest-checkout hint is for tier NONE) and no capacity report at all
        profile = Optional.of(profile(CUSTOMER, LoyaltyTier.GOLD, new Consent(true, false, true)));

        // When
        final Ruling ruling = decide(candidate("cand-1", SignalType.CHECKOUT_ERRORS, CUSTOMER, "s-1", T0).build(), T0);

        // Then
        assertSuppressed(ruling, Guardrail.CHAT_CAPACITY);
        assertThat(ruling.decision().getValues()).contains(new SignalValue("rung1.tier", "GOLD"),
                new SignalValue("rung2.availableAgents", "0"));
        assertThat(ledger.getSends()).isEmpty();
    }

    @Test
    void candidateAfterTheOrderIsSuppressed() {
        // Given the order of the session was placed
        ledger = arbiter.onOrder(order(CUSTOMER, "s-1", T0, "80.00"), ledger, List.of()).ledger();

        // When
        final Ruling ruling = decide(candidate("cand-1", SignalType.EXIT_INTENT, CUSTOMER, "s-1", T0.plusSeconds(1)).build(), T0);

        // Then
        assertSuppressed(ruling, Guardrail.ORDER_PLACED);
        assertThat(ruling.decision().getValues()).contains(new SignalValue("orderAt", T0.toString()));
    }

    @Test
    void fourthInterventionOfASessionHitsTheFrequencyCap() {
        // Given three interventions in the session, far enough apart
        decide(candidate("cand-1", SignalType.PRICE_HESITATION, CUSTOMER, "s-1", T0).build(), T0);
        decide(candidate("cand-2", SignalType.POLICY_CONCERN, CUSTOMER, "s-1", T0.plusSeconds(300)).build(), T0);
        decide(candidate("cand-3", SignalType.SHIPPING_COST_SHOCK, CUSTOMER, "s-1", T0.plusSeconds(600)).build(), T0);

        // When
        final Ruling ruling = decide(candidate("cand-4", SignalType.STALLED_CHECKOUT_STEP, CUSTOMER, "s-1", T0.plusSeconds(900)).build(), T0);

        // Then
        assertSuppressed(ruling, Guardrail.FREQUENCY_CAP);
        assertThat(ruling.decision().getValues()).contains(new SignalValue("sessionInterventions", "3"),
                new SignalValue("maxPerSession", "3"));
        assertThat(ruling.decision().getExplanation()).isEqualTo(
                "Not sent: this session already had 3 intervention(s), the most allowed per session.");
    }

    @Test
    void interventionWithinTheMinimumGapIsSuppressedOnAnyChannel() {
        // Given an on-site offer a minute ago
        decide(candidate("cand-1", SignalType.PRICE_HESITATION, CUSTOMER, "s-1", T0).build(), T0);

        // When a chat-worthy signal follows 60 s later
        queues.put("chat-de", capacity("chat-de", 5));
        final Ruling ruling = decide(candidate("cand-2", SignalType.PRODUCT_DOUBT, CUSTOMER, "s-1", T0.plusSeconds(60)).build(), T0);

        // Then
        assertSuppressed(ruling, Guardrail.MIN_GAP);
        assertThat(ruling.decision().getValues()).contains(new SignalValue("gapSeconds", "60"), new SignalValue("minGapSeconds", "120"));
    }

    @Test
    void typeAlreadySentInTheSessionFallsToTheNextRung() {
        // Given returns information was already shown in the session
        decide(candidate("cand-1", SignalType.PRODUCT_DOUBT, CUSTOMER, "s-1", T0).setCart(cart("20.00")).build(), T0);

        // When the shopper shows a policy concern later
        final Ruling ruling = decide(candidate("cand-2", SignalType.POLICY_CONCERN, CUSTOMER, "s-1", T0.plusSeconds(600)).build(), T0);

        // Then
        assertThat(ruling.hold().orElseThrow().getIntervention().getType()).isEqualTo(InterventionType.DELIVERY_INFO);
        assertThat(ruling.decision().getValues()).contains(new SignalValue("rung1.alreadySent", "RETURNS_INFO"));
    }

    @Test
    void typeAlreadySentWithNoRungLeftIsSuppressedByAlreadySentType() {
        // Given a free-shipping notice was already shown
        arbiter = new Arbiter(PolicyLoader.fromYaml("""
                version: test-3
                arbitration:
                  holdout: {percent: 0}
                  ladders:
                    SHIPPING_COST_SHOCK: [{type: FREE_SHIPPING_NOTICE, channel: ONSITE}]
                """, "test"));
        decide(candidate("cand-1", SignalType.SHIPPING_COST_SHOCK, CUSTOMER, "s-1", T0).build(), T0);

        // When
        final Ruling ruling = decide(candidate("cand-2", SignalType.SHIPPING_COST_SHOCK, CUSTOMER, "s-1", T0.plusSeconds(600)).build(), T0);

        // Then
        assertSuppressed(ruling, Guardrail.ALREADY_SENT_TYPE);
    }

    @Test
    void dismissedTypeIsNotOfferedAgain() {
        // Given a policy that tolerates three dismissals and a dismissed free-shipping notice
        arbiter = new Arbiter(PolicyLoader.fromYaml("""
                version: test-4
                arbitration:
                  holdout: {percent: 0}
                  dismissals: {maxPerSession: 3}
                  ladders:
                    EXIT_INTENT: [{type: FREE_SHIPPING_NOTICE, channel: ONSITE}]
                """, "test"));
        final Candidate candidate = candidate("cand-1", SignalType.EXIT_INTENT, CUSTOMER, "s-1", T0)
                .setDismissedTypes(List.of(InterventionType.FREE_SHIPPING_NOTICE)).setDismissals(1).build();

        // When
        final Ruling ruling = decide(candidate, T0);

        // Then
        assertSuppressed(ruling, Guardrail.DISMISSED);
        assertThat(ruling.decision().getValues()).contains(new SignalValue("rung1.dismissedType", "FREE_SHIPPING_NOTICE"));
    }

    @Test
    void dismissalLimitStopsOnsiteOffersButNotReminders() {
        // Given the shopper dismissed the discount offered in the session
        final Ruling first = decide(candidate("cand-1", SignalType.PRICE_HESITATION, CUSTOMER, "s-1", T0).build(), T0);
        ledger = arbiter.onNotice(notice(NoticeKind.INTERVENTION_DISMISSED, CUSTOMER, "s-1", T0.plusSeconds(10))
                .setInterventionId(first.decision().getInterventionId()).build(), ledger);

        // When an exit intent follows, and later the session is abandoned
        final Ruling onsite = decide(candidate("cand-2", SignalType.EXIT_INTENT, CUSTOMER, "s-1", T0.plusSeconds(600)).build(), T0);
        final Ruling reminder = decide(candidate("cand-3", SignalType.ABANDONMENT, CUSTOMER, "s-1", T0.plusSeconds(2400)).build(), T0);

        // Then
        assertSuppressed(onsite, Guardrail.DISMISSAL_LIMIT);
        assertThat(onsite.decision().getValues()).contains(new SignalValue("rung1.sessionDismissals", "1"));
        assertThat(ledger.getDismissals()).singleElement()
                .satisfies(d -> assertThat(d.getType()).isEqualTo(InterventionType.DISCOUNT));
        assertThat(reminder.hold().orElseThrow().getIntervention().getType()).isEqualTo(InterventionType.RECOVERY_REMINDER);
    }

    @Test
    void secondDiscountInThePeriodFallsToTheLoyaltyReminder() {
        // Given a discount in an earlier session this month
        decide(candidate("cand-1", SignalType.PRICE_HESITATION, CUSTOMER, "s-1", T0).build(), T0);

        // When the customer hesitates again a week later
        final Instant later = T0.plus(Duration.ofDays(7));
        final Ruling ruling = decide(candidate("cand-2", SignalType.PRICE_HESITATION, CUSTOMER, "s-2", later).build(), later);

        // Then
        assertThat(ruling.hold().orElseThrow().getIntervention().getType()).isEqualTo(InterventionType.LOYALTY_REMINDER);
        assertThat(ruling.decision().getValues()).contains(new SignalValue("rung1.discountsInPeriod", "1"),
                new SignalValue("rung1.maxPerPeriod", "1"));
    }

    @Test
    void discountCapSuppressesWhenTheLadderHasOnlyDiscounts() {
        // Given a discount-only ladder and a discount this month
        arbiter = new Arbiter(PolicyLoader.fromYaml("""
                version: test-5
                arbitration:
                  holdout: {percent: 0}
                  ladders:
                    PRICE_HESITATION: [{type: DISCOUNT, channel: ONSITE}]
                """, "test"));
        decide(candidate("cand-1", SignalType.PRICE_HESITATION, CUSTOMER, "s-1", T0).build(), T0);

        // When
        final Instant later = T0.plus(Duration.ofDays(29));
        final Ruling ruling = decide(candidate("cand-2", SignalType.PRICE_HESITATION, CUSTOMER, "s-2", later).build(), later);

        // Then
        assertSuppressed(ruling, Guardrail.DISCOUNT_CAP);
    }

    @Test
    void repeatAbandonerGetsNoDiscount() {
        // Given a policy with three discounts a month, and two sessions abandoned after a discount
        arbiter = new Arbiter(PolicyLoader.fromYaml("""
                version: test-6
                arbitration:
                  holdout: {percent: 0}
                  discount: {maxPerPeriod: 3}
                  ladders:
                    PRICE_HESITATION: [{type: DISCOUNT, channel: ONSITE}]
                """, "test"));
        for (int session = 1; session <= 2; session++) {
            final Instant at = T0.plus(Duration.ofDays(session));
            decide(candidate("cand-" + session, SignalType.PRICE_HESITATION, CUSTOMER, "s-" + session, at).build(), at);
            ledger = arbiter.onNotice(notice(NoticeKind.SESSION_ENDED, CUSTOMER, "s-" + session, at.plusSeconds(1800))
                    .setCart(cart("80.00")).build(), ledger);
        }

        // When
        final Instant later = T0.plus(Duration.ofDays(5));
        final Ruling ruling = decide(candidate("cand-3", SignalType.PRICE_HESITATION, CUSTOMER, "s-3", later).build(), later);

        // Then
        assertSuppressed(ruling, Guardrail.REPEAT_ABANDONER);
        assertThat(ledger.getDiscountAbandonments()).extracting(a -> a.getSessionId()).containsExactly("s-1", "s-2");
        assertThat(ruling.decision().getValues()).contains(new SignalValue("rung1.discountAbandonments", "2"));
    }

    @Test
    void reminderWithoutMarketingConsentIsSuppressed() {
        // Given the profile denies marketing, whatever the storefront said
        profile = Optional.of(profile(CUSTOMER, LoyaltyTier.SILVER, new Consent(false, false, true)));

        // When
        final Ruling ruling = decide(candidate("cand-1", SignalType.ABANDONMENT, CUSTOMER, "s-1", T0).build(), T0);

        // Then
        assertSuppressed(ruling, Guardrail.NO_CONSENT);
        assertThat(ruling.decision().getExplanation()).contains("needs marketing consent");
    }

    @Test
    void personalisedOfferWithoutConsentFallsToServiceHelp() {
        // Given a guest without personalisation consent
        profile = Optional.empty();
        final Candidate candidate = candidate("cand-1", SignalType.SHIPPING_COST_SHOCK, "anon:a-1", "s-1", T0)
                .setCustomerId(null).setConsent(null).setCart(cart("30.00")).build();
        ledger = Arbiter.emptyLedger("anon:a-1");

        // When
        final Ruling ruling = decide(candidate, T0);

        // Then
        final FreeShippingNotice notice = (FreeShippingNotice) ruling.hold().orElseThrow().getIntervention().getOffer();
        assertThat(notice.getQualifies()).isFalse();
        assertThat(notice.getRemaining()).isEqualByComparingTo("20.00");
        assertThat(notice.getThreshold()).isEqualByComparingTo("50.00");
    }

    @Test
    void cartBelowEveryRungIsNoEligibleRung() {
        // Given a tiny cart on a phone: the discount is for desktops and tablets and 30.00 upwards
        arbiter = new Arbiter(PolicyLoader.fromYaml("""
                version: test-7
                arbitration:
                  holdout: {percent: 0}
                  ladders:
                    EXIT_INTENT: [{type: DISCOUNT, channel: ONSITE, minCartValue: 30.00, devices: [DESKTOP]}]
                """, "test"));
        final Candidate candidate = candidate("cand-1", SignalType.EXIT_INTENT, CUSTOMER, "s-1", T0)
                .setCart(cart("12.50")).build();

        // When
        final Ruling ruling = decide(candidate, T0);

        // Then
        assertSuppressed(ruling, Guardrail.NO_ELIGIBLE_RUNG);
        assertThat(ruling.decision().getValues()).contains(new SignalValue("rung1.cartValue", "12.50"),
                new SignalValue("rung1.minCartValue", "30.00"));
    }

    @Test
    void signalWithoutLadderIsNoEligibleRung() {
        // When
        final Ruling ruling = decide(candidate("cand-1", SignalType.UNKNOWN, CUSTOMER, "s-1", T0).build(), T0);

        // Then
        assertSuppressed(ruling, Guardrail.NO_ELIGIBLE_RUNG);
        assertThat(ruling.decision().getExplanation()).isEqualTo("Not sent: the policy has no ladder for UNKNOWN.");
    }

    @Test
    void holdoutCustomerGetsAHoldoutDecisionAndNoIntervention() {
        // Given the default policy and a customer in its holdout
        final Policy policy = PolicyLoader.defaults();
        arbiter = new Arbiter(policy);
        final String customer = Fixtures.customerIn(ExperimentArm.HOLDOUT, policy, "c");
        ledger = Arbiter.emptyLedger(customer);

        // When
        final Ruling ruling = decide(candidate("cand-1", SignalType.PRICE_HESITATION, customer, "s-1", T0).build(), T0);
        final Publication publication = arbiter.release(ruling.hold().orElseThrow(), ledger);

        // Then
        assertThat(publication.decision().getVerdict()).isEqualTo(Verdict.HOLDOUT);
        assertThat(publication.decision().getExperimentArm()).isEqualTo(ExperimentArm.HOLDOUT);
        assertThat(publication.decision().getInterventionId()).isEqualTo(Ids.interventionId("cand-1", InterventionType.DISCOUNT));
        assertThat(publication.decision().getExplanation()).startsWith("Withheld: the customer is in the 10% holdout");
        assertThat(publication.intervention()).isEmpty();
        assertThat(publication.attribution().getExperimentArm()).isEqualTo(ExperimentArm.HOLDOUT);
    }

    @Test
    void holdoutIsDeterministicAndCloseToItsPercent() {
        // Given
        final Arbiter first = new Arbiter(PolicyLoader.defaults());
        final Arbiter second = new Arbiter(PolicyLoader.defaults());

        // When
        long holdout = 0;
        for (int i = 0; i < 20_000; i++) {
            final String key = "customer-" + i;
            assertThat(first.armOf(key)).isEqualTo(second.armOf(key));
            holdout += first.armOf(key) == ExperimentArm.HOLDOUT ? 1 : 0;
        }

        // Then
        assertThat(holdout / 20_000.0).isBetween(0.09, 0.11);
    }

    @Test
    void reminderDueInQuietHoursIsReleasedWhenTheyEnd() {
        // Given abandonment detected at 20:30 in Berlin: the 60 min hold would end at 21:30, inside 21:00–08:00
        final Instant abandonedAt = Instant.parse("2026-03-02T19:30:00Z");
        final Candidate candidate = candidate("cand-1", SignalType.ABANDONMENT, CUSTOMER, "s-1", abandonedAt).build();

        // When
        final Ruling ruling = decide(candidate, abandonedAt);

        // Then
        final Intervention reminder = ruling.hold().orElseThrow().getIntervention();
        assertThat(ruling.hold().orElseThrow().getReleaseAt()).isEqualTo(Instant.parse("2026-03-03T07:00:00Z"));
        assertThat(reminder.getSendAt()).isEqualTo(Instant.parse("2026-03-03T07:00:00Z"));
        assertThat(reminder.getChannel()).isEqualTo(Channel.MARKETING);
        assertThat(((RecoveryReminder) reminder.getOffer()).getMedium()).isEqualTo("EMAIL");
        assertThat(((RecoveryReminder) reminder.getOffer()).getCart().getValue()).isEqualByComparingTo("80.00");
    }

    @Test
    void sameCandidateGivesTheSameIdsAndIsDecidedOnlyOnce() {
        // Given
        final Candidate candidate = candidate("cand-1", SignalType.PRICE_HESITATION, CUSTOMER, "s-1", T0).build();
        final Ruling ruling = decide(candidate, T0);

        // When
        final Ruling elsewhere = new Arbiter(NO_HOLDOUT).decide(candidate, Arbiter.emptyLedger(CUSTOMER), profile,
                q -> Optional.empty(), T0).orElseThrow();
        final Optional<Ruling> again = arbiter.decide(candidate, ledger, profile, q -> Optional.empty(), T0);

        // Then
        assertThat(elsewhere.decision()).isEqualTo(ruling.decision());
        assertThat(elsewhere.hold()).isEqualTo(ruling.hold());
        assertThat(again).isEmpty();
    }

    @Test
    void orderDuringTheHoldCancelsItWithOrderPlaced() {
        // Given an offer held until T0 + 5 s
        final Ruling ruling = decide(candidate("cand-1", SignalType.PRICE_HESITATION, CUSTOMER, "s-1", T0).build(), T0);

        // When the order comes 2 s later
        final OrderEffects effects = arbiter.onOrder(order(CUSTOMER, "s-1", T0.plusSeconds(2), "80.00"), ledger,
                List.of(ruling.hold().orElseThrow()));

        // Then
        final Decision cancelled = effects.cancellations().get(0);
        assertThat(effects.cancelledHolds()).containsExactly(ruling.hold().orElseThrow());
        assertThat(cancelled.getVerdict()).isEqualTo(Verdict.SUPPRESSED);
        assertThat(cancelled.getGuardrail()).isEqualTo("ORDER_PLACED");
        assertThat(cancelled.getDecisionId()).isEqualTo(ruling.decision().getDecisionId());
        assertThat(cancelled.getExplanation()).contains("while the DISCOUNT was held until " + T0.plusSeconds(5));
        assertThat(effects.ledger().getSends()).isEmpty();
        assertThat(effects.ledger().getOrders()).singleElement().satisfies(o -> assertThat(o.getSessionId()).isEqualTo("s-1"));
    }

    @Test
    void orderInAnotherSessionCancelsAHeldReminderButNotAnOnsiteOffer() {
        // Given a held reminder for session s-1 and a held on-site offer in session s-3
        final Ruling reminder = decide(candidate("cand-1", SignalType.ABANDONMENT, CUSTOMER, "s-1", T0).build(), T0);
        final Instant later = T0.plusSeconds(600);
        final Ruling onsite = decide(candidate("cand-2", SignalType.PRICE_HESITATION, CUSTOMER, "s-3", later).build(), later);

        // When the customer orders in session s-2
        final OrderEffects effects = arbiter.onOrder(order(CUSTOMER, "s-2", later.plusSeconds(1), "80.00"), ledger,
                List.of(reminder.hold().orElseThrow(), onsite.hold().orElseThrow()));

        // Then
        assertThat(effects.cancelledHolds()).containsExactly(reminder.hold().orElseThrow());
        assertThat(effects.ledger().getSends()).extracting(s -> s.getSessionId()).containsExactly("s-3");
    }

    @Test
    void recentOrderInAnySessionSuppressesTheReminder() {
        // Given an order in another session an hour before the abandonment
        ledger = arbiter.onOrder(order(CUSTOMER, "s-2", T0.minusSeconds(3600), "35.00"), ledger, List.of()).ledger();

        // When
        final Ruling ruling = decide(candidate("cand-1", SignalType.ABANDONMENT, CUSTOMER, "s-1", T0).build(), T0);

        // Then
        assertSuppressed(ruling, Guardrail.ORDER_PLACED);
        assertThat(ruling.decision().getValues()).contains(new SignalValue("rung1.orderSessionId", "s-2"));
    }

    @Test
    void orderWithinTheWindowConvertsTreatedDecision() {
        // Given a published offer
        final Ruling ruling = decide(candidate("cand-1", SignalType.PRICE_HESITATION, CUSTOMER, "s-1", T0).build(), T0);
        final Publication publication = arbiter.release(ruling.hold().orElseThrow(), ledger);
        ledger = publication.ledger();

        // When the customer orders 10 minutes later
        final OrderEffects effects = arbiter.onOrder(order(CUSTOMER, "s-1", T0.plusSeconds(600), "76.00"), ledger, List.of());

        // Then
        final Outcome outcome = effects.outcomes().get(0);
        assertThat(publication.attribution().getWindowEndsAt()).isEqualTo(T0.plus(Duration.ofHours(24)));
        assertThat(outcome.getConverted()).isTrue();
        assertThat(outcome.getOrderValue()).isEqualTo(new BigDecimal("76.00"));
        assertThat(outcome.getTimeToConvertMillis()).isEqualTo(600_000L);
        assertThat(outcome.getInterventionType()).isEqualTo(InterventionType.DISCOUNT);
        assertThat(outcome.getExperimentArm()).isEqualTo(ExperimentArm.TREATMENT);
        assertThat(effects.ledger().getOpenAttributions()).isEmpty();
    }

    @Test
    void windowEndWithoutOrderGivesANotConvertedOutcome() {
        // Given a published offer
        final Ruling ruling = decide(candidate("cand-1", SignalType.PRICE_HESITATION, CUSTOMER, "s-1", T0).build(), T0);
        ledger = arbiter.release(ruling.hold().orElseThrow(), ledger).ledger();

        // When
        final AttributionEnd end = arbiter.endAttribution(ruling.decision().getDecisionId(), ledger);

        // Then
        assertThat(end.outcome()).hasValueSatisfying(outcome -> {
            assertThat(outcome.getConverted()).isFalse();
            assertThat(outcome.getOrderValue()).isNull();
            assertThat(outcome.getWindowEndsAt()).isEqualTo(T0.plus(Duration.ofHours(24)));
        });
        assertThat(end.ledger().getOpenAttributions()).isEmpty();
        assertThat(arbiter.endAttribution(ruling.decision().getDecisionId(), end.ledger()).outcome()).isEmpty();
    }

    private Ruling decide(final Candidate candidate, final Instant now) {
        final Ruling ruling = arbiter.decide(candidate, ledger, profile, q -> Optional.ofNullable(queues.get(q)), now).orElseThrow();
        ledger = ruling.ledger();
        return ruling;
    }

    private static void assertSuppressed(final Ruling ruling, final Guardrail guardrail) {
        assertThat(ruling.suppressed()).isTrue();
        assertThat(ruling.decision().getVerdict()).isEqualTo(Verdict.SUPPRESSED);
        assertThat(ruling.decision().getGuardrail()).isEqualTo(guardrail.name());
        assertThat(ruling.decision().getExplanation()).startsWith("Not sent: ").endsWith(".");
        assertThat(ruling.decision().getInterventionId()).isNull();
    }
}
