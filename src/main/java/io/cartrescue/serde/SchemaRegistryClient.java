package io.cartrescue.serde;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import org.apache.avro.AvroRuntimeException;
import org.apache.avro.Schema;

/**
 * A client for the Confluent Schema Registry REST API, for Avro schemas.
 *
 * <p>It exists because Confluent's own client is not available to this project, while the
 * registries operators run (Confluent, Redpanda, Karapace, Apicurio's {@code /apis/ccompat/v7})
 * all speak this API. It registers and looks up schemas under subjects, fetches writer schemas by
 * id, and reads and sets compatibility levels.
 *
 * <p>Schemas by id are cached forever (ids are immutable); (subject, schema) to id answers are
 * cached too, so the hot path of a serde makes no HTTP request after the first record. Transient
 * failures are retried for {@link SchemaRegistrySettings#retryTimeout()} and then reported as
 * {@link SchemaRegistryUnavailableException}; refusals are reported as
 * {@link SchemaRegistryException}. The client is thread-safe. It holds no process-wide state:
 * every instance has its own caches and connections.
 */
public final class SchemaRegistryClient {
    /** Confluent's error code for a subject without a compatibility level of its own. */
    private static final int SUBJECT_COMPATIBILITY_NOT_CONFIGURED = 40408;

    private final SchemaRegistrySettings settings;
    private final RegistryHttp http;
    private final ObjectMapper json = new ObjectMapper();
    private final ConcurrentMap<Integer, Schema> schemasById = new ConcurrentHashMap<>();
    private final ConcurrentMap<SubjectSchema, Integer> registeredIds = new ConcurrentHashMap<>();
    private final ConcurrentMap<SubjectSchema, RegisteredSchema> lookedUp = new ConcurrentHashMap<>();

    private record SubjectSchema(String subject, Schema schema) {
    }

    public SchemaRegistryClient(final SchemaRegistrySettings settings) {
        this.settings = Objects.requireNonNull(settings, "settings");
        this.http = new RegistryHttp(settings);
    }

    /**
     * Registers {@code schema} under {@code subject}, or finds it there if it is already
     * registered, and returns its id. The registry refuses a schema incompatible with the subject's
     * compatibility level ({@link SchemaRegistryException#isIncompatible()}).
     */
    public int register(final String subject, final Schema schema) {
        final SubjectSchema key = new SubjectSchema(requireSubject(subject), Objects.requireNonNull(schema, "schema"));
        final Integer cached = registeredIds.get(key);
        if (cached != null) {
            return cached;
        }
        final RegistryHttp.Response response = http.send("POST", subjectPath(subject) + "/versions", schemaRequest(schema));
        final int id = requiredInt(successBody(response, subject, null), "id", response, subject);
        registeredIds.putIfAbsent(key, id);
        // The id now stands for this schema for good: reading our own records back needs no request.
        schemasById.putIfAbsent(id, schema);
        return id;
    }

    /**
     * Finds {@code schema} among the versions of {@code subject} without registering it.
     *
     * @throws SchemaRegistryException with error code 40401 (no such subject) or 40403 (not
     *                                 registered under it) when it is not there
     */
    public RegisteredSchema lookUp(final String subject, final Schema schema) {
        final SubjectSchema key = new SubjectSchema(requireSubject(subject), Objects.requireNonNull(schema, "schema"));
        final RegisteredSchema cached = lookedUp.get(key);
        if (cached != null) {
            return cached;
        }
        final RegistryHttp.Response response = http.send("POST", subjectPath(subject), schemaRequest(schema));
        final JsonNode body = successBody(response, subject, null);
        final RegisteredSchema found = new RegisteredSchema(subject, requiredInt(body, "version", response, subject),
                requiredInt(body, "id", response, subject), schema);
        lookedUp.putIfAbsent(key, found);
        registeredIds.putIfAbsent(key, found.id());
        schemasById.putIfAbsent(found.id(), schema);
        return found;
    }

    /**
     * The schema with {@code id}, as written into records by the serializers that registered it.
     *
     * @throws SchemaRegistryException with error code 40403 when the registry has no such id, or
     *                                 {@value SchemaRegistryException#INVALID_SCHEMA} when it is not
     *                                 a usable Avro schema
     */
    public Schema schemaById(final int id) {
        final Schema cached = schemasById.get(id);
        if (cached != null) {
            return cached;
        }
        final RegistryHttp.Response response = http.send("GET", "/schemas/ids/" + id, null);
        final Schema schema = parseSchema(successBody(response, null, id), response, null, id);
        final Schema previous = schemasById.putIfAbsent(id, schema);
        return previous == null ? schema : previous;
    }

