package io.cartrescue.topology;

import io.cartrescue.metrics.CartRescueMetrics;
import io.cartrescue.policy.Policy;
import io.cartrescue.processor.ArbitrationProcessor;
import io.cartrescue.processor.ArbitrationProcessorSupplier;
import io.cartrescue.processor.ArbitrationStores;
import io.cartrescue.processor.EventTimeExtractor;
import io.cartrescue.processor.GlobalStoreUpdater;
import io.cartrescue.processor.EventValidationProcessor;
import io.cartrescue.processor.SessionDetectorProcessor;
import io.cartrescue.schema.ArbitrationInput;
import io.cartrescue.schema.Channel;
import io.cartrescue.schema.ChatCapacity;
import io.cartrescue.schema.CustomerProfile;
import io.cartrescue.schema.Decision;
import io.cartrescue.schema.Intervention;
import io.cartrescue.schema.Outcome;
import io.cartrescue.schema.SessionState;
import io.cartrescue.schema.StorefrontEvent;
import io.cartrescue.serde.SerdeProvider;
import java.time.Duration;
import java.util.Map;
import java.util.Objects;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.kstream.Branched;
import org.apache.kafka.streams.kstream.Consumed;
import org.apache.kafka.streams.kstream.KStream;
import org.apache.kafka.streams.kstream.Named;
import org.apache.kafka.streams.kstream.Produced;
import org.apache.kafka.streams.kstream.Repartitioned;

/**
 * Wires the cart-rescue graph; the logic lives in the processors and the domain packages. Building
 * it has no side effects: it reads its arguments, creates no topics and changes no configuration.
 * {@code topology/topology.txt} holds its description and a test keeps the two equal.
 */
public final class CartRescueTopology {
    /** Name of the repartition of events that were not keyed by session id. */
    public static final String EVENTS_BY_SESSION = "events-by-session";
    /** Name of the repartition of candidates and notices by customer key. */
    public static final String ARBITRATION_INPUT = "arbitration-input";

    private CartRescueTopology() {
    }

    /**
     * How the graph is built, apart from the policy.
     *
     * @param topics              topic names
     * @param timeMode            wall-clock (live) or stream-time (replay) timers
     * @param punctuationInterval how often timers are looked at (wall clock in LIVE, stream time in REPLAY)
     * @param streamPartitions    the number of partitions of the events topic, which is the number of
     *                            session-detection tasks whose progress arbitration waits for in REPLAY
     * @param storeKind           where the processors keep their state: persistent (a running
     *                            application) or in memory (a replay); the graph is the same
     */
    public record Settings(TopicNames topics, TimeMode timeMode, Duration punctuationInterval, int streamPartitions,
                           StoreKind storeKind) {
        public Settings {
            Objects.requireNonNull(topics, "topics");
            Objects.requireNonNull(timeMode, "timeMode");
            Objects.requireNonNull(punctuationInterval, "punctuationInterval");
            Objects.requireNonNull(storeKind, "storeKind");
            if (streamPartitions < 1) {
                throw new IllegalArgumentException("streamPartitions must be at least 1, not " + streamPartitions);
            }
        }

        /** Persistent stores, as a running application needs, and an events topic of one partition. */
        public Settings(final TopicNames topics, final TimeMode timeMode, final Duration punctuationInterval) {
            this(topics, timeMode, punctuationInterval, 1, StoreKind.PERSISTENT);
        }

        /** The same settings with stores of {@code kind}. */
        public Settings withStoreKind(final StoreKind kind) {
            return new Settings(topics, timeMode, punctuationInterval, streamPartitions, kind);
        }

        /** Default topics; timers looked at every 200 ms of wall clock (LIVE) or every second of stream time (REPLAY). */
        public static Settings defaults(final TimeMode timeMode) {
            return new Settings(TopicNames.defaults(), timeMode,
                    timeMode == TimeMode.LIVE ? Duration.ofMillis(200) : Duration.ofSeconds(1));
        }

        /** The same settings for an events topic of {@code partitions} partitions. */
        public Settings withStreamPartitions(final int partitions) {
            return new Settings(topics, timeMode, punctuationInterval, partitions, storeKind);
        }
    }

    /** The whole graph, recording no metrics. */
    public static Topology build(final Settings settings, final Policy policy, final SerdeProvider serdes) {
        return build(settings, policy, serdes, CartRescueMetrics.none());
    }

