package io.cartrescue.topology;

import io.cartrescue.processor.DeadLetterDeserializationHandler;
import io.cartrescue.processor.DeadLetterProcessingHandler;
import io.cartrescue.processor.DeadLetterProductionHandler;
import io.cartrescue.processor.DeadLetters;
import java.util.Properties;
import org.apache.kafka.streams.StreamsConfig;

/**
 * The Kafka Streams settings that cart-rescue's correctness depends on, whatever the operator
 * configures besides: exactly-once processing, and the dead-letter handlers (deserialisation,
 * processing, serialisation of outputs) with their topic.
 */
public final class StreamsProperties {
    private StreamsProperties() {
    }

    /** The settings cart-rescue needs; a new object each call, the caller's own to add to. */
    public static Properties required(final String applicationId, final String bootstrapServers,
                                      final TopicNames topics, final DeadLetters deadLetters) {
        final Properties props = new Properties();
        props.put(StreamsConfig.APPLICATION_ID_CONFIG, applicationId);
        props.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        props.put(StreamsConfig.PROCESSING_GUARANTEE_CONFIG, StreamsConfig.EXACTLY_ONCE_V2);
        props.put(StreamsConfig.ERRORS_DEAD_LETTER_QUEUE_TOPIC_NAME_CONFIG, topics.deadLetters());
        props.put(StreamsConfig.PROCESSING_EXCEPTION_HANDLER_CLASS_CONFIG, DeadLetterProcessingHandler.class.getName());
        props.put(StreamsConfig.DESERIALIZATION_EXCEPTION_HANDLER_CLASS_CONFIG, DeadLetterDeserializationHandler.class.getName());
        props.put(StreamsConfig.PRODUCTION_EXCEPTION_HANDLER_CLASS_CONFIG, DeadLetterProductionHandler.class.getName());
        props.put(StreamsConfig.PROCESSING_EXCEPTION_HANDLER_GLOBAL_ENABLED_CONFIG, true);
        props.put(DeadLetterProcessingHandler.DEAD_LETTERS_CONFIG, deadLetters);
        return props;
    }
}
