package io.cartrescue.replay;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;

class ProportionsTest {
    @Test
    void wilsonIntervalMatchesPublishedValues() {
        // Newcombe (1998), table I: 81/263 and 0/10
        final Proportions.Interval a = Proportions.wilson(81, 263);
        final Proportions.Interval b = Proportions.wilson(0, 10);

        assertThat(a.estimate()).isCloseTo(0.3080, within(1e-4));
        assertThat(a.low()).isCloseTo(0.2553, within(1e-4));
        assertThat(a.high()).isCloseTo(0.3662, within(1e-4));
        assertThat(b.low()).isZero();
        assertThat(b.high()).isCloseTo(0.2775, within(1e-4));
    }

    @Test
    void newcombeDifferenceIntervalMatchesPublishedValues() {
        // Newcombe (1998b), table II, example (a): 56/70 vs 48/80, method 10: 0.0524 to 0.3339
        final Proportions.Interval d = Proportions.difference(Proportions.wilson(56, 70), Proportions.wilson(48, 80));

        assertThat(d.estimate()).isCloseTo(0.2, within(1e-9));
        assertThat(d.low()).isCloseTo(0.0524, within(1e-4));
        assertThat(d.high()).isCloseTo(0.3339, within(1e-4));
    }

    @Test
    void noTrialsMeansNoInterval() {
        assertThat(Proportions.wilson(0, 0)).isNull();
        assertThat(Proportions.difference(null, Proportions.wilson(1, 2))).isNull();
    }
}
