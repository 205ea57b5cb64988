package io.cartrescue.processor;

import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.errors.RetriableException;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.errors.DeserializationExceptionHandler;
import org.apache.kafka.streams.errors.ErrorHandlerContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Sends input that cannot be deserialised (wrong magic byte, unknown schema id, truncated or
 * unreadable Avro) to the dead-letter topic as {@code malformed} and goes on. An outage of the
 * schema registry is not bad input: the stream thread fails, is replaced, and reads the record
 * again, so no record is dead-lettered because a registry was down.
 */
public final class DeadLetterDeserializationHandler implements DeserializationExceptionHandler {
    private static final Logger LOG = LoggerFactory.getLogger(DeadLetterDeserializationHandler.class);

    private String topic;
    private DeadLetters deadLetters;

    @Override
    public void configure(final Map<String, ?> configs) {
        topic = (String) configs.get(StreamsConfig.ERRORS_DEAD_LETTER_QUEUE_TOPIC_NAME_CONFIG);
        final Object shared = configs.get(DeadLetterProcessingHandler.DEAD_LETTERS_CONFIG);
        deadLetters = shared instanceof DeadLetters d ? d : new DeadLetters();
        if (topic == null || topic.isBlank()) {
            throw new IllegalStateException(StreamsConfig.ERRORS_DEAD_LETTER_QUEUE_TOPIC_NAME_CONFIG + " must be set");
        }
    }

    @Override
    public Response handleError(final ErrorHandlerContext context, final ConsumerRecord<byte[], byte[]> record,
                                final Exception exception) {
        if (isOutage(exception)) {
            LOG.error("schema registry unavailable while reading {}-{}@{}; the stream thread will retry",
                    record.topic(), record.partition(), record.offset(), exception);
            return Response.fail();
        }
        return Response.resume(List.of(deadLetters.record(topic, context, "malformed", String.valueOf(exception))));
    }

    static boolean isOutage(final Throwable exception) {
        for (Throwable t = exception; t != null; t = t.getCause()) {
            if (t instanceof RetriableException) {
                return true;
            }
        }
        return false;
    }
}
