package io.cartrescue.metrics;

import io.cartrescue.schema.Channel;
import io.cartrescue.schema.EventType;
import io.cartrescue.schema.InterventionType;
import io.cartrescue.schema.SignalType;
import io.cartrescue.schema.Verdict;
import java.time.Duration;

/**
 * What cart-rescue's own processing reports for monitoring, kept free of any metrics library so
 * that processors depend on this interface only: a running instance passes a Micrometer-backed
 * implementation ({@link MicrometerCartRescueMetrics}), tests and replays {@link #none()}.
 * Implementations are called from stream threads and must be thread-safe and cheap.
 */
public interface CartRescueMetrics {

    /** An event of this type reached session detection (valid and not late). */
    void eventReceived(EventType type);

    /** An event that reached session detection was ignored: its session had already applied its event id. */
    void duplicateIgnored(EventType type);

    /** Session detection fired this signal (a candidate went to arbitration). */
    void signalFired(SignalType signal);

    /** Arbitration published a decision; {@code guardrail} is null unless a guardrail suppressed it. */
    void decided(Verdict verdict, String guardrail);

    /** Arbitration published an intervention of this type on this channel. */
    void interventionPublished(Channel channel, InterventionType type);

    /** An input record went to the dead-letter topic for this reason. */
    void deadLettered(String reason);

    /** Wall-clock time from a session's deadline (stall, end of session) to its candidate leaving session detection. */
    void detectionLag(Duration lag);

    /** How long one punctuation (a look at due timers) of this processor node took. */
    void punctuation(String processor, Duration took);

    /** Records nothing: for tests, the topology command and anything that does not serve metrics. */
    static CartRescueMetrics none() {
        return NoMetrics.INSTANCE;
    }
}
