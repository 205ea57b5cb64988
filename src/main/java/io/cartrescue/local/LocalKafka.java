package io.cartrescue.local;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.DescribeClusterOptions;
import org.apache.kafka.common.Uuid;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A real single-node Kafka broker (KRaft, broker and controller in one JVM) running as a child
 * process on free loopback ports, for the demo and the integration tests. Its data lives in
 * {@code <workDir>/kafka/data}; a work directory that was used before keeps its topics.
 *
 * <p>{@link #startSecured} starts the broker as a production cluster is usually secured: clients
 * authenticate with SCRAM-SHA-512 over TLS ({@code SASL_SSL}), and KRaft's {@code StandardAuthorizer}
 * denies whatever no ACL allows.
 */
public final class LocalKafka implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(LocalKafka.class);

    static final Duration READY_TIMEOUT = Duration.ofSeconds(120);
    private static final int PORT_ATTEMPTS = 3;
    private static final String NAME = "Kafka broker";

    private final int port;
    private final int controllerPort;
    private final Duration startupTime;
    private final Security security;
    private final Path java;
    private final String classPath;
    private final Path dir;
    private volatile ChildProcess process;

    private LocalKafka(final ChildProcess process, final int port, final int controllerPort,
            final Duration startupTime, final Security security, final Path java, final String classPath,
            final Path dir) {
        this.process = process;
        this.port = port;
        this.controllerPort = controllerPort;
        this.startupTime = startupTime;
        this.security = security;
        this.java = java;
        this.classPath = classPath;
        this.dir = dir;
    }

    /**
     * What a secured broker needs. The key store holds the broker's certificate (for {@code 127.0.0.1}
     * and {@code localhost}, usable for server and client authentication) and its chain; the trust
     * store holds the CA that signed it. The controller listener uses mutual TLS, so the broker's own
     * certificate subject ({@code User:CN=...}) is a super user next to the admin.
     *
     * @param keyStore        PKCS12 key store of the broker
     * @param trustStore      PKCS12 trust store with the CA
     * @param storePassword   password of both stores
     * @param adminUser       SCRAM user that is a super user (inter-broker traffic, administration)
     * @param adminPassword   its password
     * @param certificateUser the principal of the broker certificate, e.g. {@code User:CN=localhost}
     */
    public record Security(Path keyStore, Path trustStore, String storePassword, String adminUser,
            String adminPassword, String certificateUser) {

        static final String MECHANISM = "SCRAM-SHA-512";

        /** Client settings for a SCRAM user over TLS, trusting this broker's CA. */
        public Map<String, Object> clientProperties(final String user, final String password) {
            final Map<String, Object> client = new LinkedHashMap<>();
            client.put("security.protocol", "SASL_SSL");
            client.put("sasl.mechanism", MECHANISM);
            client.put("sasl.jaas.config", jaas(user, password));
            client.put("ssl.truststore.type", "PKCS12");
            client.put("ssl.truststore.location", trustStore.toString());
            client.put("ssl.truststore.password", storePassword);
            return client;
        }

        static String jaas(final String user, final String password) {
            return "org.apache.kafka.common.security.scram.ScramLoginModule required username=\"" + user
                    + "\" password=\"" + password + "\";";
        }

        void apply(final Map<String, String> config, final int port, final int controllerPort) {
            config.put("listeners", "SASL_SSL://" + Ports.HOST + ":" + port + ",CONTROLLER://" + Ports.HOST + ":"
                    + controllerPort);
            config.put("advertised.listeners", "SASL_SSL://" + Ports.HOST + ":" + port);
            config.put("inter.broker.listener.name", "SASL_SSL");
            config.put("listener.security.protocol.map", "SASL_SSL:SASL_SSL,CONTROLLER:SSL");
            config.put("sasl.enabled.mechanisms", MECHANISM);
            config.put("sasl.mechanism.inter.broker.protocol", MECHANISM);
            config.put("listener.name.sasl_ssl." + MECHANISM.toLowerCase(Locale.ROOT) + ".sasl.jaas.config",
                    jaas(adminUser, adminPassword));
            config.put("listener.name.controller.ssl.client.auth", "required");
            config.put("ssl.keystore.type", "PKCS12");
            config.put("ssl.keystore.location", keyStore.toString());
            config.put("ssl.keystore.password", storePassword);
            config.put("ssl.truststore.type", "PKCS12");
            config.put("ssl.truststore.location", trustStore.toString());
            config.put("ssl.truststore.password", storePassword);
            config.put("authorizer.class.name", "org.apache.kafka.metadata.authorizer.StandardAuthorizer");
            config.put("allow.everyone.if.no.acl.found", "false");
            config.put("super.users", "User:" + adminUser + ";" + certificateUser);
        }

        /** The storage tool's argument that creates the admin's SCRAM credential before the first start. */
        List<String> formatArguments() {
            return List.of("--add-scram", MECHANISM + "=[name=" + adminUser + ",password=" + adminPassword + "]");
        }
    }

    /**
     * Formats the storage if needed, starts the broker and waits until it answers
     * {@code describeCluster}.
     *
     * @param workDir directory for the broker's data, configuration and log ({@code kafka/} inside)
     * @throws IOException if the broker does not start; the message ends with the tail of its log
     */
    public static LocalKafka start(final Path workDir, final LocalInfra infra) throws IOException {
        return start(workDir, infra, null);
    }

    /**
     * Like {@link #start(Path, LocalInfra)}, with the single listener for clients on {@code SASL_SSL}
     * (SCRAM-SHA-512), ACLs enforced by {@code StandardAuthorizer} and
     * {@code allow.everyone.if.no.acl.found=false}. Only the admin exists at first: create further
     * SCRAM users and their ACLs with an {@link Admin} built from {@link #adminProperties()}.
     */
    public static LocalKafka startSecured(final Path workDir, final LocalInfra infra, final Security security)
            throws IOException {
        return start(workDir, infra, Objects.requireNonNull(security, "security"));
    }

    private static LocalKafka start(final Path workDir, final LocalInfra infra, final Security security)
            throws IOException {
        final long startNanos = System.nanoTime();
        final Path dir = workDir.toAbsolutePath().resolve("kafka");
        final Path dataDir = dir.resolve("data");
        Files.createDirectories(dataDir);
        final Path java = Path.of(System.getProperty("java.home"), "bin", "java");
        final String classPath = infra.kafkaLibs().resolve("*").toString();

        IOException lastFailure = null;
        for (int attempt = 1; attempt <= PORT_ATTEMPTS; attempt++) {
            final int[] ports = Ports.free(2);
            final Path config = dir.resolve("server.properties");
            Files.writeString(config, serverProperties(ports[0], ports[1], dataDir, security), StandardCharsets.UTF_8);
            if (attempt == 1 && !Files.exists(dataDir.resolve("meta.properties"))) {
                format(java, classPath, config, dir, security == null ? List.of() : security.formatArguments());
            }
            final ChildProcess child = ChildProcess.startJava(NAME, java,
                    jvmArguments(classPath, "-Xmx512m", List.of("kafka.Kafka", config.toString())),
                    dir, dir.resolve("kafka.log"));
            try {
                final Map<String, Object> client = security == null ? Map.of()
                        : security.clientProperties(security.adminUser(), security.adminPassword());
                final Duration took = child.awaitReady(() -> answersDescribeCluster(ports[0], client), READY_TIMEOUT,
                        startNanos);
                LOG.info("{} ready on {} in {} ms (pid {}, log {})", NAME, Ports.HOST + ":" + ports[0],
                        took.toMillis(), child.pid(), child.logFile());
                return new LocalKafka(child, ports[0], ports[1], took, security, java, classPath, dir);
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

    static String serverProperties(final int port, final int controllerPort, final Path dataDir) {
        return serverProperties(port, controllerPort, dataDir, null);
    }

    static String serverProperties(final int port, final int controllerPort, final Path dataDir,
            final Security security) {
        final Map<String, String> config = new LinkedHashMap<>();
        config.put("process.roles", "broker,controller");
        config.put("node.id", "1");
        config.put("controller.quorum.voters", "1@" + Ports.HOST + ":" + controllerPort);
        config.put("listeners", "PLAINTEXT://" + Ports.HOST + ":" + port + ",CONTROLLER://" + Ports.HOST + ":"
                + controllerPort);
        config.put("advertised.listeners", "PLAINTEXT://" + Ports.HOST + ":" + port);
        config.put("controller.listener.names", "CONTROLLER");
        config.put("inter.broker.listener.name", "PLAINTEXT");
        config.put("listener.security.protocol.map", "PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT");
        config.put("log.dirs", dataDir.toString());
        config.put("num.partitions", "1");
        config.put("default.replication.factor", "1");
        config.put("min.insync.replicas", "1");
        config.put("offsets.topic.replication.factor", "1");
        config.put("offsets.topic.num.partitions", "4");
        config.put("transaction.state.log.replication.factor", "1");
        config.put("transaction.state.log.min.isr", "1");
        config.put("transaction.state.log.num.partitions", "4");
        config.put("share.coordinator.state.topic.replication.factor", "1");
        config.put("share.coordinator.state.topic.min.isr", "1");
        config.put("group.initial.rebalance.delay.ms", "0");
        config.put("log.cleaner.dedupe.buffer.size", String.valueOf(16 * 1024 * 1024));
        if (security != null) {
            security.apply(config, port, controllerPort);
        }
        final StringBuilder text = new StringBuilder("# Written by cart-rescue's LocalKafka for a local broker.\n");
        config.forEach((key, value) -> text.append(key).append('=').append(value).append('\n'));
        return text.toString();
    }

    private static void format(final Path java, final String classPath, final Path config, final Path dir,
            final List<String> extraArguments) throws IOException {
        final List<String> tool = new ArrayList<>(List.of("kafka.tools.StorageTool", "format",
                "-t", Uuid.randomUuid().toString(), "-c", config.toString()));
        tool.addAll(extraArguments);
        ChildProcess.startJava("Kafka storage format", java, jvmArguments(classPath, "-Xmx256m", tool), dir,
                dir.resolve("kafka-format.log")).awaitSuccess(Duration.ofSeconds(60));
    }

    private static List<String> jvmArguments(final String classPath, final String heap,
            final List<String> mainAndArguments) {
        final List<String> arguments = new ArrayList<>(List.of(heap,
                "-XX:+ExitOnOutOfMemoryError",
                "-Djava.awt.headless=true",
                // The broker logs through SLF4J, bound here to slf4j-simple, which writes to stderr.
                "-Dorg.slf4j.simpleLogger.defaultLogLevel=warn",
                "-Dorg.slf4j.simpleLogger.showDateTime=true",
                "-Dorg.slf4j.simpleLogger.dateTimeFormat=yyyy-MM-dd'T'HH:mm:ss.SSS",
                // Log4j 2 is on the class path too (the broker's dynamic log-level API talks to it directly).
                "-Dlog4j2.level=WARN",
                "-cp", classPath));
        arguments.addAll(mainAndArguments);
        return arguments;
    }

    private static boolean answersDescribeCluster(final int port, final Map<String, Object> client) {
        if (!Ports.isListening(port)) {
            return false;
        }
        final Map<String, Object> config = new LinkedHashMap<>(client);
        config.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, Ports.HOST + ":" + port);
        config.put(AdminClientConfig.CLIENT_ID_CONFIG, "cart-rescue-local-readiness");
        config.put(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, 5_000);
        config.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, 5_000);
        try (Admin admin = Admin.create(config)) {
            return !admin.describeCluster(new DescribeClusterOptions().timeoutMs(5_000)).nodes()
                    .get(6, TimeUnit.SECONDS).isEmpty();
        } catch (final InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        } catch (final Exception notYet) {
            return false;
        }
    }

    /**
     * Settings for an {@link Admin} or any other client: the bootstrap servers, and for a secured
     * broker the admin's SCRAM login over TLS.
     */
    public Map<String, Object> adminProperties() {
        final Map<String, Object> client = new LinkedHashMap<>();
        client.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers());
        if (security != null) {
            client.putAll(security.clientProperties(security.adminUser(), security.adminPassword()));
        }
        return client;
    }

    /** {@code 127.0.0.1:<port>} of the client listener (PLAINTEXT, or SASL_SSL when secured). */
    public String bootstrapServers() {
        return Ports.HOST + ":" + port;
    }

    /** The broker's client port. */
    public int port() {
        return port;
    }

    /** The KRaft controller's port. */
    public int controllerPort() {
        return controllerPort;
    }

    /** Process id of the broker JVM. */
    public long pid() {
        return process.pid();
    }

    /** The broker's combined stdout and stderr. */
    public Path logFile() {
        return process.logFile();
    }

    /** Time from {@link #start} until the broker answered. */
    public Duration startupTime() {
        return startupTime;
    }

    /** Stops the broker (SIGTERM, then SIGKILL after a grace period) and waits until it is gone. */
    @Override
    public void close() {
        process.close();
    }

    /** Stops the broker, keeping its data and ports, so that {@link #startAgain} can restart it. */
    public synchronized void stop() {
        process.close();
    }

    /**
     * Starts a stopped broker again, on the same ports with the same data, and waits until it answers.
     *
     * @throws IOException if it does not start (a port was taken meanwhile, say)
     */
    public synchronized void startAgain() throws IOException {
        final long startNanos = System.nanoTime();
        final ChildProcess child = ChildProcess.startJava(NAME, java,
                jvmArguments(classPath, "-Xmx512m", List.of("kafka.Kafka", dir.resolve("server.properties").toString())),
                dir, dir.resolve("kafka-restarted.log"));
        try {
            final Map<String, Object> client = security == null ? Map.of()
                    : security.clientProperties(security.adminUser(), security.adminPassword());
            child.awaitReady(() -> answersDescribeCluster(port, client), READY_TIMEOUT, startNanos);
        } catch (final IOException | RuntimeException e) {
            child.close();
            throw e;
        }
        process = child;
        LOG.info("{} restarted on {} (pid {})", NAME, bootstrapServers(), child.pid());
    }

    @Override
    public String toString() {
        return "LocalKafka[" + bootstrapServers() + ", pid " + process.pid() + "]";
    }
}
