package io.cartrescue.local;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Collection;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.errors.TopicExistsException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A real Kafka broker and a real Confluent-compatible schema registry, both started as child
 * processes of this JVM, in parallel to save time. It is what the demo and the integration tests run
 * against, so that they exercise the same wire protocol and REST API as production.
 */
public final class LocalStack implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(LocalStack.class);
    private static final Duration ADMIN_TIMEOUT = Duration.ofSeconds(60);

    private final LocalKafka kafka;
    private final LocalRegistry registry;

    private LocalStack(final LocalKafka kafka, final LocalRegistry registry) {
        this.kafka = kafka;
        this.registry = registry;
    }

    /** Starts a broker and an in-memory registry; see {@link #start(Path, LocalRegistry.Storage)}. */
    public static LocalStack start(final Path workDir) throws IOException {
        return start(workDir, LocalRegistry.Storage.IN_MEMORY);
    }

    /**
     * Starts the broker and the registry in parallel and returns once both answer.
     *
     * @param workDir where both keep their data, configuration and logs
     * @throws IOException if either does not start (the other one is stopped again)
     */
    public static LocalStack start(final Path workDir, final LocalRegistry.Storage storage) throws IOException {
        final long startNanos = System.nanoTime();
        final LocalInfra infra = LocalInfra.locate();
        final ExecutorService executor = Executors.newSingleThreadExecutor(runnable -> {
            final Thread thread = new Thread(runnable, "cart-rescue-registry-start");
            thread.setDaemon(true);
            return thread;
        });
        try {
            final CompletableFuture<LocalRegistry> registry = CompletableFuture.supplyAsync(() -> {
                try {
                    return LocalRegistry.start(workDir, infra, storage);
                } catch (final IOException e) {
                    throw new CompletionException(e);
                }
            }, executor);
            final LocalKafka kafka;
            try {
                kafka = LocalKafka.start(workDir, infra);
            } catch (final IOException | RuntimeException e) {
                try {
                    registry.join().close();
                } catch (final CompletionException registryFailed) {
                    e.addSuppressed(registryFailed.getCause());
                }
                throw e;
            }
            try {
                final LocalStack stack = new LocalStack(kafka, registry.join());
                LOG.info("Local stack ready in {} ms (broker {} ms, registry {} ms)",
                        Duration.ofNanos(System.nanoTime() - startNanos).toMillis(),
                        kafka.startupTime().toMillis(), stack.registry.startupTime().toMillis());
                return stack;
            } catch (final CompletionException e) {
                kafka.close();
                if (e.getCause() instanceof IOException) {
                    throw (IOException) e.getCause();
                }
                throw e;
            }
        } finally {
            executor.shutdown();
        }
    }

    /** {@code 127.0.0.1:<port>} of the broker. */
    public String bootstrapServers() {
        return kafka.bootstrapServers();
    }

    /** Base URL of the registry's Confluent-compatible API. */
    public String registryUrl() {
        return registry.url();
    }

    /** The broker. */
    public LocalKafka kafka() {
        return kafka;
    }

    /** The schema registry. */
    public LocalRegistry registry() {
        return registry;
    }

    /**
     * Creates the topics and waits until the broker has created them. Topics that already exist are
     * left as they are, so calling this again with the same topics is harmless.
     *
     * @throws IllegalStateException if the broker refuses or does not answer in time
     */
    public void createTopics(final Collection<NewTopic> topics) {
        try (Admin admin = Admin.create(Map.<String, Object>of(
                AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers(),
                AdminClientConfig.CLIENT_ID_CONFIG, "cart-rescue-local-stack"))) {
            final long deadline = System.nanoTime() + ADMIN_TIMEOUT.toNanos();
            for (final var created : admin.createTopics(topics).values().entrySet()) {
                try {
                    created.getValue().get(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
                } catch (final ExecutionException e) {
                    if (!(e.getCause() instanceof TopicExistsException)) {
                        throw new IllegalStateException("Could not create topic " + created.getKey(), e.getCause());
                    }
                } catch (final TimeoutException e) {
                    throw new IllegalStateException("Topic " + created.getKey() + " was not created within "
                            + ADMIN_TIMEOUT.toSeconds() + " s", e);
                } catch (final InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new IllegalStateException("Interrupted while creating topic " + created.getKey(), e);
                }
            }
        }
    }

    /** Stops the registry and the broker in parallel and waits until both are gone. */
    @Override
    public void close() {
        final CompletableFuture<Void> registryStopped = CompletableFuture.runAsync(registry::close);
        try {
            kafka.close();
        } finally {
            registryStopped.join();
        }
    }

    @Override
    public String toString() {
        return "LocalStack[" + kafka + ", " + registry + "]";
    }
}
