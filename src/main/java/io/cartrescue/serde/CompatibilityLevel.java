package io.cartrescue.serde;

/**
 * A subject's compatibility level, as named by the Confluent Schema Registry API. It decides which
 * new schema versions the registry accepts under a subject.
 */
public enum CompatibilityLevel {
    NONE,
    BACKWARD,
    BACKWARD_TRANSITIVE,
    FORWARD,
    FORWARD_TRANSITIVE,
    FULL,
    FULL_TRANSITIVE
}
