package io.cartrescue.arbitration;

import io.cartrescue.schema.SignalValue;
import java.util.List;

/**
 * A guardrail that stopped a candidate or a rung.
 *
 * @param guardrail   which one
 * @param explanation why, as a clause a support agent can read (no trailing period)
 * @param values      the values it compared
 */
public record Rejection(Guardrail guardrail, String explanation, List<SignalValue> values) {
    public Rejection {
        values = List.copyOf(values);
    }

    static Rejection of(final Guardrail guardrail, final String explanation, final SignalValue... values) {
        return new Rejection(guardrail, explanation, List.of(values));
    }

    static SignalValue value(final String name, final Object value) {
        return new SignalValue(name, String.valueOf(value));
    }
}
