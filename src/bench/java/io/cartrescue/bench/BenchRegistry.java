package io.cartrescue.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The two calls of the Confluent Schema Registry API that a serde makes (register a schema under a
 * subject, fetch a schema by id), on a loopback HTTP server, so that the serde benchmark runs the
 * real {@code ConfluentAvroSerde} without a registry process. The client caches both answers, so
 * the measured path makes no request.
 */
public final class BenchRegistry implements AutoCloseable {
    private final ObjectMapper json = new ObjectMapper();
    private final HttpServer server;
    private final Map<String, Integer> ids = new ConcurrentHashMap<>();
    private final Map<Integer, String> schemas = new ConcurrentHashMap<>();

    public BenchRegistry() throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/", this::handle);
        server.start();
    }

    public String url() {
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    private void handle(final HttpExchange exchange) throws IOException {
        try (exchange) {
            final String path = exchange.getRequestURI().getPath();
            if (exchange.getRequestMethod().equals("POST") && path.matches("/subjects/[^/]+/versions")) {
                final String schema = json.readTree(exchange.getRequestBody()).get("schema").asText();
                final int id = ids.computeIfAbsent(schema, s -> ids.size() + 1);
                schemas.put(id, schema);
                respond(exchange, 200, Map.of("id", id));
            } else if (exchange.getRequestMethod().equals("GET") && path.startsWith("/schemas/ids/")) {
                final String schema = schemas.get(Integer.parseInt(path.substring("/schemas/ids/".length())));
                if (schema == null) {
                    respond(exchange, 404, Map.of("error_code", 40403, "message", "Schema not found"));
                } else {
                    respond(exchange, 200, Map.of("schema", schema));
                }
            } else {
                respond(exchange, 404, Map.of("error_code", 404, "message", "not supported here", "paths", List.of()));
            }
        }
    }

    private void respond(final HttpExchange exchange, final int status, final Object body) throws IOException {
        final byte[] bytes = json.writeValueAsString(body).getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().add("Content-Type", "application/vnd.schemaregistry.v1+json");
        exchange.sendResponseHeaders(status, bytes.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(bytes);
        }
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
