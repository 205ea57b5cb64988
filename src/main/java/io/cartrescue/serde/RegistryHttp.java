package io.cartrescue.serde;

import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.security.cert.CertificateException;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import javax.net.ssl.SSLPeerUnverifiedException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Sends one registry request and retries it while the registry is unreachable or answers with a
 * transient status (5xx, 408, 429), with capped exponential backoff, until the retry time is used
 * up. It exists to keep the retry and logging policy in one place: callers only ever see a final
 * answer, a {@link SchemaRegistryUnavailableException}, or a TLS trust failure.
 */
final class RegistryHttp {
    static final String CONTENT_TYPE = "application/vnd.schemaregistry.v1+json";
    private static final String ACCEPT =
            "application/vnd.schemaregistry.v1+json, application/vnd.schemaregistry+json; qs=0.9, application/json; qs=0.5";
    private static final Logger LOG = LoggerFactory.getLogger(SchemaRegistryClient.class);
    private static final long PROGRESS_LOG_INTERVAL_NANOS = TimeUnit.SECONDS.toNanos(10);
    private static final Duration MIN_REQUEST_TIMEOUT = Duration.ofSeconds(1);

    private final SchemaRegistrySettings settings;
    private final List<URI> baseUrls;
    private final HttpClient http;
    private final String authorization;
    private final AtomicInteger preferredUrl = new AtomicInteger();

    /** What one attempt came to: a final answer, or a failure worth retrying. */
    private sealed interface Outcome permits Response, Failure {
    }

    /** A final answer of the registry: a status that is not worth retrying, and the body. */
    record Response(String method, String path, URI baseUrl, int status, String body) implements Outcome {
        boolean isSuccess() {
            return status >= 200 && status < 300;
        }

        String request() {
            return method + ' ' + path;
        }
    }

    private record Failure(String description, Throwable cause) implements Outcome {
    }

    RegistryHttp(final SchemaRegistrySettings settings) {
        this.settings = settings;
        this.baseUrls = settings.baseUrls();
        this.http = HttpClient.newBuilder()
                .version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(settings.connectTimeout())
                .followRedirects(HttpClient.Redirect.NEVER)
                .sslContext(RegistryTls.sslContext(settings))
                .build();
        this.authorization = settings.userInfo()
                .map(credentials -> "Basic " + Base64.getEncoder()
                        .encodeToString(credentials.getBytes(StandardCharsets.UTF_8)))
                .orElse(null);
    }

    /**
     * Sends {@code method path} with an optional JSON body, retrying transient failures.
     *
     * @throws SchemaRegistryUnavailableException when the retry time is used up, or the thread is interrupted
     * @throws SchemaRegistryException            when the registry's TLS certificate is not trusted
     */
    Response send(final String method, final String path, final String jsonBody) {
        final long started = System.nanoTime();
        final long deadline = started + settings.retryTimeout().toNanos();
        long backoffNanos = settings.initialBackoff().toNanos();
        long nextWarning = started;
        int attempts = 0;
        while (true) {
            attempts++;
            final int index = Math.floorMod(preferredUrl.get(), baseUrls.size());
            final URI baseUrl = baseUrls.get(index);
            final Outcome outcome = attempt(method, baseUrl, path, jsonBody, deadline);
            if (outcome instanceof Response response) {
                if (attempts > 1) {
                    LOG.info("Schema registry at {} answered {} {} after {} attempts", baseUrl, method, path, attempts);
                }
                return response;
            }
            final Failure failure = (Failure) outcome;
            preferredUrl.compareAndSet(index, index + 1);
            final long now = System.nanoTime();
            if (now - deadline >= 0) {
                throw new SchemaRegistryUnavailableException(String.format(
                        "Schema registry unavailable: %s %s failed %d time(s) over %.1f s at %s; last failure: %s",
                        method, path, attempts, (now - started) / 1e9, baseUrls, failure.description()),
                        attempts, Duration.ofNanos(now - started), failure.cause());
            }
            if (now - nextWarning >= 0) {
                LOG.warn("Schema registry unavailable for {} {} at {} ({}); attempt {}, retrying for up to {} s in all",
                        method, path, baseUrl, failure.description(), attempts, settings.retryTimeout().toMillis() / 1000.0);
                nextWarning = now + PROGRESS_LOG_INTERVAL_NANOS;
            } else {
                LOG.debug("Schema registry attempt {} for {} {} at {} failed: {}",
                        attempts, method, path, baseUrl, failure.description());
            }
            pause(Math.min(withJitter(backoffNanos), deadline - now), method, path, attempts, started);
            backoffNanos = Math.min(backoffNanos * 2, settings.maxBackoff().toNanos());
        }
    }

