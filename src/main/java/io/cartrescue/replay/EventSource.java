package io.cartrescue.replay;

import io.cartrescue.schema.StorefrontEvent;
import java.io.IOException;

/** Where a replay's events come from: a file, line by line, or a recorded topic, record by record. */
public interface EventSource extends AutoCloseable {

    /**
     * One unit of input: an event, a problem, or nothing (a blank line, a header).
     *
     * @param position the line number in a file, or the record's place in the replay's order (from 1) for a topic
     * @param event    the event, or null
     * @param problem  why the unit could not be read, or null
     * @param topic    for a topic record: topic-partition; null for a file
     * @param offset   for a topic record: its offset; null for a file
     */
    record Item(long position, StorefrontEvent event, MalformedLineException problem, String topic, Long offset) {
        boolean skipped() {
            return event == null && problem == null;
        }
    }

    /** The next unit, or null at the end. */
    Item next() throws IOException;

    /** How far the source has been read, in the unit of {@link #total()}. */
    long progress();

    /** The size of the source: bytes of a file, records of a topic range. */
    long total();

    /** The name of the source, for the summary. */
    String name();

    @Override
    void close() throws IOException;
}
