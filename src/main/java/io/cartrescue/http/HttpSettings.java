package io.cartrescue.http;

import java.util.Objects;

/**
 * Where the HTTP endpoint (health, metrics, session look-ups) listens.
 *
 * @param host address to bind to ({@code cart-rescue.http.host}); {@code 0.0.0.0} for every interface
 * @param port port to bind to ({@code cart-rescue.http.port}); 0 for any free port
 */
public record HttpSettings(String host, int port) {
    public HttpSettings {
        Objects.requireNonNull(host, "host");
        if (port < 0 || port > 65_535) {
            throw new IllegalArgumentException("port " + port + " is not between 0 and 65535");
        }
    }
}
