package io.cartrescue.serde;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.groups.Tuple.tuple;

import io.cartrescue.schema.Intervention;
import io.cartrescue.schema.StorefrontEvent;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.time.Duration;
import org.apache.avro.Schema;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class SchemaRegistryClientTest {
    private static final String SUBJECT = "storefront.events-value";
    private static final Schema SCHEMA = StorefrontEvent.getClassSchema();

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
    void baseUrlWithPathAndTrailingSlashIsKeptInFrontOfEveryRequest() {
        // Given a base URL with Apicurio's path and a trailing slash
        final SchemaRegistryClient client = client(SchemaRegistrySettings.builder(registry.url() + "/"));

        // When a schema is registered
        final int id = client.register(SUBJECT, SCHEMA);

        // Then the request went to <path>/subjects/<subject>/versions as registry JSON
        assertThat(id).isEqualTo(1);
        final FakeSchemaRegistry.Request request = registry.requests().get(0);
        assertThat(request.method()).isEqualTo("POST");
        assertThat(request.path()).isEqualTo("/subjects/" + SUBJECT + "/versions");
        assertThat(request.headers()).containsEntry("content-type", "application/vnd.schemaregistry.v1+json");
        assertThat(request.body()).contains("\"schema\":").contains("StorefrontEvent");
    }

    @Test
    void aSchemaRegisteredOnceIsReadByItsIdWithoutAskingTheRegistry() {
        // Given a schema this client registered
        final SchemaRegistryClient client = client(SchemaRegistrySettings.builder(registry.url()));
        final int id = client.register(SUBJECT, SCHEMA);

        // When the registry is gone and the id is read back (a repartition or changelog record of our own)
        registry.close();
        final Schema byId = client.schemaById(id);

        // Then it came from the cache: one request in all
        assertThat(byId).isEqualTo(SCHEMA);
        assertThat(registry.requests()).hasSize(1);
    }

    @Test
    void baseUrlAtTheRootWorks() throws IOException {
        // Given a registry serving the API at the root, as Confluent, Redpanda and Karapace do
        try (FakeSchemaRegistry root = FakeSchemaRegistry.start("")) {
            final SchemaRegistryClient client = client(SchemaRegistrySettings.builder(root.url()));

            // When a schema is registered and fetched back by id
            final int id = client.register(SUBJECT, SCHEMA);

            // Then both calls work
            assertThat(client.schemaById(id)).isEqualTo(SCHEMA);
        }
    }

    @Test
    void basicAuthCredentialsAreSentAsAuthorizationHeader() {
        // Given a registry that requires credentials, and a client that has them
        registry.requireBasicAuth("svc-cart", "s3cret");
        final SchemaRegistryClient client = client(SchemaRegistrySettings.builder(registry.url()).basicAuth("svc-cart:s3cret"));

        // When a schema is registered
        client.register(SUBJECT, SCHEMA);

        // Then the basic authorization header was sent
        assertThat(registry.requests().get(0).headers()).containsEntry("authorization", "Basic c3ZjLWNhcnQ6czNjcmV0");
    }

    @Test
    void credentialsInTheUrlAreSentAsHeaderAndNeverShown() {
        // Given credentials written into the URL
        registry.requireBasicAuth("svc-cart", "s3cret");
        final String url = registry.url().replace("http://", "http://svc-cart:s3cret@");
        final SchemaRegistryClient client = client(SchemaRegistrySettings.builder(url));

        // When the client is used and shown
        client.register(SUBJECT, SCHEMA);

        // Then the credentials went into the header and appear nowhere in what is shown
        assertThat(registry.requests().get(0).headers()).containsEntry("authorization", "Basic c3ZjLWNhcnQ6czNjcmV0");
        assertThat(client.toString()).doesNotContain("s3cret").doesNotContain("svc-cart");
        assertThat(client.settings().baseUrls()).allSatisfy(u -> assertThat(u.toString()).doesNotContain("s3cret"));
    }

    @Test
    void wrongCredentialsAreRefusedWithoutShowingThem() {
        // Given a registry that requires other credentials
        registry.requireBasicAuth("svc-cart", "right");
        final SchemaRegistryClient client = client(SchemaRegistrySettings.builder(registry.url()).basicAuth("svc-cart:wrong-s3cret"));

        // When a schema is registered
        // Then the refusal says to check the credentials, without showing them
        assertThatThrownBy(() -> client.register(SUBJECT, SCHEMA))
                .isInstanceOfSatisfying(SchemaRegistryException.class, e -> {
                    assertThat(e.httpStatus()).isEqualTo(401);
                    assertThat(e.getMessage()).contains("basic.auth.user.info").doesNotContain("wrong-s3cret");
                });
    }

    @Test
    void unknownSubjectIsMappedFromTheRegistrysErrorJson() {
        // Given an empty registry
        final SchemaRegistryClient client = client(SchemaRegistrySettings.builder(registry.url()));

        // When a schema is looked up
        // Then the status, error code, message and subject are carried by the exception
        assertThatThrownBy(() -> client.lookUp(SUBJECT, SCHEMA))
                .isInstanceOfSatisfying(SchemaRegistryException.class, e -> {
                    assertThat(e.httpStatus()).isEqualTo(404);
                    assertThat(e.errorCode()).isEqualTo(SchemaRegistryException.SUBJECT_NOT_FOUND);
                    assertThat(e.subject()).contains(SUBJECT);
                    assertThat(e.isNotFound()).isTrue();
                    assertThat(e.getMessage()).contains("POST /subjects/" + SUBJECT).contains("40401")
                            .contains("Subject '" + SUBJECT + "' not found.");
                });
    }

    @Test
    void unknownSchemaIdIsMappedWithTheId() {
        // Given an empty registry
        final SchemaRegistryClient client = client(SchemaRegistrySettings.builder(registry.url()));

        // When schema 42 is fetched
        // Then the exception names the id and the error code 40403
        assertThatThrownBy(() -> client.schemaById(42))
                .isInstanceOfSatisfying(SchemaRegistryException.class, e -> {
                    assertThat(e.errorCode()).isEqualTo(SchemaRegistryException.SCHEMA_NOT_FOUND);
                    assertThat(e.schemaId()).hasValue(42);
                    assertThat(e.getMessage()).contains("schema id 42");
                });
    }

    @Test
    void incompatibleSchemaIsRefusedSayingSo() {
        // Given a subject with BACKWARD compatibility and one version
        final SchemaRegistryClient client = client(SchemaRegistrySettings.builder(registry.url()));
        client.setCompatibility(SUBJECT, CompatibilityLevel.BACKWARD);
        client.register(SUBJECT, SCHEMA);

        // When a version with a new required field is registered
        // Then the registry's 409 is reported as an incompatibility
        assertThatThrownBy(() -> client.register(SUBJECT, TestRecords.withRequiredField(SCHEMA, "mandatory")))
                .isInstanceOfSatisfying(SchemaRegistryException.class, e -> {
                    assertThat(e.httpStatus()).isEqualTo(409);
                    assertThat(e.isIncompatible()).isTrue();
                    assertThat(e.getMessage()).contains("incompatible with the subject's compatibility level")
                            .contains(SUBJECT);
                });
    }

    @Test
    void wrongBasePathIsReportedAsAConfigurationProblem() {
        // Given a base URL without Apicurio's API path
        final SchemaRegistryClient client = client(SchemaRegistrySettings.builder(registry.url().replace("/apis/ccompat/v7", "/apis")));

        // When a schema is fetched
        // Then the plain 404 is not mistaken for an unknown schema
        assertThatThrownBy(() -> client.schemaById(1))
                .isInstanceOfSatisfying(SchemaRegistryException.class, e -> {
                    assertThat(e.isNotFound()).isFalse();
                    assertThat(e.getMessage()).contains("check the base URL");
                });
    }

    @Test
    void serverErrorsAreRetriedUntilTheRegistryAnswers() {
        // Given a registry that fails twice with 503 and once with 429 before it answers
        final SchemaRegistryClient client = client(SchemaRegistrySettings.builder(registry.url()));
        final int id = registry.register(SUBJECT, SCHEMA);
        registry.failNext(503, 503, 429);

        // When the schema is fetched
        final Schema schema = client.schemaById(id);

        // Then it arrives after four requests
        assertThat(schema).isEqualTo(SCHEMA);
        assertThat(registry.requests()).hasSize(4);
    }

    @Test
    void clientErrorsAreNotRetried() {
        // Given an empty registry
        final SchemaRegistryClient client = client(SchemaRegistrySettings.builder(registry.url()));

        // When an unknown schema is fetched
        assertThatThrownBy(() -> client.schemaById(5)).isInstanceOf(SchemaRegistryException.class);

        // Then only one request was made
        assertThat(registry.requests()).hasSize(1);
    }

    @Test
    void unreachableRegistryIsReportedAsUnavailableAfterTheRetryTime() throws IOException {
        // Given a port nobody listens on, and a retry time of one second
        final int closedPort;
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            closedPort = socket.getLocalPort();
        }
        final SchemaRegistryClient client = new SchemaRegistryClient(SchemaRegistrySettings
                .builder("http://127.0.0.1:" + closedPort + "/apis/ccompat/v7")
                .retryTimeout(Duration.ofSeconds(1))
                .backoff(Duration.ofMillis(50), Duration.ofMillis(200))
                .build());

        // When a schema is fetched
        final long started = System.nanoTime();
        // Then the call fails as unavailable once the retry time is used up, after several attempts
        assertThatThrownBy(() -> client.schemaById(1))
                .isInstanceOfSatisfying(SchemaRegistryUnavailableException.class, e -> {
                    assertThat(e.attempts()).isGreaterThan(1);
                    assertThat(e.waited()).isGreaterThanOrEqualTo(Duration.ofSeconds(1));
                    assertThat(e.getMessage()).contains("GET /schemas/ids/1").contains("cannot connect");
                });
        assertThat(Duration.ofNanos(System.nanoTime() - started)).isBetween(Duration.ofSeconds(1), Duration.ofSeconds(10));
    }

    @Test
    void registryThatNeverAnswersIsRetriedAfterEachRequestTimeout() throws IOException {
        // Given a socket that accepts connections but never answers
        try (ServerSocket silent = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
            final SchemaRegistryClient client = new SchemaRegistryClient(SchemaRegistrySettings
                    .builder("http://127.0.0.1:" + silent.getLocalPort())
                    .requestTimeout(Duration.ofMillis(200))
                    .retryTimeout(Duration.ofSeconds(1))
                    .backoff(Duration.ofMillis(50), Duration.ofMillis(100))
                    .build());

            // When a schema is fetched
            // Then each request times out, and the call fails as unavailable
            assertThatThrownBy(() -> client.schemaById(1))
                    .isInstanceOfSatisfying(SchemaRegistryUnavailableException.class, e -> {
                        assertThat(e.attempts()).isGreaterThan(1);
                        assertThat(e.getMessage()).contains("timed out");
                    });
        }
    }

    @Test
    void registryAnsweringOnlyServerErrorsIsReportedAsUnavailable() {
        // Given a registry that answers every request with 500
        registry.failEverything(500);
        final SchemaRegistryClient client = client(SchemaRegistrySettings.builder(registry.url()));

        // When a schema is registered
        // Then the call fails as unavailable, naming the last status
        assertThatThrownBy(() -> client.register(SUBJECT, SCHEMA))
                .isInstanceOf(SchemaRegistryUnavailableException.class)
                .hasMessageContaining("HTTP 500");
        assertThat(registry.requests().size()).isGreaterThan(1);
    }

    @Test
    void nextUrlIsTriedWhenTheFirstIsUnreachable() throws IOException {
        // Given two URLs of which the first is not listening
        final int closedPort;
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            closedPort = socket.getLocalPort();
        }
        final SchemaRegistryClient client = client(SchemaRegistrySettings.builder(
                "http://127.0.0.1:" + closedPort + "," + registry.url()));

        // When a schema is registered
        final int id = client.register(SUBJECT, SCHEMA);

        // Then the second URL answered
        assertThat(id).isEqualTo(1);
    }

    @Test
    void schemaByIdIsFetchedOnce() {
        // Given a registered schema
        final SchemaRegistryClient client = client(SchemaRegistrySettings.builder(registry.url()));
        final int id = registry.register(SUBJECT, SCHEMA);

        // When it is fetched twice
        client.schemaById(id);
        client.schemaById(id);

        // Then the second call made no request
        assertThat(registry.requests()).hasSize(1);
    }

    @Test
    void registrationAndLookUpAreCachedPerSubjectAndSchema() {
        // Given a client
        final SchemaRegistryClient client = client(SchemaRegistrySettings.builder(registry.url()));

        // When the same schema is registered twice and looked up twice, and another subject is used
        final int first = client.register(SUBJECT, SCHEMA);
        final int second = client.register(SUBJECT, SCHEMA);
        final RegisteredSchema found = client.lookUp(SUBJECT, SCHEMA);
        client.lookUp(SUBJECT, SCHEMA);
        client.register("interventions.chat-value", Intervention.getClassSchema());

        // Then each distinct question was asked once
        assertThat(first).isEqualTo(second).isEqualTo(found.id());
        assertThat(found.version()).isEqualTo(1);
        assertThat(registry.requests()).extracting(FakeSchemaRegistry.Request::method, FakeSchemaRegistry.Request::path)
                .containsExactly(
                        tuple("POST", "/subjects/" + SUBJECT + "/versions"),
                        tuple("POST", "/subjects/" + SUBJECT),
                        tuple("POST", "/subjects/interventions.chat-value/versions"));
    }

    @Test
    void latestVersionIsTheLastRegistered() {
        // Given two versions of a subject
        final SchemaRegistryClient client = client(SchemaRegistrySettings.builder(registry.url()));
        client.register(SUBJECT, TestRecords.withoutField(SCHEMA, "interventionId"));
        final int id = client.register(SUBJECT, SCHEMA);

        // When the latest version is asked for
        final RegisteredSchema latest = client.latestVersion(SUBJECT);

        // Then it is the second one
        assertThat(latest.version()).isEqualTo(2);
        assertThat(latest.id()).isEqualTo(id);
        assertThat(latest.schema()).isEqualTo(SCHEMA);
    }

    @Test
    void compatibilityLevelIsSetAndReadBack() {
        // Given a client
        final SchemaRegistryClient client = client(SchemaRegistrySettings.builder(registry.url()));

        // When the subject's level is set to FULL
        client.setCompatibility(SUBJECT, CompatibilityLevel.FULL);

        // Then it reads back as FULL, asking the registry to fall back to the global level
        assertThat(client.compatibility(SUBJECT)).isEqualTo(CompatibilityLevel.FULL);
        assertThat(registry.requests()).extracting(FakeSchemaRegistry.Request::query).contains("defaultToGlobal=true");
    }

    @Test
    void subjectUnknownToTheRegistryHasTheGlobalCompatibilityLevel() {
        // Given a registry whose global level is FORWARD, and a subject it has never seen
        registry.setGlobalCompatibility("FORWARD");
        final SchemaRegistryClient client = client(SchemaRegistrySettings.builder(registry.url()));

        // When the subject's level is asked for
        final CompatibilityLevel level = client.compatibility("never-seen-value");

        // Then the registry's 40401 leads to the global level
        assertThat(level).isEqualTo(CompatibilityLevel.FORWARD);
        assertThat(registry.requests()).extracting(FakeSchemaRegistry.Request::path)
                .containsExactly("/config/never-seen-value", "/config");
    }

    @Test
    void compatibilityCanBeTestedWithoutRegistering() {
        // Given a BACKWARD subject with one version
        final SchemaRegistryClient client = client(SchemaRegistrySettings.builder(registry.url()));
        client.setCompatibility(SUBJECT, CompatibilityLevel.BACKWARD);
        client.register(SUBJECT, SCHEMA);

        // When an optional and a required new field are tested
        // Then only the optional one is compatible, and a subject without versions accepts anything
        assertThat(client.isCompatible(SUBJECT, TestRecords.withOptionalField(SCHEMA, "referrer"))).isTrue();
        assertThat(client.isCompatible(SUBJECT, TestRecords.withRequiredField(SCHEMA, "mandatory"))).isFalse();
        assertThat(client.isCompatible("new-subject-value", SCHEMA)).isTrue();
    }

    @Test
    void urlThatIsNotHttpIsRefused() {
        // Given a URL without scheme
        // When settings are built
        // Then they are refused with the reason
        assertThatThrownBy(() -> SchemaRegistrySettings.builder("registry:8081").build())
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("http(s)://host");
    }

    @Test
    void settingsShownDoNotContainThePassword() {
        // Given settings with credentials and a trust store password
        final SchemaRegistrySettings settings = SchemaRegistrySettings.builder("https://registry:8081")
                .basicAuth("svc:p4ssw0rd").trustStore(java.nio.file.Path.of("/etc/ca.p12"), "st0re-pw", "PKCS12").build();

        // When they are shown
        // Then no secret appears
        assertThat(settings.toString()).doesNotContain("p4ssw0rd").doesNotContain("st0re-pw").contains("[hidden]");
    }

    private static SchemaRegistryClient client(final SchemaRegistrySettings.Builder builder) {
        return new SchemaRegistryClient(builder
                .retryTimeout(Duration.ofSeconds(2))
                .backoff(Duration.ofMillis(10), Duration.ofMillis(50))
                .build());
    }
}
