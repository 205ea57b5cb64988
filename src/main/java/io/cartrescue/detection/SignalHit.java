package io.cartrescue.detection;

import io.cartrescue.schema.SignalType;
import io.cartrescue.schema.SignalValue;
import io.cartrescue.schema.Trigger;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;

/**
 * A signal whose condition holds, with the values that made it hold.
 *
 * @param signal     which signal
 * @param detectedAt event time of detection (see {@code Candidate.detectedAt})
 * @param trigger    an event or the absence of events
 * @param values     the measured values and the thresholds they reached, sorted by name
 */
public record SignalHit(SignalType signal, long detectedAt, Trigger trigger, List<SignalValue> values) {
    public SignalHit {
        Objects.requireNonNull(signal, "signal");
        Objects.requireNonNull(trigger, "trigger");
        values = values.stream().sorted(Comparator.comparing(SignalValue::getName)).toList();
    }

    static SignalValue value(final String name, final Object value) {
        return new SignalValue(name, String.valueOf(value));
    }
}
