package io.cartrescue.processor;

import java.util.List;
import java.util.Map;
import org.apache.kafka.streams.errors.ErrorHandlerContext;
import org.apache.kafka.streams.errors.ProcessingExceptionHandler;
import org.apache.kafka.streams.processor.api.Record;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Sends a record that a processor could not use to the dead-letter topic and lets processing go on.
 * A {@link DeadLetterException} carries its own reason (late, invalid-time, ...); any other exception
 * is a defect in cart-rescue: the record still goes to the dead-letter topic, as
 * {@code processing-error}, with the exception in the detail and the stack trace in the log, so that
 * one bad record cannot stop the shop's interventions in a crash loop. An outage (the schema
 * registry unreachable while reading or writing a store or an internal topic) is not the record's
 * fault: the stream thread fails, is replaced, and processes the record again.
 */
public final class DeadLetterProcessingHandler implements ProcessingExceptionHandler {
    /** Config key under which the application passes its shared {@link DeadLetters}. */
    public static final String DEAD_LETTERS_CONFIG = "cart-rescue.dead-letters";
    private static final Logger LOG = LoggerFactory.getLogger(DeadLetterProcessingHandler.class);

    private DeadLetters.Target target;

    @Override
    public void configure(final Map<String, ?> configs) {
        target = DeadLetters.Target.from(configs);
    }

    @Override
    public Response handleError(final ErrorHandlerContext context, final Record<?, ?> record, final Exception exception) {
        if (exception instanceof DeadLetterException dead) {
            return Response.resume(List.of(target.record(context, dead.reason(), dead.getMessage())));
        }
        if (Causes.isOutage(exception)) {
            LOG.error("outage in node {} at {}-{}@{}; the stream thread will retry the record",
                    context.processorNodeId(), context.topic(), context.partition(), context.offset(), exception);
            return Response.fail();
        }
        LOG.error("processing error in node {} for the record at {}-{}@{}; sent to the dead-letter topic",
                context.processorNodeId(), context.topic(), context.partition(), context.offset(), exception);
        return Response.resume(List.of(target.record(context, "processing-error", String.valueOf(exception))));
    }
}
