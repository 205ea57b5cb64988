package io.cartrescue.processor;

import io.cartrescue.detection.EventValidator;
import io.cartrescue.schema.StorefrontEvent;
import java.util.Optional;
import java.util.function.LongSupplier;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;

/**
 * The first node after the storefront source: passes on events that session detection can use and
 * sends the others to the dead-letter topic (by throwing {@link DeadLetterException}) with the
 * reason from {@link EventValidator}. Stateless. Judges event times against the same real clock
 * as {@link EventTimeExtractor} (not the punctuation clock, which a replay or a test may drive).
 */
public final class EventValidationProcessor implements Processor<String, StorefrontEvent, String, StorefrontEvent> {
    private final LongSupplier clock;
    private ProcessorContext<String, StorefrontEvent> context;

    public EventValidationProcessor() {
        this(System::currentTimeMillis);
    }

    EventValidationProcessor(final LongSupplier clock) {
        this.clock = clock;
    }

    @Override
    public void init(final ProcessorContext<String, StorefrontEvent> context) {
        this.context = context;
    }

    @Override
    public void process(final Record<String, StorefrontEvent> record) {
        final Optional<EventValidator.Problem> problem =
                EventValidator.check(record.value(), clock.getAsLong());
        if (problem.isPresent()) {
            throw new DeadLetterException(problem.get().reason(), problem.get().detail());
        }
        context.forward(record);
    }
}
