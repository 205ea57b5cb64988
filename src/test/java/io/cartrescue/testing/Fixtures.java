package io.cartrescue.testing;

import io.cartrescue.arbitration.Arbiter;
import io.cartrescue.policy.Policy;
import io.cartrescue.schema.Candidate;
import io.cartrescue.schema.CartSnapshot;
import io.cartrescue.schema.ChatCapacity;
import io.cartrescue.schema.Consent;
import io.cartrescue.schema.ContactChannel;
import io.cartrescue.schema.CustomerProfile;
import io.cartrescue.schema.Device;
import io.cartrescue.schema.DeviceType;
import io.cartrescue.schema.ExperimentArm;
import io.cartrescue.schema.LoyaltyTier;
import io.cartrescue.schema.NoticeKind;
import io.cartrescue.schema.SessionNotice;
import io.cartrescue.schema.SignalType;
import io.cartrescue.schema.SignalValue;
import io.cartrescue.schema.Trigger;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.List;
import java.util.stream.IntStream;

/** Candidates, notices, profiles and capacities with plausible defaults, for tests. */
public final class Fixtures {
    /** Monday 2 March 2026, 10:00 UTC (11:00 in Berlin): outside quiet hours. */
    public static final Instant T0 = Instant.parse("2026-03-02T10:00:00Z");

    private Fixtures() {
    }

    /** A signed-in desktop shopper in Germany with a 80.00 EUR cart and every consent. */
    public static Candidate.Builder candidate(final String candidateId, final SignalType signal, final String customerKey,
                                              final String sessionId, final Instant detectedAt) {
        return Candidate.newBuilder()
                .setCandidateId(candidateId)
                .setSignal(signal)
                .setSessionId(sessionId)
                .setCustomerKey(customerKey)
                .setCustomerId(customerKey)
                .setAnonymousId("anon-" + customerKey)
                .setDetectedAt(detectedAt)
                .setTrigger(Trigger.EVENT)
                .setValues(List.of(new SignalValue("count", "2"), new SignalValue("threshold", "2")))
                .setCart(cart("80.00"))
                .setCheckoutStep(4)
                .setDevice(new Device(DeviceType.DESKTOP, "de-DE", "Europe/Berlin"))
                .setConsent(new Consent(true, true, true))
                .setPolicyVersion("default-1");
    }

    public static CartSnapshot cart(final String value) {
        return new CartSnapshot(new BigDecimal(value), "EUR", 2);
    }

    public static CustomerProfile profile(final String customerId, final LoyaltyTier tier, final Consent consent) {
        return CustomerProfile.newBuilder()
                .setCustomerId(customerId)
                .setTier(tier)
                .setConsent(consent)
                .setTimeZone("Europe/Berlin")
                .setPreferredChannel(ContactChannel.EMAIL)
                .setUpdatedAt(T0.minusSeconds(86_400))
                .build();
    }

    public static ChatCapacity capacity(final String queue, final int agents) {
        return new ChatCapacity(queue, agents, 0, T0);
    }

    public static SessionNotice order(final String customerKey, final String sessionId, final Instant at, final String total) {
        return notice(NoticeKind.ORDER_PLACED, customerKey, sessionId, at).setOrderId("o-" + sessionId)
                .setOrderTotal(new BigDecimal(total)).setCurrency("EUR").build();
    }

    public static SessionNotice.Builder notice(final NoticeKind kind, final String customerKey, final String sessionId,
                                               final Instant at) {
        return SessionNotice.newBuilder().setKind(kind).setSessionId(sessionId).setCustomerKey(customerKey).setAt(at);
    }

    /** The first key "prefix-N" whose customer falls into the given arm under the policy. */
    public static String customerIn(final ExperimentArm arm, final Policy policy, final String prefix) {
        final Arbiter arbiter = new Arbiter(policy);
        return IntStream.range(0, 10_000).mapToObj(i -> prefix + "-" + i)
                .filter(key -> arbiter.armOf(key) == arm).findFirst().orElseThrow();
    }
}
