package io.cartrescue.http;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import org.apache.kafka.streams.KafkaStreams.State;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The server and its routes on a loopback socket, with a fake session source instead of Kafka Streams. */
class AppServerTest {
    private final StreamsHealth health = new StreamsHealth();
    private final List<String> looked = new ArrayList<>();
    private final HttpClient client = HttpClient.newHttpClient();
    private AppServer server;

    @BeforeEach
    void start() {
        server = AppServer.bind(new HttpSettings("127.0.0.1", 0));
        server.start(new Routes(health, () -> "# metrics\nup 1\n", (id, forwarded) -> {
            looked.add(id + (forwarded ? " (forwarded)" : ""));
            return "known".equals(id) ? Reply.json(200, "{\"sessionId\":\"known\"}") : Reply.error(404, "no live session");
        }));
    }

    @AfterEach
    void stop() {
        server.close();
    }

    private HttpResponse<String> get(final String path, final String... headers) throws Exception {
        final HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port() + path));
        if (headers.length > 0) {
            request.headers(headers);
        }
        return client.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void bindsAFreePortWhenAskedForZeroAndAdvertisesIt() {
        assertThat(server.port()).isPositive();
        assertThat(server.advertised().host()).isEqualTo("127.0.0.1");
        assertThat(server.advertised().port()).isEqualTo(server.port());
    }

    @Test
    void readinessFollowsTheStreamsState() throws Exception {
        assertThat(get(Routes.READY).statusCode()).isEqualTo(503);
        health.onChange(State.REBALANCING, State.CREATED);
        health.onChange(State.RUNNING, State.REBALANCING);

        final HttpResponse<String> ready = get(Routes.READY);
        assertThat(ready.statusCode()).isEqualTo(200);
        assertThat(ready.body()).isEqualTo("{\"ready\":true,\"state\":\"RUNNING\"}");
        assertThat(ready.headers().firstValue("Content-Type")).hasValue(Reply.JSON);
        assertThat(get(Routes.LIVE).statusCode()).isEqualTo(200);
    }

    @Test
    void metricsAreServedAsPrometheusText() throws Exception {
        final HttpResponse<String> metrics = get(Routes.METRICS);
        assertThat(metrics.statusCode()).isEqualTo(200);
        assertThat(metrics.headers().firstValue("Content-Type")).hasValue(Routes.PROMETHEUS_TEXT);
        assertThat(metrics.body()).contains("up 1");
    }

    @Test
    void sessionIdsAreDecodedAndTheForwardedMarkIsPassedOn() throws Exception {
        assertThat(get("/sessions/known").statusCode()).isEqualTo(200);
        assertThat(get("/sessions/a%20b%3Fc").statusCode()).isEqualTo(404);
        assertThat(get("/sessions/known", SessionLookup.FORWARDED_HEADER, "true").body()).contains("known");
        assertThat(looked).containsExactly("known", "a b?c", "known (forwarded)");
    }

    @Test
    void unknownPathsAndIdsThatCannotBeSessionsAre404WithoutALookUp() throws Exception {
        assertThat(get("/").statusCode()).isEqualTo(404);
        assertThat(get("/sessions/").statusCode()).isEqualTo(404);
        assertThat(get("/sessions/a/b").statusCode()).isEqualTo(404);
        assertThat(get("/sessions/" + "x".repeat(Routes.MAX_SESSION_ID_LENGTH + 1)).statusCode()).isEqualTo(404);
        assertThat(looked).isEmpty();
    }

    @Test
    void onlyGetIsServed() throws Exception {
        final HttpResponse<String> post = client.send(HttpRequest.newBuilder(
                        URI.create("http://127.0.0.1:" + server.port() + Routes.READY))
                .POST(HttpRequest.BodyPublishers.ofString("x")).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(post.statusCode()).isEqualTo(405);
        assertThat(post.headers().firstValue("Allow")).hasValue("GET");
    }
}