    /** The latest version registered under {@code subject} (not cached: it changes). */
    public RegisteredSchema latestVersion(final String subject) {
        final RegistryHttp.Response response = http.send("GET", subjectPath(requireSubject(subject)) + "/versions/latest", null);
        final JsonNode body = successBody(response, subject, null);
        final int id = requiredInt(body, "id", response, subject);
        final Schema schema = parseSchema(body, response, subject, id);
        schemasById.putIfAbsent(id, schema);
        return new RegisteredSchema(subject, requiredInt(body, "version", response, subject), id, schema);
    }

    /**
     * The compatibility level that applies to {@code subject}: its own, or else the registry's
     * global one (Apicurio answers 40401 for a subject it has not seen, Confluent 40408 for one
     * without a level of its own; both fall back to the global level here).
     */
    public CompatibilityLevel compatibility(final String subject) {
        final RegistryHttp.Response response =
                http.send("GET", "/config/" + encode(requireSubject(subject)) + "?defaultToGlobal=true", null);
        if (response.status() == 404) {
            final SchemaRegistryException refusal = failure(response, subject, null);
            if (refusal.errorCode() != SchemaRegistryException.SUBJECT_NOT_FOUND
                    && refusal.errorCode() != SUBJECT_COMPATIBILITY_NOT_CONFIGURED) {
                throw refusal;
            }
            return globalCompatibility();
        }
        return compatibilityLevel(successBody(response, subject, null), response, subject);
    }

    private CompatibilityLevel globalCompatibility() {
        final RegistryHttp.Response response = http.send("GET", "/config", null);
        return compatibilityLevel(successBody(response, null, null), response, null);
    }

    /** Sets the compatibility level of {@code subject}, which the registry enforces on every new version. */
    public void setCompatibility(final String subject, final CompatibilityLevel level) {
        final ObjectNode request = json.createObjectNode().put("compatibility", Objects.requireNonNull(level, "level").name());
        final RegistryHttp.Response response = http.send("PUT", "/config/" + encode(requireSubject(subject)), request.toString());
        successBody(response, subject, null);
    }

    /**
     * Asks the registry whether {@code schema} could be registered as the next version of
     * {@code subject}. A subject without versions accepts any schema.
     */
    public boolean isCompatible(final String subject, final Schema schema) {
        final RegistryHttp.Response response = http.send("POST",
                "/compatibility" + subjectPath(requireSubject(subject)) + "/versions/latest", schemaRequest(schema));
        if (response.status() == 404) {
            final SchemaRegistryException refusal = failure(response, subject, null);
            if (refusal.errorCode() == SchemaRegistryException.SUBJECT_NOT_FOUND
                    || refusal.errorCode() == SchemaRegistryException.VERSION_NOT_FOUND) {
                return true;
            }
            throw refusal;
        }
        final JsonNode verdict = successBody(response, subject, null).get("is_compatible");
        if (verdict == null || !verdict.isBoolean()) {
            throw unreadable(response, subject, null, "no is_compatible field");
        }
        return verdict.booleanValue();
    }

    /** The settings this client was built with. */
    public SchemaRegistrySettings settings() {
        return settings;
    }

    @Override
    public String toString() {
        return "SchemaRegistryClient{" + settings + '}';
    }

    private String schemaRequest(final Schema schema) {
        return json.createObjectNode().put("schema", schema.toString()).toString();
    }

    private JsonNode successBody(final RegistryHttp.Response response, final String subject, final Integer schemaId) {
        if (!response.isSuccess()) {
            throw failure(response, subject, schemaId);
        }
        try {
            final JsonNode body = json.readTree(response.body());
            if (body == null || !body.isObject()) {
                throw unreadable(response, subject, schemaId, "not a JSON object");
            }
            return body;
        } catch (final JsonProcessingException e) {
            throw unreadable(response, subject, schemaId, "not JSON");
        }
    }

    private SchemaRegistryException failure(final RegistryHttp.Response response, final String subject,
                                            final Integer schemaId) {
        int errorCode = SchemaRegistryException.NO_ERROR_CODE;
        String message = null;
        try {
            final JsonNode body = json.readTree(response.body());
            if (body != null && body.isObject()) {
                errorCode = body.path("error_code").asInt(SchemaRegistryException.NO_ERROR_CODE);
                message = body.hasNonNull("message") ? body.get("message").asText() : null;
            }
        } catch (final JsonProcessingException e) {
            message = null;
        }
        final StringBuilder text = new StringBuilder("Schema registry refused ").append(response.request())
                .append(context(subject, schemaId)).append(": HTTP ").append(response.status());
        if (errorCode != SchemaRegistryException.NO_ERROR_CODE) {
            text.append(", error ").append(errorCode);
        }
        if (message != null) {
            text.append(": ").append(message);
        }
        text.append(hint(response, errorCode));
        return new SchemaRegistryException(text.toString(), response.status(), errorCode, subject, schemaId, null);
    }

