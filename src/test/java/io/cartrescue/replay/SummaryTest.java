package io.cartrescue.replay;

import static org.assertj.core.api.Assertions.assertThat;

import io.cartrescue.schema.ExperimentArm;
import io.cartrescue.schema.Outcome;
import io.cartrescue.schema.SignalType;
import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class SummaryTest {
    private static final Instant T0 = Instant.parse("2026-03-02T10:00:00Z");

    @Test
    void conversionIsPerSessionWithIntervalsAndRevenueFromUpliftNotLastTouch() {
        // Given: 10 treated sessions, 4 converted (one of them with two outcomes); 10 holdout sessions, 2 converted
        final List<Outcome> outcomes = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
            outcomes.add(outcome("t" + i, ExperimentArm.TREATMENT, i < 4, T0));
            outcomes.add(outcome("h" + i, ExperimentArm.HOLDOUT, i < 2, T0));
        }
        outcomes.add(outcome("t0", ExperimentArm.TREATMENT, false, T0.plusSeconds(60)));

        // When
        final Map<String, Object> conversion = Summary.conversion(outcomes, List.of(), null);

        // Then
        assertThat(arm(conversion, "treatment")).containsEntry("sessions", 10L).containsEntry("converted", 4L)
                .containsEntry("rate", new BigDecimal("0.4"));
        assertThat(arm(conversion, "holdout")).containsEntry("sessions", 10L).containsEntry("converted", 2L);
        assertThat(arm(conversion, "uplift")).containsEntry("rate", new BigDecimal("0.2"));
        assertThat(conversion).containsEntry("meanOrderValue", new BigDecimal("50.00"));
        // 0.2 uplift x 10 treated sessions x 50.00, not the 4 x 50.00 that last-touch would claim
        assertThat(arm(conversion, "revenueRecovered")).containsEntry("estimate", new BigDecimal("100.00"));
    }

    @Test
    void outcomesOfWindowsStillOpenAtTheEndAreLeftOutAndCounted() {
        // Given: an early conversion whose window ends after the recording, and a closed window without order
        final Instant end = T0.plus(Duration.ofHours(2));
        final List<Outcome> outcomes = List.of(
                outcome("early", ExperimentArm.TREATMENT, true, T0),
                outcome("closed", ExperimentArm.TREATMENT, false, T0.minus(Duration.ofDays(1))));

        // When
        final Map<String, Object> conversion = Summary.conversion(outcomes, List.of(), end);

        // Then
        assertThat(arm(conversion, "treatment")).containsEntry("sessions", 1L).containsEntry("converted", 0L);
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> arm(final Map<String, Object> conversion, final String name) {
        return (Map<String, Object>) conversion.get(name);
    }

    private static Outcome outcome(final String session, final ExperimentArm arm, final boolean converted, final Instant decidedAt) {
        return Outcome.newBuilder().setDecisionId("d-" + session + decidedAt.getEpochSecond()).setSessionId(session)
                .setCustomerKey("c-" + session).setSignal(SignalType.PAYMENT_FAILURES).setExperimentArm(arm)
                .setDecidedAt(decidedAt).setConverted(converted)
                .setOrderValue(converted ? new BigDecimal("50.00") : null).setCurrency(converted ? "EUR" : null)
                .setWindowEndsAt(decidedAt.plus(Duration.ofHours(24))).build();
    }
}
