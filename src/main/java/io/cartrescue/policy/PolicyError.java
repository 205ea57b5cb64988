package io.cartrescue.policy;

import java.util.Objects;

/**
 * One problem found in a policy.
 *
 * @param key     full key path, e.g. {@code arbitration.ladders.EXIT_INTENT[0].channel}
 * @param problem what is wrong with the value found
 * @param allowed what would be accepted (a range, a list of names, a format)
 * @param fix     what to change
 */
public record PolicyError(String key, String problem, String allowed, String fix) {
    public PolicyError {
        Objects.requireNonNull(key, "key");
        Objects.requireNonNull(problem, "problem");
        Objects.requireNonNull(allowed, "allowed");
        Objects.requireNonNull(fix, "fix");
    }

    /** {@code key: problem (allowed: range) — fix}. */
    @Override
    public String toString() {
        return key + ": " + problem + " (allowed: " + allowed + ") — " + fix;
    }
}
