package io.cartrescue.topology;

import static org.assertj.core.api.Assertions.assertThat;

import io.cartrescue.policy.PolicyLoader;
import io.cartrescue.testing.PlainAvroSerdes;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

class WrittenSchemasTest {
    private static final String APP = "app";
    /** Stores whose values are not Avro (timer index: bytes; clock: longs) or which are not logged (global stores). */
    private static final Set<String> NOT_AVRO_CHANGELOGS = Set.of("session-timers", "arbitration-clock",
            "customer-profiles", "chat-capacity");

    @Test
    void listsEveryTopicTheTopologyWritesInAvro() {
        final TopicNames topics = TopicNames.defaults();
        final String description = CartRescueTopology.build(CartRescueTopology.Settings.defaults(TimeMode.LIVE),
                PolicyLoader.defaults(), new PlainAvroSerdes()).describe().toString();
        final Set<String> written = new TreeSet<>();
        final Matcher sinks = Pattern.compile("Sink: \\S+ \\(topic: ([^)]+)\\)").matcher(description);
        while (sinks.find()) {
            final String topic = sinks.group(1);
            written.add(topic.endsWith("-repartition") ? APP + "-" + topic : topic);
        }
        final Matcher stores = Pattern.compile("stores: \\[([^\\]]*)\\]").matcher(description);
        while (stores.find()) {
            for (final String store : stores.group(1).split(",\\s*")) {
                if (!store.isBlank() && !NOT_AVRO_CHANGELOGS.contains(store)) {
                    written.add(WrittenSchemas.changelog(APP, store));
                }
            }
        }

        assertThat(WrittenSchemas.of(APP, topics).keySet()).containsExactlyInAnyOrderElementsOf(written);
    }
}
