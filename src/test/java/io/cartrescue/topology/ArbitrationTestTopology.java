package io.cartrescue.topology;

import io.cartrescue.policy.Policy;
import io.cartrescue.processor.ArbitrationProcessorSupplier;
import io.cartrescue.processor.ArbitrationStores;
import io.cartrescue.processor.GlobalStoreUpdater;
import io.cartrescue.schema.ArbitrationInput;
import io.cartrescue.schema.ChatCapacity;
import io.cartrescue.schema.CustomerProfile;
import io.cartrescue.schema.Decision;
import io.cartrescue.schema.Intervention;
import io.cartrescue.serde.SerdeProvider;
import io.cartrescue.testing.PlainAvroSerdes;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.processor.TopicNameExtractor;

/**
 * A small topology around arbitration alone: the internal candidates topic as a source, the
 * arbitration processor with its stores, the two global stores, and one sink that routes each
 * output record to its topic by type and channel.
 */
final class ArbitrationTestTopology {
    static final String INPUT = "arbitration-input";
    static final TopicNames TOPICS = TopicNames.defaults();

    private ArbitrationTestTopology() {
    }

    static Topology build(final Policy policy, final TimeMode timeMode) {
        final SerdeProvider serdes = new PlainAvroSerdes();
        final Topology topology = new Topology();
        topology.addGlobalStore(ArbitrationStores.profiles(serdes), "customer-profiles-source", new StringDeserializer(),
                serdes.valueSerde(CustomerProfile.class).deserializer(), TOPICS.profiles(), "customer-profiles-updater",
                GlobalStoreUpdater.supplier(ArbitrationStores.PROFILES));
        topology.addGlobalStore(ArbitrationStores.chatCapacity(serdes), "chat-capacity-source", new StringDeserializer(),
                serdes.valueSerde(ChatCapacity.class).deserializer(), TOPICS.chatCapacity(), "chat-capacity-updater",
                GlobalStoreUpdater.supplier(ArbitrationStores.CHAT_CAPACITY));
        topology.addSource("arbitration-input-source", new StringDeserializer(),
                serdes.valueSerde(ArbitrationInput.class).deserializer(), INPUT);
        topology.addProcessor("arbitrate", new ArbitrationProcessorSupplier(policy, timeMode, serdes), "arbitration-input-source");
        final TopicNameExtractor<String, SpecificRecord> byType = (key, value, recordContext) -> topicOf(value);
        topology.addSink("arbitration-outputs", byType, new StringSerializer(), PlainAvroSerdes.anyRecordSerializer(), "arbitrate");
        return topology;
    }

    static String topicOf(final SpecificRecord value) {
        if (value instanceof Intervention intervention) {
            return switch (intervention.getChannel()) {
                case CHAT -> TOPICS.chatInterventions();
                case MARKETING -> TOPICS.marketingInterventions();
                default -> TOPICS.onsiteInterventions();
            };
        }
        return value instanceof Decision ? TOPICS.decisions() : TOPICS.outcomes();
    }
}
