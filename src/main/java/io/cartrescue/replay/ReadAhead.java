package io.cartrescue.replay;

import io.cartrescue.schema.StorefrontEvent;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.function.Function;

/**
 * Reads an event source ahead on a thread of its own, so that reading, parsing and encoding the
 * input overlap with the topology's work on the replay's thread. The reader also hands every item
 * to a tally (counts, funnel) and encodes every event as the topology's source reads it. The items
 * come out in the order the source gives them, in batches of {@value #BATCH}, with at most
 * {@value #BATCHES} batches waiting; a failure of the source is thrown by {@link #next()} where the
 * source threw it. The queue is kept short (about two thousand events): the replay's thread then
 * takes events while they are still in the processor cache the reader left them in, instead of
 * fetching tens of megabytes of them back from memory. What the tally counted is visible to the replay's thread once {@link #next()}
 * has returned null.
 */
final class ReadAhead implements AutoCloseable {
    static final int BATCH = 256;
    static final int BATCHES = 8;

    private final EventSource source;
    private final Function<StorefrontEvent, byte[]> encoder;
    private final Consumer<EventSource.Item> tally;
    private final String name;
    private final long total;
    private final BlockingQueue<Batch> queue = new ArrayBlockingQueue<>(BATCHES);
    private final Thread reader;
    private volatile boolean closed;
    private Batch batch = new Batch(List.of(), 0, 0, null, false);
    private int index;
    private long events;

    /**
     * One item as read, with its event encoded (null if it has none).
     *
     * @param item    the item
     * @param encoded the event, as the topology's source reads it
     */
    record Read(EventSource.Item item, byte[] encoded) {
    }

    /** What the reader hands over: items, how far the source was read after them, and how it ended. */
    private record Batch(List<Read> items, long progress, long events, Throwable failure, boolean last) {
    }

    /**
     * @param source  the source, closed with this
     * @param encoder encodes an event for the topology (called on the reader's thread)
     * @param tally   sees every item, in order (called on the reader's thread)
     */
    ReadAhead(final EventSource source, final Function<StorefrontEvent, byte[]> encoder,
              final Consumer<EventSource.Item> tally) {
        this.source = source;
        this.encoder = encoder;
        this.tally = tally;
        this.name = source.name();
        this.total = source.total();
        this.reader = new Thread(this::read, "replay-reader");
        reader.setDaemon(true);
        reader.start();
    }

    /** The next item, or null at the end. */
    Read next() throws IOException {
        while (index == batch.items().size()) {
            if (batch.failure() != null) {
                throw rethrow(batch.failure());
            }
            if (batch.last()) {
                return null;
            }
            try {
                batch = queue.take();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new InterruptedIOException("interrupted while waiting for input");
            }
            index = 0;
        }
        return batch.items().get(index++);
    }

    private void read() {
        List<Read> items = new ArrayList<>(BATCH);
        try {
            for (EventSource.Item item = source.next(); item != null; item = source.next()) {
                tally.accept(item);
                if (item.event() != null) {
                    events++;
                }
                items.add(new Read(item, item.event() == null ? null : encoder.apply(item.event())));
                if (items.size() == BATCH) {
                    hand(new Batch(items, source.progress(), events, null, false));
                    items = new ArrayList<>(BATCH);
                }
            }
            hand(new Batch(items, source.progress(), events, null, true));
        } catch (IOException | RuntimeException | Error e) {
            handQuietly(new Batch(items, source.progress(), events, e, true));
        } catch (InterruptedException e) {
            // closed: nobody reads any further
        }
    }

    private void hand(final Batch next) throws InterruptedException {
        while (!closed) {
            if (queue.offer(next, 100, TimeUnit.MILLISECONDS)) {
                return;
            }
        }
        throw new InterruptedException("closed");
    }

    private void handQuietly(final Batch next) {
        try {
            hand(next);
        } catch (InterruptedException e) {
            // closed: nobody reads the failure
        }
    }

    private static IOException rethrow(final Throwable failure) {
        if (failure instanceof IOException io) {
            return io;
        }
        if (failure instanceof RuntimeException runtime) {
            throw runtime;
        }
        if (failure instanceof Error error) {
            throw error;
        }
        return new IOException(failure);
    }

    /** How far the source had been read when the items handed out so far were read. */
    long progress() {
        return batch.progress();
    }

    /** Events among the items read when the items handed out so far were read. */
    long events() {
        return batch.events();
    }

    /** The size of the source, in the unit of {@link #progress()}. */
    long total() {
        return total;
    }

    /** The source's name. */
    String name() {
        return name;
    }

    @Override
    public void close() throws IOException {
        closed = true;
        try {
            reader.join();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        source.close();
    }
}
