package io.cartrescue.local;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The registry behaves like Confluent's where the project relies on it, and keeps ids when asked to. */
class LocalRegistryIT {

    private static final String SUBJECT = "registry-it-value";
    private static final String V1 = "{\"type\":\"record\",\"name\":\"Cart\",\"fields\":["
            + "{\"name\":\"id\",\"type\":\"string\"}]}";
    private static final String V2_WITH_DEFAULT = "{\"type\":\"record\",\"name\":\"Cart\",\"fields\":["
            + "{\"name\":\"id\",\"type\":\"string\"},{\"name\":\"items\",\"type\":\"int\",\"default\":0}]}";
    private static final String V2_WITHOUT_DEFAULT = "{\"type\":\"record\",\"name\":\"Cart\",\"fields\":["
            + "{\"name\":\"id\",\"type\":\"string\"},{\"name\":\"total\",\"type\":\"int\"}]}";

    private final ObjectMapper json = new ObjectMapper();
    private final HttpClient http = HttpClient.newHttpClient();

    @TempDir
    Path workDir;

    @Test
    void defaultCompatibilityIsBackwardAndIdsSurviveARestartWithH2FileStorage() throws Exception {
        final LocalInfra infra = LocalInfra.locate();
        final int v1;
        final int v2;
        try (LocalRegistry registry = LocalRegistry.start(workDir, infra, LocalRegistry.Storage.H2_FILE)) {
            assertThat(get(registry.url() + "/config").body()).contains("\"BACKWARD\"");

            v1 = register(registry.url(), V1).path("id").asInt();
            v2 = register(registry.url(), V2_WITH_DEFAULT).path("id").asInt();
            assertThat(v2).isNotEqualTo(v1);

            final HttpResponse<String> incompatible = post(registry.url(), V2_WITHOUT_DEFAULT);
            assertThat(incompatible.statusCode()).isEqualTo(409);
            assertThat(json.readTree(incompatible.body()).path("error_code").asInt()).isEqualTo(409);
        }

        try (LocalRegistry restarted = LocalRegistry.start(workDir, infra, LocalRegistry.Storage.H2_FILE)) {
            assertThat(json.readTree(json.readTree(get(restarted.url() + "/schemas/ids/" + v1).body())
                    .path("schema").asText())).isEqualTo(json.readTree(V1));
            assertThat(register(restarted.url(), V2_WITH_DEFAULT).path("id").asInt()).isEqualTo(v2);
        }
    }

    private JsonNode register(final String url, final String schema) throws Exception {
        final HttpResponse<String> response = post(url, schema);
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        return json.readTree(response.body());
    }

    private HttpResponse<String> post(final String url, final String schema) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create(url + "/subjects/" + SUBJECT + "/versions"))
                .header("Content-Type", "application/vnd.schemaregistry.v1+json")
                .POST(HttpRequest.BodyPublishers.ofString(
                        json.writeValueAsString(Map.of("schemaType", "AVRO", "schema", schema))))
                .build(), HttpResponse.BodyHandlers.ofString());
    }

    private HttpResponse<String> get(final String url) throws Exception {
        final HttpResponse<String> response = http.send(HttpRequest.newBuilder(URI.create(url)).GET().build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        return response;
    }
}
