package io.cartrescue.policy;

/** What to offer for each signal, and the guardrails. */
public record ArbitrationPolicy(int holdoutPercent) { }
