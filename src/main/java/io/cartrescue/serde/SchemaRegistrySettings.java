package io.cartrescue.serde;

import java.net.URI;
import java.net.URISyntaxException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;

/**
 * How to reach a schema registry that speaks the Confluent Schema Registry REST API: base URL(s),
 * credentials, trust store and retry time.
 *
 * <p>It exists so that the client is built from one immutable, validated value, and so that what
 * is shown of it ({@link #toString()}) never contains a password. A base URL may carry a path
 * (Apicurio serves the API under {@code /apis/ccompat/v7}; Confluent, Redpanda and Karapace at
 * the root); a trailing slash is ignored. Several comma-separated URLs are tried in turn when one
 * is unreachable. Credentials in a URL ({@code https://user:password@host}) are taken out of the
 * URL and sent as an HTTP basic authorization header instead, unless explicit credentials are set.
 */
public final class SchemaRegistrySettings {
    /** How long transient failures are retried before a call gives up by default. */
    public static final Duration DEFAULT_RETRY_TIMEOUT = Duration.ofSeconds(60);
    /** How long one HTTP request may take by default. */
    public static final Duration DEFAULT_REQUEST_TIMEOUT = Duration.ofSeconds(10);
    /** How long establishing a connection may take by default. */
    public static final Duration DEFAULT_CONNECT_TIMEOUT = Duration.ofSeconds(5);
    /** The first pause between retries by default; it doubles after each failed attempt. */
    public static final Duration DEFAULT_INITIAL_BACKOFF = Duration.ofMillis(100);
    /** The longest pause between retries by default. */
    public static final Duration DEFAULT_MAX_BACKOFF = Duration.ofSeconds(5);

    private final List<URI> baseUrls;
    private final String userInfo;
    private final Path trustStore;
    private final String trustStorePassword;
    private final String trustStoreType;
    private final Duration retryTimeout;
    private final Duration requestTimeout;
    private final Duration connectTimeout;
    private final Duration initialBackoff;
    private final Duration maxBackoff;

    private SchemaRegistrySettings(final Builder builder) {
        final List<URI> urls = new ArrayList<>();
        String credentialsFromUrl = null;
        for (final String url : builder.urls.split(",")) {
            if (url.isBlank()) {
                continue;
            }
            final URI parsed = parseBaseUrl(url.trim());
            if (parsed.getRawUserInfo() != null && credentialsFromUrl == null) {
                credentialsFromUrl = URLDecoder.decode(parsed.getRawUserInfo(),
                        StandardCharsets.UTF_8);
            }
            urls.add(withoutUserInfo(parsed));
        }
        if (urls.isEmpty()) {
            throw new IllegalArgumentException("No schema registry URL given");
        }
        this.baseUrls = List.copyOf(urls);
        this.userInfo = builder.userInfo != null ? builder.userInfo : credentialsFromUrl;
        if (userInfo != null && !userInfo.contains(":")) {
            throw new IllegalArgumentException("Schema registry credentials must have the form user:password");
        }
        this.trustStore = builder.trustStore;
        this.trustStorePassword = builder.trustStorePassword;
        this.trustStoreType = builder.trustStoreType;
        this.retryTimeout = requireNotNegative(builder.retryTimeout, "retry timeout");
        this.requestTimeout = requirePositive(builder.requestTimeout, "request timeout");
        this.connectTimeout = requirePositive(builder.connectTimeout, "connect timeout");
        this.initialBackoff = requirePositive(builder.initialBackoff, "initial backoff");
        this.maxBackoff = requirePositive(builder.maxBackoff, "maximum backoff");
    }

    /**
     * Starts settings for the registry at {@code urls}: one base URL, or several separated by
     * commas, e.g. {@code http://127.0.0.1:8080/apis/ccompat/v7}.
     */
    public static Builder builder(final String urls) {
        return new Builder(urls);
    }

    /** Base URLs without credentials and without a trailing slash, in the order they are tried. */
    public List<URI> baseUrls() {
        return baseUrls;
    }

    /** The {@code user:password} sent as HTTP basic authorization, if any. */
    public Optional<String> userInfo() {
        return Optional.ofNullable(userInfo);
    }

    /** A trust store file holding private CA certificates, trusted on top of the JDK's default ones. */
    public Optional<Path> trustStore() {
        return Optional.ofNullable(trustStore);
    }

    /** The trust store file's password, if it has one. */
    public Optional<String> trustStorePassword() {
        return Optional.ofNullable(trustStorePassword);
    }

    /** The trust store's type (PKCS12, JKS); empty means the JDK's default type. */
    public Optional<String> trustStoreType() {
        return Optional.ofNullable(trustStoreType);
    }

