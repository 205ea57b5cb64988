package io.cartrescue.simulator;

import static io.cartrescue.simulator.Played.count;
import static io.cartrescue.simulator.Played.indexOf;
import static io.cartrescue.simulator.Played.millis;
import static io.cartrescue.simulator.Played.session;
import static io.cartrescue.simulator.Played.types;
import static io.cartrescue.simulator.Played.withoutPings;
import static org.assertj.core.api.Assertions.assertThat;

import io.cartrescue.schema.ErrorKind;
import io.cartrescue.schema.EventType;
import io.cartrescue.schema.PageType;
import io.cartrescue.schema.StorefrontEvent;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.function.Consumer;
import java.util.stream.LongStream;
import org.junit.jupiter.api.Test;

/** Each archetype's sessions contain what its scenario promises, for many seeds. */
class ScenariosTest {

    private static final int SEEDS = 300;
    private static final Set<EventType> TROUBLE = EnumSet.of(EventType.PAYMENT_FAILED, EventType.CHECKOUT_ERROR,
            EventType.COUPON_DENIED, EventType.EXIT_INTENT, EventType.PRODUCT_REMOVED);
    private static final Set<String> DECLINE_CODES = Set.of(
            "card_declined", "insufficient_funds", "do_not_honor", "expired_card", "incorrect_cvc");

    @Test
    void buyerEndsWithOrderCompletedAndMeetsNoTrouble() {
        forEachSession(ShopperArchetype.BUYER, events -> {
            final List<StorefrontEvent> acts = withoutPings(events);
            assertThat(acts.get(acts.size() - 1).getEventType()).isEqualTo(EventType.ORDER_COMPLETED);
            assertThat(types(events)).doesNotContainAnyElementsOf(TROUBLE);
            assertThat(types(events)).contains(EventType.PRODUCT_ADDED, EventType.CHECKOUT_STARTED,
                    EventType.PAYMENT_INFO_ENTERED);
            assertThat(longestCheckoutDwellMillis(events)).isLessThan(90_000);
        });
    }

    @Test
    void browserOnlyLooksAndNeverTouchesTheCart() {
        forEachSession(ShopperArchetype.BROWSER, events -> {
            assertThat(types(events)).isSubsetOf(EventType.PAGE_VIEWED, EventType.PRODUCT_VIEWED, EventType.PAGE_PING)
                    .contains(EventType.PRODUCT_VIEWED);
            assertThat(events).allSatisfy(e -> assertThat(e.getCart()).isNull());
        });
    }

    @Test
    void paymentTroubleFailsPaymentTwoOrThreeTimesWithDeclineCodes() {
        final List<Boolean> recovered = new ArrayList<>();
        forEachSession(ShopperArchetype.PAYMENT_TROUBLE, events -> {
            final List<StorefrontEvent> failures = events.stream()
                    .filter(e -> e.getEventType() == EventType.PAYMENT_FAILED).toList();
            assertThat(failures).hasSizeBetween(2, 3).allSatisfy(failure -> {
                assertThat(failure.getError().getKind()).isEqualTo(ErrorKind.PAYMENT_DECLINED);
                assertThat(failure.getError().getCode()).isIn(DECLINE_CODES);
                assertThat(failure.getCheckout().getStep()).isEqualTo(4);
            });
            final boolean ordered = count(events, EventType.ORDER_COMPLETED) == 1;
            if (ordered) {
                final String failedMethod = failures.get(0).getCheckout().getPaymentMethod();
                final StorefrontEvent lastPayment = last(events, EventType.PAYMENT_INFO_ENTERED);
                assertThat(lastPayment.getCheckout().getPaymentMethod()).isNotEqualTo(failedMethod);
            }
            recovered.add(ordered);
        });
        assertThat(recovered).contains(true, false);
    }

    @Test
    void shippingShockSeesDeliveryCostThenGoesBackRemovesOrStalls() {
        forEachSession(ShopperArchetype.SHIPPING_SHOCK, events -> {
            final int shown = indexOfStepViewed(events, 3);
            assertThat(shown).isNotNegative();
            assertThat(events.get(shown).getCheckout().getShippingCost()).isGreaterThan(BigDecimal.ZERO);
            final List<StorefrontEvent> after = events.subList(shown + 1, events.size());
            final List<StorefrontEvent> moves = withoutPings(after);
            final boolean wentBack = moves.stream().anyMatch(e -> e.getEventType() == EventType.CART_VIEWED
                    || e.getEventType() == EventType.PRODUCT_REMOVED
                    || e.getEventType() == EventType.CHECKOUT_STEP_VIEWED && e.getCheckout().getStep() < 3);
            final boolean stalled = moves.isEmpty() && count(after, EventType.PAGE_PING) * 15 >= 105;
            assertThat(wentBack || stalled).as("went back or stalled after seeing the delivery cost").isTrue();
            assertThat(types(events)).doesNotContain(EventType.ORDER_COMPLETED);
        });
    }

