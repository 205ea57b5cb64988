package io.cartrescue.local;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Objects;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A real Confluent-compatible schema registry (Apicurio Registry 3, its {@code ccompat} API) running
 * as a child process on free loopback ports, for the demo and the integration tests. It runs on a
 * Java 21+ runtime found by {@link JavaRuntimes}, and its default compatibility is BACKWARD, as in
 * Confluent Schema Registry.
 *
 * <p>{@link #startSecured} starts it as a registry in production is usually run: HTTPS only, and
 * every request authenticated with HTTP basic credentials (the registry's own basic authentication
 * with a user defined in its configuration, no OIDC server involved).
 */
public final class LocalRegistry implements AutoCloseable {

    /** Where the registry keeps its schemas. */
    public enum Storage {
        /** In memory: fastest, ids start again from 1 after a restart. Right for tests. */
        IN_MEMORY,
        /** An H2 database file in {@code <workDir>/registry/data}: schema ids survive a restart. */
        H2_FILE
    }

    /** The Confluent-compatible API's path on an Apicurio Registry server. */
    public static final String CCOMPAT_PATH = "/apis/ccompat/v7";

    private static final Logger LOG = LoggerFactory.getLogger(LocalRegistry.class);

    static final int MIN_JAVA = 21;
    static final Duration READY_TIMEOUT = Duration.ofSeconds(180);
    private static final int PORT_ATTEMPTS = 3;
    private static final String NAME = "Schema registry";

    private final int port;
    private final int managementPort;
    private final Duration startupTime;
    private final String scheme;
    private final Path java;
    private final List<String> arguments;
    private final Path dir;
    private final Security security;
    private volatile ChildProcess process;

    private LocalRegistry(final ChildProcess process, final int port, final int managementPort,
            final Duration startupTime, final String scheme, final Path java, final List<String> arguments,
            final Path dir, final Security security) {
        this.process = process;
        this.port = port;
        this.managementPort = managementPort;
        this.startupTime = startupTime;
        this.scheme = scheme;
        this.java = java;
        this.arguments = List.copyOf(arguments);
        this.dir = dir;
        this.security = security;
    }

    /**
     * What a secured registry needs.
     *
     * @param keyStore      PKCS12 key store with the server certificate (for {@code 127.0.0.1}) and its chain
     * @param trustStore    PKCS12 trust store with the CA that signed it (for the readiness check)
     * @param storePassword password of both stores
     * @param user          the one user, with the registry's developer role (may read and register schemas)
     * @param password      its password
     */
    public record Security(Path keyStore, Path trustStore, String storePassword, String user, String password) {

        List<String> jvmArguments(final int httpsPort) {
            return List.of(
                    "-Dquarkus.http.ssl-port=" + httpsPort,
                    "-Dquarkus.http.insecure-requests=disabled",
                    "-Dquarkus.http.ssl.certificate.key-store-file=" + keyStore,
                    "-Dquarkus.http.ssl.certificate.key-store-file-type=PKCS12",
                    "-Dquarkus.http.ssl.certificate.key-store-password=" + storePassword,
                    "-Dquarkus.oidc.tenant-enabled=false",
                    "-Dquarkus.http.auth.basic=true",
                    "-Dquarkus.security.users.embedded.enabled=true",
                    "-Dquarkus.security.users.embedded.plain-text=true",
                    "-Dquarkus.security.users.embedded.users." + user + "=" + password,
                    "-Dquarkus.security.users.embedded.roles." + user + "=sr-developer",
                    "-Dapicurio.auth.role-based-authorization=true");
        }

        HttpClient httpClient() throws IOException {
            try (InputStream in = Files.newInputStream(trustStore)) {
                final KeyStore store = KeyStore.getInstance("PKCS12");
                store.load(in, storePassword.toCharArray());
                final TrustManagerFactory trust = TrustManagerFactory.getInstance(
                        TrustManagerFactory.getDefaultAlgorithm());
                trust.init(store);
                final SSLContext tls = SSLContext.getInstance("TLS");
                tls.init(null, trust.getTrustManagers(), null);
                return HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).sslContext(tls).build();
            } catch (final GeneralSecurityException e) {
                throw new IOException("Cannot read the trust store " + trustStore, e);
            }
        }

        String authorization() {
            return "Basic " + Base64.getEncoder().encodeToString((user + ":" + password)
                    .getBytes(StandardCharsets.UTF_8));
        }
    }

    /** Starts an in-memory registry; see {@link #start(Path, LocalInfra, Storage)}. */
    public static LocalRegistry start(final Path workDir, final LocalInfra infra) throws IOException {
        return start(workDir, infra, Storage.IN_MEMORY);
    }

    /**
     * Starts the registry and waits until {@code GET <url>/subjects} answers 200.
     *
     * @param workDir directory for the registry's log and, with {@link Storage#H2_FILE}, its database
     *     ({@code registry/} inside)
     * @throws IOException if it does not start; the message ends with the tail of its log
     * @throws IllegalStateException if no Java 21+ runtime is installed
     */
    public static LocalRegistry start(final Path workDir, final LocalInfra infra, final Storage storage)
            throws IOException {
        return start(workDir, infra, storage, null);
    }

    /**
     * Starts an in-memory registry that serves HTTPS only (its plain HTTP port stays closed) and
     * answers 401 to every request without the user's basic credentials.
     */
    public static LocalRegistry startSecured(final Path workDir, final LocalInfra infra, final Security security)
            throws IOException {
        return start(workDir, infra, Storage.IN_MEMORY, Objects.requireNonNull(security, "security"));
    }

    private static LocalRegistry start(final Path workDir, final LocalInfra infra, final Storage storage,
            final Security security) throws IOException {
        final long startNanos = System.nanoTime();
        final Path java = JavaRuntimes.findJava(MIN_JAVA);
        final Path dir = workDir.toAbsolutePath().resolve("registry");
        Files.createDirectories(dir);
        final HttpClient http = security == null
                ? HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build() : security.httpClient();
        final String scheme = security == null ? "http" : "https";
        final String authorization = security == null ? null : security.authorization();

        IOException lastFailure = null;
        for (int attempt = 1; attempt <= PORT_ATTEMPTS; attempt++) {
            final int[] ports = Ports.free(security == null ? 2 : 3);
            final List<String> arguments = jvmArguments(infra, dir, storage, ports[0], ports[1]);
            final int apiPort = security == null ? ports[0] : ports[2];
            if (security != null) {
                arguments.addAll(arguments.size() - 2, security.jvmArguments(apiPort));
            }
            final ChildProcess child = ChildProcess.startJava(NAME, java, arguments, dir, dir.resolve("registry.log"));
            final URI subjects = URI.create(url(scheme, apiPort) + "/subjects");
            try {
                final Duration took = child.awaitReady(() -> answersOk(http, subjects, authorization), READY_TIMEOUT,
                        startNanos);
                LOG.info("{} ready at {} in {} ms (pid {}, java {}, storage {}, log {})", NAME, url(scheme, apiPort),
                        took.toMillis(), child.pid(), java, storage, child.logFile());
                return new LocalRegistry(child, apiPort, ports[1], took, scheme, java, arguments, dir, security);
            } catch (final IOException | RuntimeException e) {
                final boolean retry = child.portConflict() && attempt < PORT_ATTEMPTS;
                child.close();
                if (!retry) {
                    throw e;
                }
                LOG.warn("{} could not bind its ports {}, trying others", NAME, ports);
                lastFailure = e instanceof IOException ? (IOException) e : new IOException(e);
            }
        }
        throw lastFailure;
    }

    static List<String> jvmArguments(final LocalInfra infra, final Path dir, final Storage storage,
            final int port, final int managementPort) {
        final List<String> arguments = new ArrayList<>(List.of(
                "-Xmx256m",
                "-XX:+ExitOnOutOfMemoryError",
                "-Djava.awt.headless=true",
                "-Dquarkus.http.host=" + Ports.HOST,
                "-Dquarkus.http.port=" + port,
                "-Dquarkus.management.host=" + Ports.HOST,
                "-Dquarkus.management.port=" + managementPort,
                "-Dquarkus.http.access-log.enabled=false",
                "-Dquarkus.log.level=WARN",
                "-Dquarkus.log.category.\"io.apicurio\".level=WARN",
                // The distribution's own pattern prints dates as "2026-11+00-22".
                "-Dquarkus.log.console.format=%d{yyyy-MM-dd'T'HH:mm:ss.SSS} %p [%c] (%t) %m%n",
                "-Dapicurio.rules.global.compatibility=BACKWARD",
                "-Dapicurio.storage.snapshot.location=" + dir,
                "-Dapicurio.import.work-dir=" + dir,
                "-Dapicurio.datasource.jdbc.initial-size=2",
                "-Dapicurio.datasource.jdbc.min-size=2",
                "-Dapicurio.datasource.jdbc.max-size=20"));
        if (storage == Storage.H2_FILE) {
            arguments.add("-Dapicurio.datasource.url=jdbc:h2:file:" + dir.resolve("data").resolve("registry"));
        }
        arguments.add("-jar");
        arguments.add(infra.registryHome().resolve(LocalInfra.REGISTRY_LAUNCHER).toString());
        return arguments;
    }

    private static boolean answersOk(final HttpClient http, final URI uri, final String authorization) {
        if (!Ports.isListening(uri.getPort())) {
            return false;
        }
        final HttpRequest.Builder builder = HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(5)).GET();
        if (authorization != null) {
            builder.header("Authorization", authorization);
        }
        final HttpRequest request = builder.build();
        try {
            return http.send(request, HttpResponse.BodyHandlers.discarding()).statusCode() == 200;
        } catch (final InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        } catch (final IOException notYet) {
            return false;
        }
    }

    private static String url(final String scheme, final int port) {
        return scheme + "://" + Ports.HOST + ":" + port + CCOMPAT_PATH;
    }

    /**
     * Base URL of the Confluent-compatible API: {@code http://127.0.0.1:PORT/apis/ccompat/v7}
     * ({@code https://} when secured).
     */
    public String url() {
        return url(scheme, port);
    }

    /** The port of the API and the web console (HTTP, or HTTPS when secured). */
    public int port() {
        return port;
    }

    /** The management port (health checks and metrics), also bound to 127.0.0.1 only. */
    public int managementPort() {
        return managementPort;
    }

    /** Process id of the registry JVM. */
    public long pid() {
        return process.pid();
    }

    /** The registry's combined stdout and stderr. */
    public Path logFile() {
        return process.logFile();
    }

    /** Time from {@link #start} until the registry answered. */
    public Duration startupTime() {
        return startupTime;
    }

    /** Stops the registry (SIGTERM, then SIGKILL after a grace period) and waits until it is gone. */
    /**
     * Stops the registry, keeping its ports (and, with {@link Storage#H2_FILE}, its schemas), so that
     * {@link #startAgain} can restart it: an outage as clients see it.
     */
    public synchronized void stop() {
        process.close();
    }

    /** Starts a stopped registry again on the same ports and waits until it answers. */
    public synchronized void startAgain() throws IOException {
        final long startNanos = System.nanoTime();
        final ChildProcess child = ChildProcess.startJava(NAME, java, arguments, dir, dir.resolve("registry-restarted.log"));
        final HttpClient http = security == null
                ? HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build() : security.httpClient();
        final String authorization = security == null ? null : security.authorization();
        try {
            child.awaitReady(() -> answersOk(http, URI.create(url() + "/subjects"), authorization), READY_TIMEOUT,
                    startNanos);
        } catch (final IOException | RuntimeException e) {
            child.close();
            throw e;
        }
        process = child;
        LOG.info("{} restarted at {} (pid {})", NAME, url(), child.pid());
    }

    @Override
    public void close() {
        process.close();
    }

    @Override
    public String toString() {
        return "LocalRegistry[" + url() + ", pid " + process.pid() + "]";
    }
}
