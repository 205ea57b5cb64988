package io.cartrescue.policy;

import java.util.Objects;

/**
 * The whole policy: detection thresholds and arbitration rules, loaded from one YAML file with one
 * version string. The version is stamped on every candidate, decision and intervention so that an
 * analyst can tell which rules produced them.
 *
 * @param version     free-form version string, e.g. {@code 2026-11-default-1}
 * @param detection   thresholds of the hesitation signals
 * @param arbitration what to offer for each signal and the guardrails
 */
public record Policy(String version, DetectionPolicy detection, ArbitrationPolicy arbitration) {
    public Policy {
        Objects.requireNonNull(version, "version");
        Objects.requireNonNull(detection, "detection");
        Objects.requireNonNull(arbitration, "arbitration");
    }
}
