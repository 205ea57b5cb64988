package io.cartrescue.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import com.sun.net.httpserver.HttpServer;
import io.cartrescue.schema.StorefrontEvent;
import io.cartrescue.serde.SchemaRegistryClient;
import io.cartrescue.serde.SchemaRegistrySettings;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import org.apache.kafka.streams.errors.StreamsException;
import org.junit.jupiter.api.Test;

/** A registry that refuses cart-rescue while it runs stops the instance instead of looping over thread replacements. */
class RegistryRefusalTest {

    @Test
    void refusedCredentialsAreRecognisedThroughTheStreamsException() throws IOException {
        // Given what a stream thread dies of when the registry answers 401, and when it is down
        final Throwable refused = failureFromRegistryAnswering(401);
        final Throwable forbidden = failureFromRegistryAnswering(403);
        final Throwable down = new StreamsException("task failed", new IllegalStateException("connection refused"));

        // Then only a refusal stops the instance, and the message names the setting, not the secret
        assertThat(CartRescueRuntime.registryRefusal(refused)).hasValueSatisfying(message ->
                assertThat(message).contains("HTTP 401").contains("CART_RESCUE_SCHEMA_REGISTRY_BASIC_AUTH_USER_INFO")
                        .doesNotContain("s3cret"));
        assertThat(CartRescueRuntime.registryRefusal(forbidden)).hasValueSatisfying(message ->
                assertThat(message).contains("HTTP 403"));
        assertThat(CartRescueRuntime.registryRefusal(down)).isEmpty();
    }

    private static Throwable failureFromRegistryAnswering(final int status) throws IOException {
        final HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/", exchange -> {
            final byte[] body = ("{\"error_code\":" + status + ",\"message\":\"no\"}").getBytes(StandardCharsets.UTF_8);
            exchange.sendResponseHeaders(status, body.length);
            exchange.getResponseBody().write(body);
            exchange.close();
        });
        server.start();
        try {
            final SchemaRegistryClient client = new SchemaRegistryClient(SchemaRegistrySettings.builder(
                    "http://127.0.0.1:" + server.getAddress().getPort()).basicAuth("cart-rescue:s3cret").build());
            final Throwable thrown = catchThrowable(() -> client.register("events-value", StorefrontEvent.getClassSchema()));
            assertThat(thrown).isNotNull();
            return new StreamsException("Exception caught in process", thrown);
        } finally {
            server.stop(0);
        }
    }
}