    private static String hint(final RegistryHttp.Response response, final int errorCode) {
        final int status = response.status();
        if (status == 409 || errorCode == SchemaRegistryException.INCOMPATIBLE_SCHEMA) {
            return ". The schema is incompatible with the subject's compatibility level";
        }
        if (status == 401) {
            return ". Check the registry credentials (basic.auth.user.info)";
        }
        if (status == 403) {
            return ". The registry credentials are not allowed to do this";
        }
        if (status == 404 && errorCode == SchemaRegistryException.NO_ERROR_CODE) {
            return ". The registry API was not found at " + response.baseUrl()
                    + ": check the base URL (Apicurio serves it under /apis/ccompat/v7)";
        }
        return "";
    }

    private SchemaRegistryException unreadable(final RegistryHttp.Response response, final String subject,
                                               final Integer schemaId, final String problem) {
        return new SchemaRegistryException("Schema registry at " + response.baseUrl() + " answered "
                + response.request() + context(subject, schemaId) + " with a response this client cannot use ("
                + problem + "): check the base URL", response.status(), SchemaRegistryException.NO_ERROR_CODE,
                subject, schemaId, null);
    }

    private Schema parseSchema(final JsonNode body, final RegistryHttp.Response response, final String subject,
                               final int id) {
        final String type = body.hasNonNull("schemaType") ? body.get("schemaType").asText() : "AVRO";
        if (!"AVRO".equals(type.toUpperCase(Locale.ROOT))) {
            throw unusable(response, subject, id, "it is a " + type + " schema, not Avro");
        }
        final JsonNode references = body.get("references");
        if (references != null && references.isArray() && !references.isEmpty()) {
            throw unusable(response, subject, id, "it refers to other schemas, which this client does not resolve");
        }
        final JsonNode text = body.get("schema");
        if (text == null || !text.isTextual()) {
            throw unreadable(response, subject, id, "no schema field");
        }
        try {
            return new Schema.Parser().setValidateDefaults(false).parse(text.asText());
        } catch (final AvroRuntimeException e) {
            throw unusable(response, subject, id, "it is not a valid Avro schema: " + e.getMessage());
        }
    }

    private static SchemaRegistryException unusable(final RegistryHttp.Response response, final String subject,
                                                    final int id, final String problem) {
        return new SchemaRegistryException("Schema id " + id + " from " + response.request() + " cannot be used: "
                + problem, response.status(), SchemaRegistryException.INVALID_SCHEMA, subject, id, null);
    }

    private int requiredInt(final JsonNode body, final String field, final RegistryHttp.Response response,
                            final String subject) {
        final JsonNode value = body.get(field);
        if (value == null || !value.canConvertToInt()) {
            throw unreadable(response, subject, null, "no integer " + field + " field");
        }
        return value.intValue();
    }

    private CompatibilityLevel compatibilityLevel(final JsonNode body, final RegistryHttp.Response response,
                                                  final String subject) {
        final JsonNode level = body.hasNonNull("compatibilityLevel") ? body.get("compatibilityLevel") : body.get("compatibility");
        if (level == null || !level.isTextual()) {
            throw unreadable(response, subject, null, "no compatibility level");
        }
        try {
            return CompatibilityLevel.valueOf(level.asText().toUpperCase(Locale.ROOT));
        } catch (final IllegalArgumentException e) {
            throw unreadable(response, subject, null, "unknown compatibility level " + level.asText());
        }
    }

    private static String context(final String subject, final Integer schemaId) {
        if (subject != null && schemaId != null) {
            return " (subject " + subject + ", schema id " + schemaId + ")";
        }
        if (subject != null) {
            return " (subject " + subject + ")";
        }
        return schemaId != null ? " (schema id " + schemaId + ")" : "";
    }

    private static String subjectPath(final String subject) {
        return "/subjects/" + encode(subject);
    }

    private static String encode(final String pathSegment) {
        return URLEncoder.encode(pathSegment, StandardCharsets.UTF_8).replace("+", "%20");
    }

    private static String requireSubject(final String subject) {
        if (subject == null || subject.isBlank()) {
            throw new IllegalArgumentException("A subject must not be blank");
        }
        return subject;
    }
}