    private Outcome attempt(final String method, final URI baseUrl, final String path, final String jsonBody,
                           final long deadline) {
        final HttpRequest request = request(method, baseUrl, path, jsonBody, deadline);
        try {
            final HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
            final int status = response.statusCode();
            if (isTransient(status)) {
                return new Failure("HTTP " + status + summary(response.body()), null);
            }
            return new Response(method, path, baseUrl, status, response.body());
        } catch (final HttpTimeoutException e) {
            return new Failure("timed out: " + e.getMessage(), e);
        } catch (final ConnectException e) {
            return new Failure("cannot connect" + (e.getMessage() == null ? "" : ": " + e.getMessage()), e);
        } catch (final IOException e) {
            if (isTrustFailure(e)) {
                throw new SchemaRegistryException("The schema registry's TLS certificate at " + baseUrl
                        + " is not trusted (set schema.registry.ssl.truststore.location to a trust store with its CA): "
                        + e.getMessage(), SchemaRegistryException.NO_HTTP_STATUS, SchemaRegistryException.NO_ERROR_CODE,
                        null, null, e);
            }
            return new Failure(e.getClass().getSimpleName() + (e.getMessage() == null ? "" : ": " + e.getMessage()), e);
        } catch (final InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new SchemaRegistryUnavailableException("Interrupted while calling the schema registry: "
                    + method + ' ' + path, 1, Duration.ZERO, e);
        }
    }

    private HttpRequest request(final String method, final URI baseUrl, final String path, final String jsonBody,
                                final long deadline) {
        final Duration remaining = Duration.ofNanos(Math.max(0, deadline - System.nanoTime()));
        final Duration configured = settings.requestTimeout();
        final Duration floor = configured.compareTo(MIN_REQUEST_TIMEOUT) < 0 ? configured : MIN_REQUEST_TIMEOUT;
        Duration timeout = configured;
        if (remaining.compareTo(configured) < 0) {
            timeout = remaining.compareTo(floor) < 0 ? floor : remaining;
        }
        final HttpRequest.Builder builder = HttpRequest.newBuilder(URI.create(baseUrl + path))
                .timeout(timeout)
                .header("Accept", ACCEPT);
        if (jsonBody == null) {
            builder.method(method, HttpRequest.BodyPublishers.noBody());
        } else {
            builder.header("Content-Type", CONTENT_TYPE)
                    .method(method, HttpRequest.BodyPublishers.ofString(jsonBody, StandardCharsets.UTF_8));
        }
        if (authorization != null) {
            builder.header("Authorization", authorization);
        }
        return builder.build();
    }

    private static boolean isTransient(final int status) {
        return status >= 500 || status == 408 || status == 429;
    }

    private static boolean isTrustFailure(final IOException e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof CertificateException || t instanceof SSLPeerUnverifiedException) {
                return true;
            }
        }
        return false;
    }

    private static String summary(final String body) {
        if (body == null || body.isBlank()) {
            return "";
        }
        final String flat = body.replaceAll("\\s+", " ").trim();
        return ": " + (flat.length() > 200 ? flat.substring(0, 200) + "..." : flat);
    }

    private static long withJitter(final long backoffNanos) {
        return backoffNanos / 2 + ThreadLocalRandom.current().nextLong(backoffNanos / 2 + 1);
    }

    private static void pause(final long nanos, final String method, final String path, final int attempts,
                              final long started) {
        if (nanos <= 0) {
            return;
        }
        try {
            TimeUnit.NANOSECONDS.sleep(nanos);
        } catch (final InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new SchemaRegistryUnavailableException("Interrupted while waiting to retry the schema registry: "
                    + method + ' ' + path, attempts, Duration.ofNanos(System.nanoTime() - started), e);
        }
    }
}