    /** The whole graph, its processors reporting to {@code metrics}; the same graph whatever the metrics. */
    public static Topology build(final Settings settings, final Policy policy, final SerdeProvider serdes,
                                 final CartRescueMetrics metrics) {
        final StreamsBuilder builder = new StreamsBuilder();
        final Serde<StorefrontEvent> eventSerde = serdes.valueSerde(StorefrontEvent.class);
        final KStream<String, StorefrontEvent> sessionEvents = sessionKeyedEvents(builder, settings.topics(), eventSerde);
        final KStream<String, ArbitrationInput> toArbitration = sessionEvents
                .process(SessionDetectorProcessor.supplier(policy, settings.timeMode(), settings.punctuationInterval(),
                        settings.streamPartitions(), serdes.valueSerde(SessionState.class), metrics, settings.storeKind()),
                        Named.as(SessionDetectorProcessor.NODE))
                .repartition(Repartitioned.<String, ArbitrationInput>as(ARBITRATION_INPUT)
                        .withKeySerde(Serdes.String())
                        .withValueSerde(serdes.valueSerde(ArbitrationInput.class))
                        .withStreamPartitioner(new ProgressToEveryPartition()));
        addGlobalStores(builder, settings.topics(), serdes, settings.storeKind());
        final KStream<String, SpecificRecord> outputs = toArbitration.process(
                new ArbitrationProcessorSupplier(policy, settings.timeMode(), serdes, metrics, settings.storeKind()),
                Named.as(ArbitrationProcessor.NODE));
        routeOutputs(outputs, settings.topics(), serdes);
        return builder.build();
    }

    /** Customer profiles and chat capacity, read by arbitration on every instance. */
    private static void addGlobalStores(final StreamsBuilder builder, final TopicNames topics, final SerdeProvider serdes,
                                        final StoreKind kind) {
        builder.addGlobalStore(ArbitrationStores.profiles(serdes, kind), topics.profiles(),
                Consumed.with(Serdes.String(), serdes.valueSerde(CustomerProfile.class)).withName("customer-profiles"),
                GlobalStoreUpdater.supplier(ArbitrationStores.PROFILES));
        builder.addGlobalStore(ArbitrationStores.chatCapacity(serdes, kind), topics.chatCapacity(),
                Consumed.with(Serdes.String(), serdes.valueSerde(ChatCapacity.class)).withName("chat-capacity"),
                GlobalStoreUpdater.supplier(ArbitrationStores.CHAT_CAPACITY));
    }

    /** Interventions to their channel's topic, decisions and outcomes to theirs. */
    private static void routeOutputs(final KStream<String, SpecificRecord> outputs, final TopicNames topics,
                                     final SerdeProvider serdes) {
        final Serde<SpecificRecord> interventions = anyRecord(serdes.valueSerde(Intervention.class));
        outputs.split(Named.as("route-"))
                .branch((key, value) -> value instanceof Intervention i && i.getChannel() == Channel.CHAT,
                        Branched.withConsumer(s -> s.to(topics.chatInterventions(),
                                Produced.with(Serdes.String(), interventions).withName("to-chat")), "chat"))
                .branch((key, value) -> value instanceof Intervention i && i.getChannel() == Channel.MARKETING,
                        Branched.withConsumer(s -> s.to(topics.marketingInterventions(),
                                Produced.with(Serdes.String(), interventions).withName("to-marketing")), "marketing"))
                .branch((key, value) -> value instanceof Intervention,
                        Branched.withConsumer(s -> s.to(topics.onsiteInterventions(),
                                Produced.with(Serdes.String(), interventions).withName("to-onsite")), "onsite"))
                .branch((key, value) -> value instanceof Decision,
                        Branched.withConsumer(s -> s.to(topics.decisions(),
                                Produced.with(Serdes.String(), anyRecord(serdes.valueSerde(Decision.class)))
                                        .withName("to-decisions")), "decisions"))
                .branch((key, value) -> value instanceof Outcome,
                        Branched.withConsumer(s -> s.to(topics.outcomes(),
                                Produced.with(Serdes.String(), anyRecord(serdes.valueSerde(Outcome.class)))
                                        .withName("to-outcomes")), "outcomes"))
                .noDefaultBranch();
    }

    /** A serde of one record type used on a stream of several: each branch only carries its own type. */
    @SuppressWarnings("unchecked")
    private static <T extends SpecificRecord> Serde<SpecificRecord> anyRecord(final Serde<T> serde) {
        return (Serde<SpecificRecord>) (Serde<?>) serde;
    }

    /**
     * Storefront events, validated, keyed by session id: those that arrive keyed by another key (or
     * none) are re-keyed through the {@value #EVENTS_BY_SESSION} repartition topic.
     */
    private static KStream<String, StorefrontEvent> sessionKeyedEvents(final StreamsBuilder builder,
                                                                      final TopicNames topics,
                                                                      final Serde<StorefrontEvent> eventSerde) {
        final KStream<String, StorefrontEvent> valid = builder
                .stream(topics.events(), Consumed.with(Serdes.String(), eventSerde)
                        .withTimestampExtractor(new EventTimeExtractor())
                        .withName("storefront-events"))
                .process(EventValidationProcessor::new, Named.as("validate-events"));
        final Map<String, KStream<String, StorefrontEvent>> routes = valid
                .split(Named.as("key-"))
                .branch((key, event) -> event.getSessionId().equals(key), Branched.as("by-session"))
                .defaultBranch(Branched.as("other"));
        final KStream<String, StorefrontEvent> rekeyed = routes.get("key-other")
                .selectKey((key, event) -> event.getSessionId(), Named.as("rekey-by-session"))
                .repartition(Repartitioned.<String, StorefrontEvent>as(EVENTS_BY_SESSION)
                        .withKeySerde(Serdes.String())
                        .withValueSerde(eventSerde));
        return routes.get("key-by-session").merge(rekeyed, Named.as("session-events"));
    }
}
