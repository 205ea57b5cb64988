package io.cartrescue.http;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.kafka.streams.state.HostInfo;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one HTTP port of an instance (health, metrics, session look-ups), on the JDK's own HTTP
 * server: four GET endpoints for probes, a scraper and the odd look-up need no framework, and the
 * JDK's server adds no dependency to the application's class path. The port is bound when the
 * server is created, so that its real number (for port 0) is known before Kafka Streams is
 * configured with it as {@code application.server}; requests are served once {@link #start} is
 * called, by a small pool of daemon threads, so that a slow forwarded look-up never blocks a probe.
 */
public final class AppServer implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(AppServer.class);
    private static final int THREADS = 4;
    private static final int BACKLOG = 64;

    private final HttpServer server;
    private final HttpSettings settings;
    private ExecutorService executor;

    private AppServer(final HttpServer server, final HttpSettings settings) {
        this.server = server;
        this.settings = settings;
    }

    /** Binds the port; nothing is served until {@link #start}. */
    public static AppServer bind(final HttpSettings settings) {
        try {
            return new AppServer(HttpServer.create(new InetSocketAddress(settings.host(), settings.port()), BACKLOG), settings);
        } catch (final IOException e) {
            throw new UncheckedIOException("cannot listen on " + settings.host() + ":" + settings.port()
                    + " (cart-rescue.http.host, cart-rescue.http.port): " + e.getMessage(), e);
        }
    }

    /** The port bound (the real one when 0 was asked for). */
    public int port() {
        return server.getAddress().getPort();
    }

    /**
     * How other instances reach this one, for {@code application.server}: the configured host and the
     * bound port; when bound to every interface, the host's own name.
     */
    public HostInfo advertised() {
        return new HostInfo(advertisedHost(), port());
    }

    private String advertisedHost() {
        final InetAddress bound = server.getAddress().getAddress();
        if (!bound.isAnyLocalAddress()) {
            return settings.host();
        }
        try {
            return InetAddress.getLocalHost().getCanonicalHostName();
        } catch (final UnknownHostException e) {
            throw new IllegalStateException("cart-rescue.http.host is " + settings.host() + " and this host's name "
                    + "cannot be resolved: set application.server (KAFKA_APPLICATION_SERVER) to host:port "
                    + "under which other instances reach this one", e);
        }
    }

    /** Starts answering with {@code routes}. */
    public void start(final Routes routes) {
        final AtomicInteger count = new AtomicInteger();
        executor = Executors.newFixedThreadPool(THREADS, task -> {
            final Thread thread = new Thread(task, "cart-rescue-http-" + count.incrementAndGet());
            thread.setDaemon(true);
            return thread;
        });
        server.setExecutor(executor);
        server.createContext("/", exchange -> handle(exchange, routes));
        server.start();
        LOG.info("HTTP endpoint listening on {}:{} (health, metrics, sessions)", settings.host(), port());
    }

    private static void handle(final HttpExchange exchange, final Routes routes) {
        try (exchange) {
            final boolean forwarded = exchange.getRequestHeaders().containsKey(SessionLookup.FORWARDED_HEADER);
            final Reply reply = answer(routes, exchange.getRequestMethod(), exchange.getRequestURI().getPath(), forwarded);
            final byte[] body = reply.bytes();
            exchange.getResponseHeaders().set("Content-Type", reply.contentType());
            exchange.getResponseHeaders().set("Cache-Control", "no-store");
            if (reply.status() == 405) {
                exchange.getResponseHeaders().set("Allow", "GET");
            }
            exchange.sendResponseHeaders(reply.status(), body.length == 0 ? -1 : body.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(body);
            }
        } catch (final IOException e) {
            LOG.debug("could not answer an HTTP request: {}", e.toString());
        }
    }

    private static Reply answer(final Routes routes, final String method, final String path, final boolean forwarded) {
        try {
            return routes.answer(method, path == null ? "" : path, forwarded);
        } catch (final RuntimeException e) {
            LOG.warn("HTTP request {} failed", method, e);
            return Reply.error(500, "internal error");
        }
    }

    /** Stops listening at once; requests in flight are cut. */
    @Override
    public void close() {
        server.stop(0);
        if (executor != null) {
            executor.shutdownNow();
        }
    }
}
