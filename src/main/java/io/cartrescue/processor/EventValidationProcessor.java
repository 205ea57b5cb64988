package io.cartrescue.processor;

import io.cartrescue.detection.EventValidator;
import io.cartrescue.schema.StorefrontEvent;
import java.util.Optional;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;

/**
 * The first node after the storefront source: passes on events that session detection can use and
 * sends the others to the dead-letter topic (by throwing {@link DeadLetterException}) with the
 * reason from {@link EventValidator}. Stateless.
 */
public final class EventValidationProcessor implements Processor<String, StorefrontEvent, String, StorefrontEvent> {
    private ProcessorContext<String, StorefrontEvent> context;

    @Override
    public void init(final ProcessorContext<String, StorefrontEvent> context) {
        this.context = context;
    }

    @Override
    public void process(final Record<String, StorefrontEvent> record) {
        final Optional<EventValidator.Problem> problem =
                EventValidator.check(record.value(), context.currentSystemTimeMs());
        if (problem.isPresent()) {
            throw new DeadLetterException(problem.get().reason(), problem.get().detail());
        }
        context.forward(record);
    }
}