    /** How long transient failures are retried before a call fails as unavailable. */
    public Duration retryTimeout() {
        return retryTimeout;
    }

    /** How long one HTTP request may take. */
    public Duration requestTimeout() {
        return requestTimeout;
    }

    /** How long establishing a connection may take. */
    public Duration connectTimeout() {
        return connectTimeout;
    }

    /** The first pause between retries. */
    public Duration initialBackoff() {
        return initialBackoff;
    }

    /** The longest pause between retries. */
    public Duration maxBackoff() {
        return maxBackoff;
    }

    @Override
    public String toString() {
        return "SchemaRegistrySettings{urls=" + baseUrls
                + ", basicAuth=" + (userInfo == null ? "none" : "[hidden]")
                + ", trustStore=" + (trustStore == null ? "JDK default" : trustStore + " and JDK default")
                + ", retryTimeout=" + retryTimeout
                + ", requestTimeout=" + requestTimeout + '}';
    }

    private static URI parseBaseUrl(final String url) {
        final URI uri;
        try {
            uri = new URI(url);
        } catch (final URISyntaxException e) {
            throw new IllegalArgumentException("Schema registry URL is not a valid URL: " + redact(url), e);
        }
        final String scheme = uri.getScheme();
        if (scheme == null || !(scheme.equalsIgnoreCase("http") || scheme.equalsIgnoreCase("https"))
                || uri.getHost() == null) {
            throw new IllegalArgumentException(
                    "Schema registry URL must be http(s)://host[:port][/path]: " + redact(url));
        }
        if (uri.getRawQuery() != null || uri.getRawFragment() != null) {
            throw new IllegalArgumentException(
                    "Schema registry URL must not have a query or fragment: " + redact(url));
        }
        return uri;
    }

    private static URI withoutUserInfo(final URI uri) {
        String path = uri.getRawPath() == null ? "" : uri.getRawPath();
        while (path.endsWith("/")) {
            path = path.substring(0, path.length() - 1);
        }
        final String port = uri.getPort() < 0 ? "" : ":" + uri.getPort();
        return URI.create(uri.getScheme().toLowerCase(Locale.ROOT) + "://" + uri.getHost() + port + path);
    }

    private static String redact(final String url) {
        return url.replaceAll("//[^/@]*@", "//[hidden]@");
    }

    private static Duration requirePositive(final Duration value, final String name) {
        Objects.requireNonNull(value, name);
        if (value.isNegative() || value.isZero()) {
            throw new IllegalArgumentException("The schema registry " + name + " must be positive: " + value);
        }
        return value;
    }

    private static Duration requireNotNegative(final Duration value, final String name) {
        Objects.requireNonNull(value, name);
        if (value.isNegative()) {
            throw new IllegalArgumentException("The schema registry " + name + " must not be negative: " + value);
        }
        return value;
    }

    /** Collects the settings; {@link #build()} validates them. */
    public static final class Builder {
        private final String urls;
        private String userInfo;
        private Path trustStore;
        private String trustStorePassword;
        private String trustStoreType;
        private Duration retryTimeout = DEFAULT_RETRY_TIMEOUT;
        private Duration requestTimeout = DEFAULT_REQUEST_TIMEOUT;
        private Duration connectTimeout = DEFAULT_CONNECT_TIMEOUT;
        private Duration initialBackoff = DEFAULT_INITIAL_BACKOFF;
        private Duration maxBackoff = DEFAULT_MAX_BACKOFF;

        private Builder(final String urls) {
            this.urls = Objects.requireNonNull(urls, "schema registry URL");
        }

        /** HTTP basic authorization credentials as {@code user:password}. */
        public Builder basicAuth(final String userColonPassword) {
            this.userInfo = userColonPassword;
            return this;
        }

        /** A trust store file with private CA certificates, trusted in addition to the JDK's. */
        public Builder trustStore(final Path file, final String password, final String type) {
            this.trustStore = file;
            this.trustStorePassword = password;
            this.trustStoreType = type;
            return this;
        }

        /** How long transient failures are retried before a call fails; zero means one attempt. */
        public Builder retryTimeout(final Duration timeout) {
            this.retryTimeout = timeout;
            return this;
        }

        /** How long one HTTP request may take. */
        public Builder requestTimeout(final Duration timeout) {
            this.requestTimeout = timeout;
            return this;
        }

        /** How long establishing a connection may take. */
        public Builder connectTimeout(final Duration timeout) {
            this.connectTimeout = timeout;
            return this;
        }

        /** The first and the longest pause between retries. */
        public Builder backoff(final Duration initial, final Duration max) {
            this.initialBackoff = initial;
            this.maxBackoff = max;
            return this;
        }

        public SchemaRegistrySettings build() {
            return new SchemaRegistrySettings(this);
        }
    }
}
