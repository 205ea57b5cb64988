package io.cartrescue.serde;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.net.ssl.SSLContext;
import org.apache.avro.Schema;
import org.apache.avro.SchemaCompatibility;

/**
 * A small in-memory implementation of the Confluent Schema Registry API on a real loopback
 * {@link HttpServer}, for tests that need real HTTP without a registry process: global ids by
 * schema, versions per subject, compatibility levels (NONE and BACKWARD enforced), the Confluent
 * error codes, scripted transient failures, optional basic auth and a record of every request.
 */
final class FakeSchemaRegistry implements AutoCloseable {
    private static final Pattern SUBJECT_VERSIONS = Pattern.compile("/subjects/([^/]+)/versions");
    private static final Pattern SUBJECT = Pattern.compile("/subjects/([^/]+)");
    private static final Pattern LATEST = Pattern.compile("/subjects/([^/]+)/versions/latest");
    private static final Pattern BY_ID = Pattern.compile("/schemas/ids/(-?\\d+)");
    private static final Pattern CONFIG = Pattern.compile("/config/([^/]+)");
    private static final Pattern COMPATIBILITY = Pattern.compile("/compatibility/subjects/([^/]+)/versions/latest");

    /** One request as the server saw it. */
    record Request(String method, String path, String query, Map<String, String> headers, String body) {
    }

    private final ObjectMapper json = new ObjectMapper();
    private final HttpServer server;
    private final String basePath;
    private final List<Request> requests = new CopyOnWriteArrayList<>();
    private final Deque<Integer> scriptedStatuses = new ArrayDeque<>();
    private final Map<String, Integer> idsBySchema = new HashMap<>();
    private final Map<Integer, String> schemasById = new HashMap<>();
    private final Map<String, List<Integer>> versionsBySubject = new LinkedHashMap<>();
    private final Map<String, String> compatibilityBySubject = new HashMap<>();
    private int nextId;
    private String globalCompatibility = "NONE";
    private String requiredAuthorization;
    private int failuresForever;

    private FakeSchemaRegistry(final HttpServer server, final String basePath, final int firstId) {
        this.server = server;
        this.basePath = basePath;
        this.nextId = firstId;
        server.createContext(basePath.isEmpty() ? "/" : basePath, this::handle);
        server.start();
    }

    /** A registry serving the API under {@code basePath} (empty for the root), handing out ids from 1. */
    static FakeSchemaRegistry start(final String basePath) throws IOException {
        return start(basePath, 1);
    }

    /** A registry serving the API under {@code basePath}, handing out ids from {@code firstId}. */
    static FakeSchemaRegistry start(final String basePath, final int firstId) throws IOException {
        return new FakeSchemaRegistry(HttpServer.create(loopback(), 0), basePath, firstId);
    }

    /** A registry serving the API over TLS with the key and certificate of {@code tls}. */
    static FakeSchemaRegistry startTls(final String basePath, final SSLContext tls) throws IOException {
        final HttpsServer server = HttpsServer.create(loopback(), 0);
        server.setHttpsConfigurator(new HttpsConfigurator(tls));
        return new FakeSchemaRegistry(server, basePath, 1);
    }

    /** The base URL, including the base path. */
    String url() {
        final String scheme = server instanceof HttpsServer ? "https" : "http";
        return scheme + "://127.0.0.1:" + server.getAddress().getPort() + basePath;
    }

    private static InetSocketAddress loopback() {
        return new InetSocketAddress(InetAddress.getLoopbackAddress(), 0);
    }

    /** The requests seen so far. */
    List<Request> requests() {
        return List.copyOf(requests);
    }

    /** Answers the next requests with these statuses (and an error body) instead of serving them. */
    synchronized void failNext(final Integer... statuses) {
        scriptedStatuses.addAll(List.of(statuses));
    }

    /** Answers every request from now on with {@code status}. */
    synchronized void failEverything(final int status) {
        failuresForever = status;
    }

