package io.cartrescue.processor;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.apache.kafka.common.utils.Bytes;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;

/**
 * Due times of timers, kept in a key-value store ordered by time: the key is the due time (8 bytes,
 * big-endian, so byte order is time order) followed by the id of what is due. Reading what is due
 * is a range scan that stops at "now", so its cost grows with the number of due timers, not with
 * the number of timers.
 */
public final class TimerIndex {
    private final KeyValueStore<Bytes, byte[]> store;
    private static final byte[] EMPTY = new byte[0];
    /** Lowest due time that may be in the store; scans start here, past the tombstones of fired timers. */
    private long scanFrom;

    public TimerIndex(final KeyValueStore<Bytes, byte[]> store) {
        this.store = store;
        this.scanFrom = 0;
    }

    /** A timer that is due. */
    public record Due(long dueAt, String id) {
    }

    public void schedule(final long dueAt, final String id) {
        store.put(key(dueAt, id), EMPTY);
        scanFrom = Math.min(scanFrom, dueAt);
    }

    public void cancel(final long dueAt, final String id) {
        store.delete(key(dueAt, id));
    }

    /** Removes and returns up to {@code max} timers due at or before {@code now}, earliest first. */
    public List<Due> takeDue(final long now, final int max) {
        final List<Due> due = new ArrayList<>();
        if (now < scanFrom) {
            return due;
        }
        try (KeyValueIterator<Bytes, byte[]> it = store.range(prefix(scanFrom), prefix(now + 1))) {
            while (it.hasNext() && due.size() < max) {
                final KeyValue<Bytes, byte[]> entry = it.next();
                due.add(decode(entry.key.get()));
            }
        }
        for (final Due d : due) {
            store.delete(key(d.dueAt(), d.id()));
        }
        scanFrom = due.size() < max ? now + 1 : due.get(due.size() - 1).dueAt();
        return due;
    }

    static Bytes key(final long dueAt, final String id) {
        final byte[] idBytes = id.getBytes(StandardCharsets.UTF_8);
        return Bytes.wrap(ByteBuffer.allocate(Long.BYTES + idBytes.length).putLong(dueAt).put(idBytes).array());
    }

    private static Bytes prefix(final long dueAt) {
        return Bytes.wrap(ByteBuffer.allocate(Long.BYTES).putLong(Math.max(0, dueAt)).array());
    }

    private static Due decode(final byte[] key) {
        final ByteBuffer buffer = ByteBuffer.wrap(key);
        final long dueAt = buffer.getLong();
        return new Due(dueAt, new String(key, Long.BYTES, key.length - Long.BYTES, StandardCharsets.UTF_8));
    }
}
