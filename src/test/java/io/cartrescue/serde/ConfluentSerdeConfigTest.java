package io.cartrescue.serde;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.cartrescue.schema.Intervention;
import io.cartrescue.schema.StorefrontEvent;
import java.io.IOException;
import java.util.HashMap;
import java.util.Map;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.common.config.ConfigException;
import org.apache.kafka.common.config.types.Password;
import org.apache.kafka.common.errors.SerializationException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class ConfluentSerdeConfigTest {
    private FakeSchemaRegistry registry;

    @BeforeEach
    void startRegistry() throws IOException {
        registry = FakeSchemaRegistry.start("/apis/ccompat/v7");
    }

    @AfterEach
    void stopRegistry() {
        registry.close();
    }

    @Test
    void serdeConfiguredWithConfluentsNamesSendsTheUserInfoCredentials() {
        // Given a registry with credentials, and a serde configured the way Kafka configures it
        registry.requireBasicAuth("svc", "pw");
        final ConfluentAvroSerde<StorefrontEvent> serde = new ConfluentAvroSerde<>(StorefrontEvent.class);
        serde.configure(config(
                ConfluentSerdeConfig.BASIC_AUTH_CREDENTIALS_SOURCE, "USER_INFO",
                ConfluentSerdeConfig.BASIC_AUTH_USER_INFO, new Password("svc:pw")), false);
        final StorefrontEvent event = TestRecords.productAdded();

        // When a record is written and read
        final StorefrontEvent read = serde.deserializer().deserialize("orders", serde.serializer().serialize("orders", event));

        // Then it comes back, the schema was registered under the value subject, with the credentials
        assertThat(read).isEqualTo(event);
        assertThat(registry.requests()).first().satisfies(request -> {
            assertThat(request.path()).isEqualTo("/subjects/orders-value/versions");
            assertThat(request.headers()).containsKey("authorization");
        });
    }

    @Test
    void serdeCreatedByClassNameReadsIntoTheClassTheWriterSchemaNames() {
        // Given a serde made with the no-argument constructor, as Kafka does from a class name
        final ConfluentAvroSerde<SpecificRecord> serde = new ConfluentAvroSerde<>();
        serde.configure(config(), false);

        // When an intervention is written and read
        final Object read = serde.deserializer().deserialize("interventions.chat",
                serde.serializer().serialize("interventions.chat", TestRecords.discountIntervention()));

        // Then it is read as the generated Intervention class
        assertThat(read).isInstanceOf(Intervention.class).isEqualTo(TestRecords.discountIntervention());
    }

    @Test
    void configuredReaderTypeIsUsed() {
        // Given a deserializer configured with specific.avro.value.type
        final ConfluentAvroDeserializer<SpecificRecord> deserializer = new ConfluentAvroDeserializer<>();
        deserializer.configure(config(ConfluentSerdeConfig.SPECIFIC_AVRO_VALUE_TYPE, StorefrontEvent.class.getName()), false);
        final ConfluentAvroSerializer<Intervention> serializer = new ConfluentAvroSerializer<>();
        serializer.configure(config(), false);

        // When an intervention is read with it
        final byte[] bytes = serializer.serialize("t", TestRecords.discountIntervention());

        // Then it is refused as a record the configured type cannot read
        assertThatThrownBy(() -> deserializer.deserialize("t", bytes))
                .isInstanceOf(SerializationException.class)
                .hasMessageContaining("cannot be read as io.cartrescue.schema.StorefrontEvent");
    }

    @Test
    void autoRegistrationCanBeSwitchedOffByConfiguration() {
        // Given a key serializer configured with auto.register.schemas=false
        final ConfluentAvroSerializer<StorefrontEvent> serializer = new ConfluentAvroSerializer<>();
        serializer.configure(config(ConfluentSerdeConfig.AUTO_REGISTER_SCHEMAS, false), true);

        // When a record is serialized before its schema is registered
        // Then it fails with the instruction to register it under the key subject
        assertThatThrownBy(() -> serializer.serialize("sessions", TestRecords.productAdded()))
                .isInstanceOf(SerializationException.class)
                .hasMessageContaining("not registered under subject sessions-key");
    }

    @Test
    void missingRegistryUrlIsAConfigurationError() {
        // Given no schema.registry.url
        // When a serde is configured
        // Then the missing setting is named
        assertThatThrownBy(() -> new ConfluentAvroSerde<>().configure(Map.of(), false))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("schema.registry.url");
    }

    @Test
    void userInfoSourceWithoutCredentialsIsAConfigurationError() {
        // Given USER_INFO as the credentials source without user info
        // When a serde is configured
        // Then it is refused
        assertThatThrownBy(() -> new ConfluentAvroSerde<>().configure(
                config(ConfluentSerdeConfig.BASIC_AUTH_CREDENTIALS_SOURCE, "USER_INFO"), false))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("basic.auth.user.info");
    }

    @Test
    void malformedUserInfoIsRefusedWithoutShowingIt() {
        // Given user info without a colon
        // When a serde is configured
        // Then it is refused without echoing the secret
        assertThatThrownBy(() -> new ConfluentAvroSerde<>().configure(config(
                ConfluentSerdeConfig.BASIC_AUTH_CREDENTIALS_SOURCE, "USER_INFO",
                ConfluentSerdeConfig.BASIC_AUTH_USER_INFO, "justAS3cret"), false))
                .isInstanceOf(ConfigException.class)
                .satisfies(e -> assertThat(e.getMessage()).doesNotContain("justAS3cret"));
    }

    @Test
    void otherSubjectNameStrategiesAreRefused() {
        // Given RecordNameStrategy
        // When a serde is configured
        // Then it is refused rather than silently using another subject
        assertThatThrownBy(() -> new ConfluentAvroSerde<>().configure(config(
                ConfluentSerdeConfig.VALUE_SUBJECT_NAME_STRATEGY,
                "io.confluent.kafka.serializers.subject.RecordNameStrategy"), false))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("only TopicNameStrategy");
    }

    @Test
    void explicitlyBuiltSerdeIgnoresKafkasConfiguration() {
        // Given a serde built with its own client
        final ConfluentAvroSerde<StorefrontEvent> serde = new ConfluentAvroSerde<>(StorefrontEvent.class,
                ConfluentAvroSerdeTest.clientFor(registry), SerdeSettings.forValues());

        // When Kafka configures it with a registry URL that does not exist
        serde.configure(Map.of(ConfluentSerdeConfig.SCHEMA_REGISTRY_URL, "http://127.0.0.1:1"), false);

        // Then it still uses its own client
        assertThat(serde.serializer().serialize("t", TestRecords.productAdded())).isNotEmpty();
    }

    private Map<String, Object> config(final Object... keysAndValues) {
        final Map<String, Object> config = new HashMap<>();
        config.put(ConfluentSerdeConfig.SCHEMA_REGISTRY_URL, registry.url());
        config.put(ConfluentSerdeConfig.RETRY_TIMEOUT_MS, "500");
        for (int i = 0; i < keysAndValues.length; i += 2) {
            config.put((String) keysAndValues[i], keysAndValues[i + 1]);
        }
        return config;
    }
}
