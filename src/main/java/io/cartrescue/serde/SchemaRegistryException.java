package io.cartrescue.serde;

import java.util.Optional;
import java.util.OptionalInt;

/**
 * The schema registry answered, and the answer was a refusal: a subject or schema that does not
 * exist, a schema incompatible with the subject's compatibility level, an invalid schema, missing
 * credentials, or a response this client cannot use.
 *
 * <p>It exists so that callers can act on the registry's own verdict: the HTTP status, the
 * registry's {@code error_code} (40401 subject not found, 40403 schema not found, 409
 * incompatible, 42201 invalid schema, ...) and the subject and schema id concerned travel with the
 * exception. An unreachable or overloaded registry is reported by
 * {@link SchemaRegistryUnavailableException} instead, never by this class.
 */
public final class SchemaRegistryException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    /** Confluent's error code for an unknown subject. */
    public static final int SUBJECT_NOT_FOUND = 40401;
    /** Confluent's error code for an unknown version of a subject. */
    public static final int VERSION_NOT_FOUND = 40402;
    /** Confluent's error code for an unknown schema (by id, or not registered under a subject). */
    public static final int SCHEMA_NOT_FOUND = 40403;
    /** Confluent's error code for a schema refused by the subject's compatibility level. */
    public static final int INCOMPATIBLE_SCHEMA = 409;
    /** Confluent's error code for a schema the registry cannot parse. */
    public static final int INVALID_SCHEMA = 42201;

    /** HTTP status of a failure that had no HTTP response, such as a TLS trust failure. */
    public static final int NO_HTTP_STATUS = 0;
    /** Registry error code of a response that carried none. */
    public static final int NO_ERROR_CODE = -1;

    private final int httpStatus;
    private final int errorCode;
    private final String subject;
    private final Integer schemaId;

    SchemaRegistryException(final String message, final int httpStatus, final int errorCode,
                            final String subject, final Integer schemaId, final Throwable cause) {
        super(message, cause);
        this.httpStatus = httpStatus;
        this.errorCode = errorCode;
        this.subject = subject;
        this.schemaId = schemaId;
    }

    /** The HTTP status of the registry's answer, or {@link #NO_HTTP_STATUS}. */
    public int httpStatus() {
        return httpStatus;
    }

    /** The registry's {@code error_code}, or {@link #NO_ERROR_CODE} when it sent none. */
    public int errorCode() {
        return errorCode;
    }

    /** The subject the request was about, if any. */
    public Optional<String> subject() {
        return Optional.ofNullable(subject);
    }

    /** The schema id the request was about, if any. */
    public OptionalInt schemaId() {
        return schemaId == null ? OptionalInt.empty() : OptionalInt.of(schemaId);
    }

    /** True when the registry does not know the subject, the version or the schema asked for. */
    public boolean isNotFound() {
        return errorCode == SUBJECT_NOT_FOUND || errorCode == VERSION_NOT_FOUND || errorCode == SCHEMA_NOT_FOUND;
    }

    /** True when the registry refused a schema as incompatible with the subject's compatibility level. */
    public boolean isIncompatible() {
        return httpStatus == 409 || errorCode == INCOMPATIBLE_SCHEMA;
    }
}
