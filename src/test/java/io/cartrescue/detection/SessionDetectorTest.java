package io.cartrescue.detection;

import static org.assertj.core.api.Assertions.assertThat;

import io.cartrescue.policy.DetectionPolicy;
import io.cartrescue.policy.Policy;
import io.cartrescue.policy.PolicyLoader;
import io.cartrescue.schema.ArbitrationInput;
import io.cartrescue.schema.CartLine;
import io.cartrescue.schema.Device;
import io.cartrescue.schema.DeviceType;
import io.cartrescue.schema.ErrorInfo;
import io.cartrescue.schema.ErrorKind;
import io.cartrescue.schema.EventType;
import io.cartrescue.schema.Product;
import io.cartrescue.schema.Candidate;
import io.cartrescue.schema.NoticeKind;
import io.cartrescue.schema.SessionNotice;
import io.cartrescue.schema.SessionState;
import io.cartrescue.schema.SignalType;
import io.cartrescue.schema.StorefrontEvent;
import io.cartrescue.schema.Trigger;
import io.cartrescue.testing.Shopper;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class SessionDetectorTest {
    private static final Policy POLICY = PolicyLoader.defaults();
    private static final DetectionPolicy P = POLICY.detection();

    private final SessionDetector detector = new SessionDetector(P, POLICY.version());
    private SessionState state;
    private final List<ArbitrationInput> outputs = new ArrayList<>();

    private void apply(final StorefrontEvent... events) {
        for (final StorefrontEvent e : events) {
            final SessionDetector.Step step = detector.onEvent(state, e);
            state = step.state();
            outputs.addAll(step.outputs());
        }
    }

    private void timeReaches(final long now) {
        final SessionDetector.Step step = detector.onTime(state, now);
        state = step.state();
        outputs.addAll(step.outputs());
    }

    private List<Candidate> candidates() {
        return outputs.stream().filter(o -> o.getBody() instanceof Candidate).map(o -> (Candidate) o.getBody()).toList();
    }

    private List<NoticeKind> notices() {
        return outputs.stream().filter(o -> o.getBody() instanceof SessionNotice)
                .map(o -> ((SessionNotice) o.getBody()).getKind()).toList();
    }

    @Test
    void secondPaymentFailureFiresOneCandidateWithTheErrorCode() {
        final Shopper s = Shopper.session("s1");
        apply(s.added("p1", "59.90"), s.afterSeconds(10).checkoutStarted(), s.afterSeconds(20).stepViewed(4),
                s.afterSeconds(15).paymentFailed("card_declined"));
        assertThat(candidates()).isEmpty();

        apply(s.afterSeconds(10).paymentFailed("insufficient_funds"));

        assertThat(candidates()).singleElement().satisfies(c -> {
            assertThat(c.getSignal()).isEqualTo(SignalType.PAYMENT_FAILURES);
            assertThat(c.getTrigger()).isEqualTo(Trigger.EVENT);
            assertThat(c.getDetectedAt()).isEqualTo(s.now());
            assertThat(c.getLastPaymentErrorCode()).isEqualTo("insufficient_funds");
            assertThat(c.getCustomerKey()).isEqualTo("anon:anon-s1");
            assertThat(c.getCheckoutStep()).isEqualTo(4);
            assertThat(c.getCart().getItemCount()).isEqualTo(1);
            assertThat(c.getPolicyVersion()).isEqualTo(POLICY.version());
            assertThat(c.getCandidateId()).isEqualTo(Candidates.candidateId("s1", Shopper.T0.toEpochMilli(),
                    SignalType.PAYMENT_FAILURES, 1));
        });
        apply(s.afterSeconds(10).paymentFailed("card_declined"));
        assertThat(candidates()).as("fires once per session by default").hasSize(1);
    }

    @Test
    void nothingFiresAfterTheOrder() {
        final Shopper s = Shopper.session("s2");
        apply(s.added("p1", "20.00"), s.afterSeconds(5).paymentFailed("x"), s.afterSeconds(5).orderCompleted(),
                s.afterSeconds(5).paymentFailed("x"), s.afterSeconds(5).exitIntent());
        assertThat(candidates()).isEmpty();
        assertThat(notices()).containsExactly(NoticeKind.ORDER_PLACED);
        final SessionNotice order = (SessionNotice) outputs.get(0).getBody();
        assertThat(order.getOrderTotal()).isEqualByComparingTo("20.00");

        timeReaches(s.now().plus(Duration.ofHours(3)).toEpochMilli());
        assertThat(candidates()).as("no stall or abandonment after the order").isEmpty();
        assertThat(state).as("state removed after the order tail").isNull();
    }

    @Test
    void anOrderThatArrivesOutOfOrderStillStopsLaterSignals() {
        final Shopper s = Shopper.session("s3");
        final StorefrontEvent added = s.added("p1", "20.00");
        final StorefrontEvent failure = s.afterSeconds(5).paymentFailed("x");
        final StorefrontEvent order = s.afterSeconds(5).orderCompleted();
        final StorefrontEvent lateFailure = s.afterSeconds(-3).paymentFailed("x");
        apply(added, failure, order, lateFailure);
        assertThat(candidates()).isEmpty();
    }

    @Test
    void duplicateEventIdsAreIgnored() {
        final Shopper s = Shopper.session("s4");
        final StorefrontEvent failure = s.afterSeconds(5).paymentFailed("x");
        apply(s.added("p1", "20.00"), failure, failure, failure);
        assertThat(candidates()).isEmpty();
        assertThat(state.getPaymentFailures()).isEqualTo(1);
        assertThat(state.getEventCount()).isEqualTo(2);
    }

    @Test
    void outOfOrderEventsWithinGraceGiveTheSameCandidatesAsInOrder() {
        final Shopper a = Shopper.session("s5");
        final List<StorefrontEvent> inOrder = List.of(a.added("p1", "30.00"), a.afterSeconds(5).couponDenied("X"),
                a.afterSeconds(5).page(io.cartrescue.schema.PageType.RETURNS_POLICY),
                a.afterSeconds(3).paymentFailed("c1"), a.afterSeconds(3).paymentFailed("c2"),
                a.afterSeconds(3).page(io.cartrescue.schema.PageType.SHIPPING_POLICY));
        apply(inOrder.toArray(StorefrontEvent[]::new));
        final List<Candidate> expected = List.copyOf(candidates());

        outputs.clear();
        state = null;
        apply(inOrder.get(0), inOrder.get(4), inOrder.get(1), inOrder.get(5), inOrder.get(3), inOrder.get(2));

        assertThat(expected).extracting(Candidate::getSignal)
                .containsExactlyInAnyOrder(SignalType.PRICE_HESITATION, SignalType.PAYMENT_FAILURES, SignalType.POLICY_CONCERN);
        assertThat(candidates()).extracting(Candidate::getCandidateId)
                .containsExactlyInAnyOrderElementsOf(expected.stream().map(Candidate::getCandidateId).toList());
        assertThat(candidates()).extracting(Candidate::getValues)
                .containsExactlyInAnyOrderElementsOf(expected.stream().map(Candidate::getValues).toList());
    }

    @Test
    void stalledStepFiresAtItsDeadlineNotWhenSomebodyLooks() {
        final Shopper s = Shopper.session("s6");
        apply(s.added("p1", "30.00"), s.afterSeconds(5).checkoutStarted(), s.afterSeconds(5).stepViewed(2));
        final long deadline = s.now().toEpochMilli() + P.stalledStep().forStep(2).toMillis();
        assertThat(detector.nextDeadline(state)).isEqualTo(deadline);

        timeReaches(deadline - 1);
        assertThat(candidates()).isEmpty();
        timeReaches(deadline + 7_000);

        assertThat(candidates()).singleElement().satisfies(c -> {
            assertThat(c.getSignal()).isEqualTo(SignalType.STALLED_CHECKOUT_STEP);
            assertThat(c.getTrigger()).isEqualTo(Trigger.TIMER);
            assertThat(c.getDetectedAt().toEpochMilli()).isEqualTo(deadline);
        });
    }

    @Test
    void progressingThroughTheStepsDoesNotStall() {
        final Shopper s = Shopper.session("s7");
        apply(s.added("p1", "30.00"), s.afterSeconds(5).checkoutStarted());
        for (int step = 2; step <= 5; step++) {
            apply(s.afterSeconds(60).stepCompleted(step - 1), s.stepViewed(step));
        }
        apply(s.afterSeconds(60).orderCompleted());
        timeReaches(s.now().plus(Duration.ofHours(2)).toEpochMilli());
        assertThat(candidates()).isEmpty();
    }

    @Test
    void anEventAfterAPassedDeadlineSettlesTheDeadlineFirst() {
        final Shopper s = Shopper.session("s8");
        apply(s.added("p1", "30.00"), s.afterSeconds(5).checkoutStarted());
        final long deadline = s.now().toEpochMilli() + P.stalledStep().forStep(1).toMillis();
        apply(s.afterSeconds(P.stalledStep().forStep(1).toSeconds() + 30).stepCompleted(1));
        assertThat(candidates()).singleElement().satisfies(c -> {
            assertThat(c.getSignal()).isEqualTo(SignalType.STALLED_CHECKOUT_STEP);
            assertThat(c.getDetectedAt().toEpochMilli()).isEqualTo(deadline);
        });
    }

    @Test
    void leavingWithACartIsAbandonmentAndEndsTheSession() {
        final Shopper s = Shopper.session("s9");
        apply(s.added("p1", "30.00"), s.afterSeconds(30).cartViewed());
        final long deadline = s.now().toEpochMilli() + P.inactivityGap().toMillis();

        timeReaches(deadline);

        assertThat(candidates()).singleElement().satisfies(c -> {
            assertThat(c.getSignal()).isEqualTo(SignalType.ABANDONMENT);
            assertThat(c.getDetectedAt().toEpochMilli()).isEqualTo(deadline);
        });
        assertThat(notices()).containsExactly(NoticeKind.SESSION_ENDED);
        assertThat(state).isNull();
    }

    @Test
    void browsingWithoutACartEndsSilently() {
        final Shopper s = Shopper.session("s10");
        apply(s.viewed("p1"), s.afterSeconds(30).viewed("p2"));
        timeReaches(s.now().plus(P.inactivityGap()).toEpochMilli());
        assertThat(outputs).isEmpty();
        assertThat(state).isNull();
    }

    @Test
    void aSessionIdReusedAfterTheGapStartsANewSessionWithNewCandidateIds() {
        final Shopper s = Shopper.session("s11");
        apply(s.added("p1", "30.00"), s.afterSeconds(5).paymentFailed("a"), s.afterSeconds(5).paymentFailed("b"));
        final String firstId = candidates().get(0).getCandidateId();

        apply(s.after(P.inactivityGap().plusMinutes(5)).added("p2", "10.00"), s.afterSeconds(5).paymentFailed("a"),
                s.afterSeconds(5).paymentFailed("b"));

        assertThat(candidates()).extracting(Candidate::getSignal)
                .containsExactly(SignalType.PAYMENT_FAILURES, SignalType.ABANDONMENT, SignalType.PAYMENT_FAILURES);
        assertThat(candidates().get(2).getCandidateId()).isNotEqualTo(firstId);
        assertThat(state.getEventCount()).isEqualTo(3);
    }

    @Test
    void shippingCostThenBackToTheCartIsAShock() {
        final Shopper s = Shopper.session("s12");
        apply(s.added("p1", "30.00"), s.afterSeconds(5).checkoutStarted(), s.afterSeconds(20).stepViewedWithShipping(3, "9.95"));
        assertThat(candidates()).isEmpty();
        apply(s.afterSeconds(10).cartViewed());
        assertThat(candidates()).singleElement().satisfies(c -> assertThat(c.getSignal()).isEqualTo(SignalType.SHIPPING_COST_SHOCK));
    }

    @Test
    void cartAndProductPingPongIsPriceHesitation() {
        final Shopper s = Shopper.session("s13");
        apply(s.added("p1", "30.00"));
        for (int i = 0; i < 2; i++) {
            apply(s.afterSeconds(10).cartViewed(), s.afterSeconds(10).viewed("p1"));
        }
        assertThat(state.getPingPong()).isEqualTo(P.priceHesitation().pingPong());
        assertThat(candidates()).extracting(Candidate::getSignal).contains(SignalType.PRICE_HESITATION);
    }

    @Test
    void stateStaysBoundedForAHugeCartAndManyEvents() {
        final Shopper s = Shopper.session("s14");
        for (int i = 0; i < 10_000; i++) {
            apply(s.afterSeconds(1).added("p" + i, "1.00"));
        }
        assertThat(state.getLines()).hasSize(P.limits().maxCartLines());
        assertThat(state.getRecentEventHashes()).hasSize(P.limits().dedupWindow());
        final ByteBuffer encoded = toBytes(state);
        assertThat(encoded.remaining()).isLessThan(8 * 1024);
    }

    @Test
    void quantitiesAndPricesAtTheirLimitsSaturateAndTheStateStaysStorable() {
        // Given a shopper who adds a million of each of five products at the largest accepted price, twice
        final Shopper s = Shopper.session("s15");
        for (int round = 0; round < 2; round++) {
            for (int i = 0; i < 5; i++) {
                apply(s.afterSeconds(1).event(EventType.PRODUCT_ADDED)
                        .setProduct(Product.newBuilder().setProductId("p" + i)
                                .setPrice(EventValidator.MAX_AMOUNT).setQuantity(EventValidator.MAX_QUANTITY).build())
                        .build());
            }
        }

        // Then quantities and the recomputed cart stop at their limits instead of overflowing
        assertThat(state.getLines()).extracting(CartLine::getQuantity)
                .containsOnly(EventValidator.MAX_QUANTITY);
        assertThat(state.getCart().getItemCount()).isEqualTo(EventValidator.MAX_QUANTITY);
        assertThat(state.getCart().getValue()).isEqualByComparingTo(SessionUpdater.MAX_CART_VALUE);
        // And the state can still be written with its decimal(14,2) schema
        assertThat(toBytes(state).remaining()).isPositive();
    }

    @Test
    void longFreeTextIsCutToWhatTheStateKeeps() {
        // Given a payment failure with a 100 KB error code and a device with a 100 KB locale and time zone
        final Shopper s = Shopper.session("s16");
        final String huge = "x".repeat(SessionUpdater.MAX_TEXT_LENGTH - 1) + "\uD83D\uDED2" + "y".repeat(100_000);
        apply(s.afterSeconds(1).event(EventType.PAYMENT_FAILED)
                .setError(new ErrorInfo(ErrorKind.PAYMENT_DECLINED, huge))
                .setDevice(new Device(DeviceType.MOBILE, huge, huge))
                .build());

        // Then the state keeps 64 characters at most of each, without half an emoji
        assertThat(state.getPaymentFailures()).isEqualTo(1);
        assertThat(state.getLastPaymentErrorCode()).isEqualTo("x".repeat(SessionUpdater.MAX_TEXT_LENGTH - 1));
        assertThat(state.getDevice().getLocale()).hasSize(SessionUpdater.MAX_TEXT_LENGTH - 1);
        assertThat(state.getDevice().getTimeZone()).hasSize(SessionUpdater.MAX_TEXT_LENGTH - 1);
        assertThat(state.getDevice().getType()).isEqualTo(DeviceType.MOBILE);
        assertThat(toBytes(state).remaining()).isLessThan(1024);
    }

    private static ByteBuffer toBytes(final SessionState s) {
        try {
            return s.toByteBuffer();
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
