package io.cartrescue.processor;

import io.cartrescue.serde.SchemaRegistryException;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.errors.RetriableException;
import org.apache.kafka.streams.errors.ErrorHandlerContext;
import org.apache.kafka.streams.errors.ProductionExceptionHandler;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps one record whose output cannot be serialised from stopping a partition. Kafka Streams'
 * default fails the stream thread; the thread is replaced, processes the same input record again,
 * fails again, and the partition is stuck for good. Here the input record that led to the output
 * goes to the dead-letter topic as {@code processing-error} (a defect in cart-rescue: an output it
 * built cannot be written with its schema), with the stack trace in the log, and processing goes on.
 *
 * <p>What is not the record's fault still fails the thread, to be retried by its replacement: the
 * schema registry unreachable or refusing (credentials, compatibility, a schema not registered), and
 * every error of the send itself (retriable ones are retried, as by Kafka Streams' default).
 */
public final class DeadLetterProductionHandler implements ProductionExceptionHandler {
    private static final Logger LOG = LoggerFactory.getLogger(DeadLetterProductionHandler.class);

    private DeadLetters.Target target;

    @Override
    public void configure(final Map<String, ?> configs) {
        target = DeadLetters.Target.from(configs);
    }

    @Override
    public Response handleError(final ErrorHandlerContext context, final ProducerRecord<byte[], byte[]> record,
                                final Exception exception) {
        return exception instanceof RetriableException ? Response.retry() : Response.fail();
    }

    @Override
    @SuppressWarnings("rawtypes")
    public Response handleSerializationError(final ErrorHandlerContext context, final ProducerRecord record,
                                             final Exception exception, final SerializationExceptionOrigin origin) {
        if (Causes.isOutage(exception) || Causes.find(exception, SchemaRegistryException.class).isPresent()) {
            LOG.error("schema registry unavailable or refusing while writing to {}; the stream thread will retry",
                    record.topic(), exception);
            return Response.fail();
        }
        LOG.error("cannot serialise the {} of a record for {} in node {}, made from the record at {}-{}@{};"
                        + " that record goes to the dead-letter topic", origin, record.topic(), context.processorNodeId(),
                context.topic(), context.partition(), context.offset(), exception);
        return Response.resume(List.of(target.record(context, "processing-error", String.valueOf(exception))));
    }
}
