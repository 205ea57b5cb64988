package io.cartrescue.config;

import java.util.Optional;
import java.util.function.Predicate;

/**
 * What a cart-rescue setting accepts: a check and, for messages and the configuration reference,
 * the expectation in words.
 */
interface ValueRule {
    /** Why {@code value} (already trimmed) is not acceptable, as a fix ("must be ..."); empty when it is. */
    Optional<String> problem(String value);

    /** The accepted values in words, e.g. "an integer from 0 to 65535". */
    String expectation();

    static ValueRule of(final String expectation, final Predicate<String> accepts) {
        return new ValueRule() {
            @Override
            public Optional<String> problem(final String value) {
                return accepts.test(value) ? Optional.empty() : Optional.of("must be " + expectation);
            }

            @Override
            public String expectation() {
                return expectation;
            }
        };
    }
}
