package io.cartrescue.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import io.cartrescue.schema.Channel;
import io.cartrescue.schema.EventType;
import io.cartrescue.schema.InterventionType;
import io.cartrescue.schema.SignalType;
import io.cartrescue.schema.Verdict;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class MicrometerCartRescueMetricsTest {
    private final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    private final CartRescueMetrics metrics = new MicrometerCartRescueMetrics(registry);

    @Test
    void countersAppearInPrometheusTextWithTheirTags() {
        metrics.eventReceived(EventType.PAYMENT_FAILED);
        metrics.eventReceived(EventType.PAYMENT_FAILED);
        metrics.signalFired(SignalType.PAYMENT_FAILURES);
        metrics.decided(Verdict.EMITTED, null);
        metrics.decided(Verdict.SUPPRESSED, "FREQUENCY_CAP");
        metrics.interventionPublished(Channel.CHAT, InterventionType.CHAT_OFFER);
        metrics.deadLettered("malformed");

        final String scrape = registry.scrape();

        assertThat(scrape).contains(
                "cart_rescue_events_total{type=\"PAYMENT_FAILED\"} 2.0",
                "cart_rescue_signals_fired_total{signal=\"PAYMENT_FAILURES\"} 1.0",
                "cart_rescue_decisions_total{guardrail=\"none\",verdict=\"EMITTED\"} 1.0",
                "cart_rescue_decisions_total{guardrail=\"FREQUENCY_CAP\",verdict=\"SUPPRESSED\"} 1.0",
                "cart_rescue_interventions_total{channel=\"CHAT\",type=\"CHAT_OFFER\"} 1.0",
                "cart_rescue_dead_letters_total{reason=\"malformed\"} 1.0");
    }

    @Test
    void detectionLagIsAHistogramFromTheStartAndNegativeLagCountsAsZero() {
        assertThat(registry.scrape()).contains("cart_rescue_detection_lag_seconds_count 0");

        metrics.detectionLag(Duration.ofMillis(150));
        metrics.detectionLag(Duration.ofMillis(-20));

        final String scrape = registry.scrape();
        assertThat(scrape).contains("cart_rescue_detection_lag_seconds_bucket{le=\"0.05\"} 1",
                "cart_rescue_detection_lag_seconds_bucket{le=\"0.2\"} 2",
                "cart_rescue_detection_lag_seconds_count 2");
    }

    @Test
    void punctuationTimesAreAHistogramPerProcessor() {
        metrics.punctuation("session-detector", Duration.ofMillis(3));
        metrics.punctuation("arbitrate", Duration.ofMillis(30));

        final String scrape = registry.scrape();
        assertThat(scrape).contains(
                "cart_rescue_punctuation_seconds_bucket{processor=\"session-detector\",le=\"0.005\"} 1",
                "cart_rescue_punctuation_seconds_bucket{processor=\"arbitrate\",le=\"0.025\"} 0",
                "cart_rescue_punctuation_seconds_count{processor=\"arbitrate\"} 1");
    }
}
