package io.cartrescue.processor;

import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerRecord;
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

    private DeadLetters.Target target;

    @Override
    public void configure(final Map<String, ?> configs) {
        target = DeadLetters.Target.from(configs);
    }

    @Override
    public Response handleError(final ErrorHandlerContext context, final ConsumerRecord<byte[], byte[]> record,
                                final Exception exception) {
        if (Causes.isOutage(exception)) {
            LOG.error("schema registry unavailable while reading {}-{}@{}; the stream thread will retry",
                    record.topic(), record.partition(), record.offset(), exception);
            return Response.fail();
        }
        return Response.resume(List.of(target.record(context, "malformed", String.valueOf(exception))));
    }
}
