package io.cartrescue.http;

import io.cartrescue.processor.SessionDetectorProcessor;
import io.cartrescue.schema.SessionState;
import java.io.IOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Objects;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.KeyQueryMetadata;
import org.apache.kafka.streams.StoreQueryParameters;
import org.apache.kafka.streams.errors.InvalidStateStoreException;
import org.apache.kafka.streams.state.HostInfo;
import org.apache.kafka.streams.state.QueryableStoreTypes;
import org.apache.kafka.streams.state.ReadOnlyKeyValueStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Finds a live session in the {@value SessionDetectorProcessor#STATE_STORE} store, wherever it is:
 * an instance holds only the sessions of its partitions, so a request for a session another
 * instance owns is forwarded once to that instance (found from its {@code application.server}) and
 * its answer relayed. A forwarded request is answered where it lands, never forwarded again, so a
 * rebalance can cost a 503 but never a loop.
 */
public final class SessionLookup implements SessionSource {
    /** Header that marks a request forwarded by another instance. */
    public static final String FORWARDED_HEADER = "X-Cart-Rescue-Forwarded";
    private static final Logger LOG = LoggerFactory.getLogger(SessionLookup.class);
    private static final Duration FORWARD_TIMEOUT = Duration.ofSeconds(5);

    private final KafkaStreams streams;
    private final HostInfo self;
    private final SessionJson json = new SessionJson();
    private final HttpClient client;

    /**
     * @param streams the instance's Kafka Streams
     * @param self    this instance's {@code application.server}
     */
    public SessionLookup(final KafkaStreams streams, final HostInfo self) {
        this.streams = Objects.requireNonNull(streams, "streams");
        this.self = Objects.requireNonNull(self, "self");
        this.client = HttpClient.newBuilder().connectTimeout(FORWARD_TIMEOUT).build();
    }

    @Override
    public Reply find(final String sessionId, final boolean forwarded) {
        final KeyQueryMetadata owner;
        try {
            owner = streams.queryMetadataForKey(SessionDetectorProcessor.STATE_STORE, sessionId,
                    Serdes.String().serializer());
        } catch (final InvalidStateStoreException e) {
            return Reply.error(503, "not running yet; try again");
        }
        if (owner == null || KeyQueryMetadata.NOT_AVAILABLE.equals(owner)) {
            return Reply.error(503, "the session's owner is not known while the instances rebalance; try again");
        }
        if (self.equals(owner.activeHost())) {
            return local(sessionId, owner.partition());
        }
        if (forwarded) {
            return Reply.error(503, "the session is moving between instances; try again");
        }
        return forward(owner.activeHost(), sessionId);
    }

    private Reply local(final String sessionId, final int partition) {
        try {
            final ReadOnlyKeyValueStore<String, SessionState> store = streams.store(StoreQueryParameters
                    .fromNameAndType(SessionDetectorProcessor.STATE_STORE, QueryableStoreTypes.<String, SessionState>keyValueStore())
                    .withPartition(partition));
            final SessionState state = store.get(sessionId);
            return state == null ? Reply.error(404, "no live session with this id") : Reply.json(200, json.render(state));
        } catch (final InvalidStateStoreException e) {
            return Reply.error(503, "the session store is not available while the instance rebalances or restores; try again");
        }
    }

    private Reply forward(final HostInfo owner, final String sessionId) {
        try {
            final URI uri = new URI("http", null, owner.host(), owner.port(), Routes.SESSIONS + sessionId, null, null);
            final HttpResponse<String> response = client.send(HttpRequest.newBuilder(uri).GET()
                    .timeout(FORWARD_TIMEOUT).header(FORWARDED_HEADER, "true").build(), HttpResponse.BodyHandlers.ofString());
            return new Reply(response.statusCode(),
                    response.headers().firstValue("Content-Type").orElse(Reply.JSON), response.body());
        } catch (final IOException | URISyntaxException e) {
            LOG.warn("could not forward a session look-up to {}:{}: {}", owner.host(), owner.port(), e.toString());
            return Reply.error(502, "the instance that owns the session did not answer");
        } catch (final InterruptedException e) {
            Thread.currentThread().interrupt();
            return Reply.error(503, "interrupted");
        }
    }
}
