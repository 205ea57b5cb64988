package io.cartrescue.topology;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.config.TopicConfig;

/**
 * The topics cart-rescue reads and writes (not its internal ones, which Kafka Streams creates), with
 * their settings: profiles and chat capacity are compacted (latest value per key is the truth).
 */
public final class TopicPlan {
    private TopicPlan() {
    }

    /**
     * @param partitions        partitions of each topic
     * @param replicationFactor replicas, or -1 for the broker's default
     */
    public static List<NewTopic> topics(final TopicNames names, final int partitions, final short replicationFactor) {
        final Optional<Short> replicas = replicationFactor < 0 ? Optional.empty() : Optional.of(replicationFactor);
        final List<NewTopic> topics = new ArrayList<>();
        for (final String name : List.of(names.events(), names.chatInterventions(), names.onsiteInterventions(),
                names.marketingInterventions(), names.decisions(), names.outcomes(), names.deadLetters())) {
            topics.add(new NewTopic(name, Optional.of(partitions), replicas));
        }
        for (final String compacted : List.of(names.profiles(), names.chatCapacity())) {
            topics.add(new NewTopic(compacted, Optional.of(partitions), replicas)
                    .configs(Map.of(TopicConfig.CLEANUP_POLICY_CONFIG, TopicConfig.CLEANUP_POLICY_COMPACT)));
        }
        return topics;
    }
}
