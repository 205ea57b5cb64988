package io.cartrescue.serde;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.cartrescue.schema.StorefrontEvent;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SchemaRegistryTlsTest {
    private static final String STORE_PASSWORD = "server-pw";
    private static final String TRUST_PASSWORD = "trust-pw";

    @TempDir
    static Path dir;
    private static Path trustStore;
    private static FakeSchemaRegistry registry;

    @BeforeAll
    static void startRegistryWithAPrivateCertificate() throws Exception {
        final Path keyStore = dir.resolve("server.p12");
        final Path certificate = dir.resolve("server.pem");
        trustStore = dir.resolve("trust.p12");
        keytool("-genkeypair", "-alias", "registry", "-keyalg", "EC", "-groupname", "secp256r1",
                "-dname", "CN=registry.test", "-ext", "SAN=ip:127.0.0.1,dns:localhost", "-validity", "2",
                "-keystore", keyStore.toString(), "-storetype", "PKCS12", "-storepass", STORE_PASSWORD);
        keytool("-exportcert", "-rfc", "-alias", "registry", "-file", certificate.toString(),
                "-keystore", keyStore.toString(), "-storetype", "PKCS12", "-storepass", STORE_PASSWORD);
        keytool("-importcert", "-noprompt", "-alias", "registry-ca", "-file", certificate.toString(),
                "-keystore", trustStore.toString(), "-storetype", "PKCS12", "-storepass", TRUST_PASSWORD);
        registry = FakeSchemaRegistry.startTls("/apis/ccompat/v7", serverContext(keyStore));
    }

    @AfterAll
    static void stopRegistry() {
        registry.close();
    }

    @Test
    void registryBehindAPrivateCaIsReachedWithTheTrustStoreFile() {
        // Given a client trusting the registry's CA from a trust store file
        final SchemaRegistryClient client = new SchemaRegistryClient(SchemaRegistrySettings.builder(registry.url())
                .trustStore(trustStore, TRUST_PASSWORD, "PKCS12").build());

        // When a schema is registered
        final int id = client.register("tls-value", StorefrontEvent.getClassSchema());

        // Then the call succeeded over TLS
        assertThat(registry.url()).startsWith("https://");
        assertThat(client.schemaById(id)).isEqualTo(StorefrontEvent.getClassSchema());
    }

    @Test
    void untrustedCertificateFailsAtOnceInsteadOfBeingRetried() {
        // Given a client with only the JDK's trust store and a long retry time
        final SchemaRegistryClient client = new SchemaRegistryClient(SchemaRegistrySettings.builder(registry.url())
                .retryTimeout(Duration.ofSeconds(60)).build());

        // When a schema is registered
        final long started = System.nanoTime();
        // Then it fails as a configuration problem, naming the setting, without waiting for the retry time
        assertThatThrownBy(() -> client.register("tls-value", StorefrontEvent.getClassSchema()))
                .isInstanceOf(SchemaRegistryException.class)
                .hasMessageContaining("is not trusted")
                .hasMessageContaining("schema.registry.ssl.truststore.location");
        assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(20));
    }

    @Test
    void serdeConfiguredByKafkaReachesTheRegistryThroughTheTrustStore() {
        // Given a serde configured with Confluent's trust store settings
        final ConfluentAvroSerde<StorefrontEvent> serde = new ConfluentAvroSerde<>(StorefrontEvent.class);
        serde.configure(Map.of(
                ConfluentSerdeConfig.SCHEMA_REGISTRY_URL, registry.url(),
                ConfluentSerdeConfig.SSL_TRUSTSTORE_LOCATION, trustStore.toString(),
                ConfluentSerdeConfig.SSL_TRUSTSTORE_PASSWORD, TRUST_PASSWORD,
                ConfluentSerdeConfig.SSL_TRUSTSTORE_TYPE, "PKCS12"), false);
        final StorefrontEvent event = TestRecords.productAdded();

        // When a record is written and read
        final StorefrontEvent read = serde.deserializer().deserialize("tls", serde.serializer().serialize("tls", event));

        // Then it comes back unchanged
        assertThat(read).isEqualTo(event);
    }

    private static SSLContext serverContext(final Path keyStore) throws IOException, GeneralSecurityException {
        final KeyStore store = KeyStore.getInstance("PKCS12");
        try (InputStream in = Files.newInputStream(keyStore)) {
            store.load(in, STORE_PASSWORD.toCharArray());
        }
        final KeyManagerFactory keys = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        keys.init(store, STORE_PASSWORD.toCharArray());
        final SSLContext context = SSLContext.getInstance("TLS");
        context.init(keys.getKeyManagers(), null, null);
        return context;
    }

    private static void keytool(final String... arguments) throws IOException, InterruptedException {
        final List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "keytool").toString());
        command.addAll(List.of(arguments));
        final Process process = new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(dir.resolve("keytool.log").toFile()).start();
        assertThat(process.waitFor(60, TimeUnit.SECONDS)).as("keytool finished").isTrue();
        assertThat(process.exitValue()).as("keytool exit code, see " + dir.resolve("keytool.log")).isZero();
    }
}
