package io.cartrescue.processor;

import io.cartrescue.detection.EventValidator;
import io.cartrescue.schema.StorefrontEvent;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.streams.processor.TimestampExtractor;

/**
 * Takes the event time from the storefront event's payload, so that stream time, lateness and
 * replay follow when things happened on the storefront, not when they reached Kafka. An implausible
 * event time (before 2000, or far ahead of the clock) must not drag stream time along: such a record
 * keeps the partition's current time and is sent to the dead-letter topic by the validator.
 */
public final class EventTimeExtractor implements TimestampExtractor {
    @Override
    public long extract(final ConsumerRecord<Object, Object> record, final long partitionTime) {
        return timestampOf(record.value(), record.timestamp(), partitionTime);
    }

    /** The time of a record with {@code value} and record timestamp {@code recordTime}, on a partition at {@code partitionTime}. */
    public static long timestampOf(final Object value, final long recordTime, final long partitionTime) {
        if (value instanceof StorefrontEvent event && event.getEventTime() != null) {
            final long t = event.getEventTime().toEpochMilli();
            if (EventValidator.plausibleTime(t, System.currentTimeMillis())) {
                return t;
            }
        }
        return partitionTime >= 0 ? partitionTime : Math.max(0, recordTime);
    }
}
