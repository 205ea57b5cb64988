package io.cartrescue.config;

import java.util.Objects;

/**
 * A password or credential read from the configuration. It exists so that a secret can travel
 * through records, logs and exception messages without being printed: {@link #toString()} is
 * always {@code [redacted]}, and the value is only reachable through {@link #reveal()} or
 * {@link #chars()}, whose call sites show where a secret is handed on.
 */
public final class Secret {
    private static final String REDACTED = "[redacted]";
    private final char[] chars;

    private Secret(final char[] chars) {
        this.chars = chars;
    }

    /** A secret holding {@code value}. */
    public static Secret of(final String value) {
        return new Secret(Objects.requireNonNull(value, "value").toCharArray());
    }

    /** The secret as a string, for a client that only accepts strings. */
    public String reveal() {
        return new String(chars);
    }

    /** A copy of the secret's characters, which the caller may wipe after use. */
    public char[] chars() {
        return chars.clone();
    }

    @Override
    public boolean equals(final Object other) {
        if (!(other instanceof Secret that) || that.chars.length != chars.length) {
            return false;
        }
        int difference = 0;
        for (int i = 0; i < chars.length; i++) {
            difference |= chars[i] ^ that.chars[i];
        }
        return difference == 0;
    }

    /** A constant, so that hash codes say nothing about the value. */
    @Override
    public int hashCode() {
        return Secret.class.hashCode();
    }

    @Override
    public String toString() {
        return REDACTED;
    }
}
