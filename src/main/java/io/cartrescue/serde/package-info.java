/**
 * Avro records in the Confluent wire format, with a client for the Confluent Schema Registry REST
 * API, so that cart-rescue reads and writes the same bytes as Confluent's serializers against any
 * registry that speaks that API (Confluent, Redpanda, Karapace, Apicurio's {@code /apis/ccompat/v7}).
 *
 * <p>What a failure means decides what the application does with the record:
 * <ul>
 *   <li>{@link org.apache.kafka.common.errors.SerializationException}: the record itself is bad
 *       (not the wire format, unknown schema id, truncated or garbled, unreadable with the reader's
 *       schema); route it to the dead-letter topic.</li>
 *   <li>{@link io.cartrescue.serde.SchemaRegistryUnavailableException}: the registry could not be
 *       reached for the configured retry time; stop and retry the same record later, never
 *       dead-letter it ({@link io.cartrescue.serde.SchemaRegistryUnavailableException#isCauseOf}
 *       finds it inside the exceptions Kafka wraps around it).</li>
 *   <li>{@link io.cartrescue.serde.SchemaRegistryException}: the registry refused for a reason
 *       unrelated to the record (credentials, base URL, TLS trust); a deployment problem to fix.</li>
 * </ul>
 */
package io.cartrescue.serde;