    @Test
    void couponHunterIsDeniedAtLeastTwiceThenRemovesAnItem() {
        forEachSession(ShopperArchetype.COUPON_HUNTER, events -> {
            assertThat(count(events, EventType.COUPON_DENIED)).isBetween(2L, 3L);
            assertThat(events).filteredOn(e -> e.getEventType() == EventType.COUPON_DENIED)
                    .allSatisfy(e -> assertThat(e.getCoupon().getReason()).isNotBlank())
                    .extracting(e -> e.getCoupon().getCode()).doesNotHaveDuplicates();
            assertThat(indexOf(events, EventType.PRODUCT_REMOVED))
                    .isGreaterThan(indexOf(events, EventType.COUPON_DENIED));
        });
    }

    @Test
    void stalledStepStaysOnACheckoutStepPingingEvery15Seconds() {
        forEachSession(ShopperArchetype.STALLED_STEP, events -> {
            final List<StorefrontEvent> acts = withoutPings(events);
            final StorefrontEvent stalledOn = acts.get(acts.size() - 1);
            assertThat(stalledOn.getEventType()).isEqualTo(EventType.CHECKOUT_STEP_VIEWED);
            assertThat(stalledOn.getCheckout().getStep()).isBetween(2, 4);
            final List<StorefrontEvent> pings = events.subList(events.indexOf(stalledOn) + 1, events.size());
            assertThat(pings).hasSizeGreaterThanOrEqualTo(11)
                    .allSatisfy(p -> assertThat(p.getEventType()).isEqualTo(EventType.PAGE_PING));
            long previous = millis(stalledOn);
            for (final StorefrontEvent ping : pings) {
                assertThat(millis(ping) - previous).isEqualTo(SimulatedSession.PING_INTERVAL_MILLIS);
                assertThat(ping.getPage().getPageType()).isEqualTo(PageType.CHECKOUT);
                previous = millis(ping);
            }
        });
    }

    @Test
    void accountTroubleIsAGuestWhoseAccountCreationFailsTwiceAtStepOne() {
        forEachSession(ShopperArchetype.ACCOUNT_TROUBLE, events -> {
            final List<StorefrontEvent> errors = events.stream()
                    .filter(e -> e.getEventType() == EventType.CHECKOUT_ERROR).toList();
            assertThat(errors).hasSize(2).allSatisfy(error -> {
                assertThat(error.getError().getKind()).isEqualTo(ErrorKind.ACCOUNT_CREATION_FAILED);
                assertThat(error.getCheckout().getStep()).isEqualTo(1);
            });
            assertThat(events).allSatisfy(e -> assertThat(e.getCustomerId()).isNull());
        });
    }

    @Test
    void productDoubtGoesBackAndForthBetweenCartAndTheSameProduct() {
        forEachSession(ShopperArchetype.PRODUCT_DOUBT, events -> {
            final List<StorefrontEvent> acts = withoutPings(events);
            final int firstCart = indexOf(acts, EventType.CART_VIEWED);
            int returns = 0;
            String doubted = null;
            for (int i = firstCart + 1; i + 1 < acts.size(); i++) {
                final StorefrontEvent event = acts.get(i);
                if (event.getEventType() == EventType.PRODUCT_VIEWED
                        && acts.get(i - 1).getEventType() == EventType.CART_VIEWED
                        && acts.get(i + 1).getEventType() == EventType.CART_VIEWED) {
                    final String product = event.getProduct().getProductId();
                    assertThat(doubted == null || doubted.equals(product)).isTrue();
                    doubted = product;
                    returns++;
                }
            }
            assertThat(returns).isBetween(3, 4);
        });
    }

    @Test
    void policyReaderReadsShippingAndReturnsPoliciesDuringCheckout() {
        forEachSession(ShopperArchetype.POLICY_READER, events -> {
            final int started = indexOf(events, EventType.CHECKOUT_STARTED);
            final int shipping = indexOfPage(events, PageType.SHIPPING_POLICY);
            final int returns = indexOfPage(events, PageType.RETURNS_POLICY);
            assertThat(started).isNotNegative();
            assertThat(shipping).isGreaterThan(started);
            assertThat(returns).isGreaterThan(started);
            final int ordered = indexOf(events, EventType.ORDER_COMPLETED);
            if (ordered >= 0) {
                assertThat(ordered).isGreaterThan(Math.max(shipping, returns));
            }
        });
    }

