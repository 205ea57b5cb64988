package io.cartrescue.config;

/**
 * One key with its value and where the value came from.
 *
 * @param key    the setting's name, e.g. {@code bootstrap.servers} or {@code cart-rescue.http.port}
 * @param value  the value, without surrounding white space
 * @param origin where it was set
 */
record Setting(String key, String value, Origin origin) {
    /** The value as it may be shown: secrets redacted, credentials in URLs removed. */
    String shownValue() {
        return Redaction.show(key, value);
    }

    @Override
    public String toString() {
        return key + "=" + shownValue() + " " + origin.from();
    }
}