    /** Refuses requests without this exact basic authorization. */
    synchronized void requireBasicAuth(final String user, final String password) {
        requiredAuthorization = "Basic " + java.util.Base64.getEncoder()
                .encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8));
    }

    /** Sets the level that applies to subjects without one of their own. */
    synchronized void setGlobalCompatibility(final String level) {
        globalCompatibility = level;
    }

    /** Registers a schema directly, as another producer or an operator would have. */
    synchronized int register(final String subject, final Schema schema) {
        final int id = idsBySchema.computeIfAbsent(schema.toString(), text -> {
            schemasById.put(nextId, text);
            return nextId++;
        });
        final List<Integer> versions = versionsBySubject.computeIfAbsent(subject, s -> new ArrayList<>());
        if (!versions.contains(id)) {
            versions.add(id);
        }
        return id;
    }

    /** Stores a schema text under an id without any subject, e.g. a schema of another type. */
    synchronized void putRaw(final int id, final String schemaText) {
        schemasById.put(id, schemaText);
    }

    @Override
    public void close() {
        server.stop(0);
    }

    private void handle(final HttpExchange exchange) throws IOException {
        try (exchange) {
            final String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
            final String path = exchange.getRequestURI().getRawPath().substring(basePath.length());
            final Map<String, String> headers = new HashMap<>();
            exchange.getRequestHeaders().forEach((name, values) -> headers.put(name.toLowerCase(), values.get(0)));
            requests.add(new Request(exchange.getRequestMethod(), path, exchange.getRequestURI().getRawQuery(), headers, body));
            final Answer answer = answer(exchange.getRequestMethod(), path, headers.get("authorization"), body);
            final byte[] bytes = answer.body().getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().add("Content-Type", RegistryHttp.CONTENT_TYPE);
            exchange.sendResponseHeaders(answer.status(), bytes.length == 0 ? -1 : bytes.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(bytes);
            }
        }
    }

    private record Answer(int status, String body) {
    }

    private synchronized Answer answer(final String method, final String path, final String authorization,
                                       final String body) throws IOException {
        if (failuresForever != 0) {
            return error(failuresForever, 50001, "Scripted failure");
        }
        if (!scriptedStatuses.isEmpty()) {
            final int status = scriptedStatuses.poll();
            return error(status, status * 100 + 1, "Scripted failure");
        }
        if (requiredAuthorization != null && !requiredAuthorization.equals(authorization)) {
            return error(401, 401, "Unauthorized");
        }
        Matcher m;
        if (method.equals("POST") && (m = SUBJECT_VERSIONS.matcher(path)).matches()) {
            return registerVersion(m.group(1), parse(body));
        }
        if (method.equals("POST") && (m = SUBJECT.matcher(path)).matches()) {
            return lookUp(m.group(1), parse(body));
        }
        if (method.equals("GET") && (m = LATEST.matcher(path)).matches()) {
            return latest(m.group(1));
        }
        if (method.equals("GET") && (m = BY_ID.matcher(path)).matches()) {
            final String text = schemasById.get(Integer.parseInt(m.group(1)));
            return text == null ? error(404, 40403, "Schema " + m.group(1) + " not found")
                    : ok(json.createObjectNode().put("schema", text));
        }
        if (method.equals("GET") && path.equals("/config")) {
            return ok(json.createObjectNode().put("compatibilityLevel", globalCompatibility));
        }
        if (method.equals("GET") && (m = CONFIG.matcher(path)).matches()) {
            if (!compatibilityBySubject.containsKey(m.group(1)) && !versionsBySubject.containsKey(m.group(1))) {
                return error(404, 40401, "Subject '" + m.group(1) + "' not found.");
            }
            return ok(json.createObjectNode().put("compatibilityLevel", compatibility(m.group(1))));
        }
        if (method.equals("PUT") && (m = CONFIG.matcher(path)).matches()) {
            final String level = json.readTree(body).path("compatibility").asText();
            compatibilityBySubject.put(m.group(1), level);
            return ok(json.createObjectNode().put("compatibility", level));
        }
        if (method.equals("POST") && (m = COMPATIBILITY.matcher(path)).matches()) {
            final List<Integer> versions = versionsBySubject.get(m.group(1));
            if (versions == null) {
                return error(404, 40401, "Subject '" + m.group(1) + "' not found.");
            }
            return ok(json.createObjectNode().put("is_compatible", compatible(m.group(1), parse(body))));
        }
        return new Answer(404, "");
    }

    private Answer registerVersion(final String subject, final Schema schema) {
        final List<Integer> versions = versionsBySubject.get(subject);
        final Integer existing = idsBySchema.get(schema.toString());
        if (existing != null && versions != null && versions.contains(existing)) {
            return ok(json.createObjectNode().put("id", existing));
        }
        if (!compatible(subject, schema)) {
            return error(409, 409, "Schema being registered is incompatible with an earlier schema for subject \""
                    + subject + "\"");
        }
        return ok(json.createObjectNode().put("id", register(subject, schema)));
    }

    private Answer lookUp(final String subject, final Schema schema) {
        final List<Integer> versions = versionsBySubject.get(subject);
        if (versions == null) {
            return error(404, 40401, "Subject '" + subject + "' not found.");
        }
        final Integer id = idsBySchema.get(schema.toString());
        if (id == null || !versions.contains(id)) {
            return error(404, 40403, "Schema not found");
        }
        return ok(version(subject, versions.indexOf(id) + 1, id));
    }

    private Answer latest(final String subject) {
        final List<Integer> versions = versionsBySubject.get(subject);
        if (versions == null) {
            return error(404, 40401, "Subject '" + subject + "' not found.");
        }
        return ok(version(subject, versions.size(), versions.get(versions.size() - 1)));
    }

    private ObjectNode version(final String subject, final int version, final int id) {
        return json.createObjectNode().put("subject", subject).put("version", version).put("id", id)
                .put("schema", schemasById.get(id));
    }

    private boolean compatible(final String subject, final Schema candidate) {
        final List<Integer> versions = versionsBySubject.get(subject);
        if (versions == null || versions.isEmpty() || !compatibility(subject).startsWith("BACKWARD")) {
            return true;
        }
        final Schema latest = new Schema.Parser().parse(schemasById.get(versions.get(versions.size() - 1)));
        return SchemaCompatibility.checkReaderWriterCompatibility(candidate, latest).getType()
                == SchemaCompatibility.SchemaCompatibilityType.COMPATIBLE;
    }

    private String compatibility(final String subject) {
        return compatibilityBySubject.getOrDefault(subject, globalCompatibility);
    }

    private Schema parse(final String body) throws IOException {
        final JsonNode request = json.readTree(body);
        return new Schema.Parser().parse(request.path("schema").asText());
    }

    private Answer ok(final JsonNode body) {
        return new Answer(200, body.toString());
    }

    private Answer error(final int status, final int code, final String message) {
        return new Answer(status, json.createObjectNode().put("error_code", code).put("message", message).toString());
    }
}
