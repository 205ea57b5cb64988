package io.cartrescue.serde;

import java.util.Objects;
import org.apache.avro.Schema;

/**
 * One version of a subject as the registry knows it: the schema, its global id (the one written
 * into every record) and its version number within the subject.
 *
 * @param subject the subject, e.g. {@code storefront.events-value}
 * @param version the version number within the subject, starting at 1
 * @param id      the registry-wide schema id
 * @param schema  the Avro schema
 */
public record RegisteredSchema(String subject, int version, int id, Schema schema) {
    public RegisteredSchema {
        Objects.requireNonNull(subject, "subject");
        Objects.requireNonNull(schema, "schema");
    }
}
