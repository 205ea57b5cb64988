package io.cartrescue.config;

import java.net.URI;
import java.nio.file.Path;
import java.util.Objects;
import java.util.Optional;

/**
 * How to reach the schema registry, gathered so that the serde layer gets one value instead of
 * five settings. Its {@code toString()} shows no credentials.
 *
 * @param url                 base URL, path included, e.g. {@code http://registry:8080/apis/ccompat/v7}
 * @param basicAuthUserInfo   {@code user:password} for HTTP basic authentication, if required
 * @param autoRegister        whether cart-rescue registers its schemas when missing
 * @param truststoreLocation  trust store for the registry's certificate, if not the JVM's default
 * @param truststorePassword  the trust store's password, if it has one
 */
public record RegistrySettings(URI url, Optional<Secret> basicAuthUserInfo, boolean autoRegister,
                               Optional<Path> truststoreLocation, Optional<Secret> truststorePassword) {
    public RegistrySettings {
        Objects.requireNonNull(url, "url");
        Objects.requireNonNull(basicAuthUserInfo, "basicAuthUserInfo");
        Objects.requireNonNull(truststoreLocation, "truststoreLocation");
        Objects.requireNonNull(truststorePassword, "truststorePassword");
    }
}
