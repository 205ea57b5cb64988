package io.cartrescue.metrics;

import io.cartrescue.schema.Channel;
import io.cartrescue.schema.EventType;
import io.cartrescue.schema.InterventionType;
import io.cartrescue.schema.SignalType;
import io.cartrescue.schema.Verdict;
import java.time.Duration;

/** The {@link CartRescueMetrics} that records nothing; stateless, so one instance serves everyone. */
enum NoMetrics implements CartRescueMetrics {
    INSTANCE;

    @Override
    public void eventReceived(final EventType type) {
    }

    @Override
    public void duplicateIgnored(final EventType type) {
    }

    @Override
    public void signalFired(final SignalType signal) {
    }

    @Override
    public void decided(final Verdict verdict, final String guardrail) {
    }

    @Override
    public void interventionPublished(final Channel channel, final InterventionType type) {
    }

    @Override
    public void deadLettered(final String reason) {
    }

    @Override
    public void detectionLag(final Duration lag) {
    }

    @Override
    public void punctuation(final String processor, final Duration took) {
    }
}