    @Test
    void exitIntentLeavesRightAfterTheExitIntentWithAFullCart() {
        forEachSession(ShopperArchetype.EXIT_INTENT, events -> {
            final StorefrontEvent last = events.get(events.size() - 1);
            assertThat(last.getEventType()).isEqualTo(EventType.EXIT_INTENT);
            assertThat(last.getCart().getItemCount()).isPositive();
            assertThat(last.getPage()).isNotNull();
        });
    }

    @Test
    void abandonerAddsToTheCartAndStopsWithoutCheckingOut() {
        forEachSession(ShopperArchetype.ABANDONER, events -> {
            final StorefrontEvent last = events.get(events.size() - 1);
            assertThat(last.getEventType()).isIn(EventType.PRODUCT_ADDED, EventType.CART_VIEWED);
            assertThat(last.getCart().getItemCount()).isPositive();
            assertThat(types(events)).doesNotContain(EventType.CHECKOUT_STARTED, EventType.ORDER_COMPLETED);
        });
    }

    @Test
    void dismisserFailsPaymentAndLingersOnThePaymentStep() {
        forEachSession(ShopperArchetype.DISMISSER, events -> {
            assertThat(count(events, EventType.PAYMENT_FAILED)).isBetween(2L, 3L);
            final int lastFailure = events.indexOf(last(events, EventType.PAYMENT_FAILED));
            final long pingsAfter = events.subList(lastFailure, events.size()).stream()
                    .filter(e -> e.getEventType() == EventType.PAGE_PING).count();
            assertThat(pingsAfter).isGreaterThanOrEqualTo(5);
        });
    }

    @Test
    void everyArchetypeCarriesIdentityDeviceAndConsentOnEveryEvent() {
        for (final ShopperArchetype archetype : ShopperArchetype.values()) {
            forEachSession(archetype, events -> {
                final StorefrontEvent first = events.get(0);
                assertThat(first.getEventType()).isEqualTo(EventType.PAGE_VIEWED);
                assertThat(events).allSatisfy(e -> {
                    assertThat(e.getSessionId()).isEqualTo(first.getSessionId());
                    assertThat(e.getAnonymousId()).isEqualTo(first.getAnonymousId());
                    assertThat(e.getCustomerId()).isEqualTo(first.getCustomerId());
                    assertThat(e.getDevice()).isEqualTo(first.getDevice());
                    assertThat(e.getConsent()).isEqualTo(first.getConsent());
                    assertThat(e.getPage()).isNotNull();
                    assertThat(e.getPage().getUrl()).startsWith(Shopper.SHOP
                            + e.getDevice().getLocale().toLowerCase(java.util.Locale.ROOT) + "/");
                });
            });
        }
    }

    private static void forEachSession(final ShopperArchetype archetype, final Consumer<List<StorefrontEvent>> check) {
        LongStream.range(0, SEEDS).forEach(seed -> {
            final List<StorefrontEvent> events = session(archetype, seed);
            try {
                check.accept(events);
            } catch (final AssertionError e) {
                throw new AssertionError(archetype + " with seed " + seed + ": " + types(events), e);
            }
        });
    }

    private static StorefrontEvent last(final List<StorefrontEvent> events, final EventType type) {
        for (int i = events.size() - 1; i >= 0; i--) {
            if (events.get(i).getEventType() == type) {
                return events.get(i);
            }
        }
        throw new AssertionError("no " + type);
    }

    private static int indexOfStepViewed(final List<StorefrontEvent> events, final int step) {
        for (int i = 0; i < events.size(); i++) {
            final StorefrontEvent e = events.get(i);
            if (e.getEventType() == EventType.CHECKOUT_STEP_VIEWED && e.getCheckout().getStep() == step) {
                return i;
            }
        }
        return -1;
    }

    private static int indexOfPage(final List<StorefrontEvent> events, final PageType type) {
        for (int i = 0; i < events.size(); i++) {
            final StorefrontEvent e = events.get(i);
            if (e.getEventType() == EventType.PAGE_VIEWED && e.getPage().getPageType() == type) {
                return i;
            }
        }
        return -1;
    }

    /** The longest time a shopper stayed on one checkout step without a step, payment or order event. */
    private static long longestCheckoutDwellMillis(final List<StorefrontEvent> events) {
        long longest = 0;
        long since = -1;
        for (final StorefrontEvent e : withoutPings(events)) {
            if (since >= 0) {
                longest = Math.max(longest, millis(e) - since);
            }
            since = e.getCheckout() != null ? millis(e) : -1;
        }
        return longest;
    }
}
