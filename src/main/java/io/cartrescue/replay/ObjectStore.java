package io.cartrescue.replay;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.NavigableSet;
import java.util.TreeSet;
import org.apache.kafka.common.serialization.Serializer;
import org.apache.kafka.common.utils.Bytes;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.processor.StateStore;
import org.apache.kafka.streams.processor.StateStoreContext;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;

/**
 * A key-value store on the heap that keeps the processors' own objects, for {@link DirectReplayEngine}.
 * It answers as the topology's stores do: keys in the order of their serialized bytes (UTF-8 for
 * strings, unsigned lexicographic for {@link Bytes}), ranges inclusive at both ends with a null bound
 * meaning open, a null value deleting the key. Values are neither copied nor encoded: a processor
 * gets back the object it put. The processors of cart-rescue read a value, change their copy and put
 * it back, and never change an object after putting it, so that is the same as a store of bytes
 * except when a processor fails half-way through a record; the engine gives up on the replay then
 * (see {@link DirectReplayEngine}).
 *
 * <p>An ordered store keeps its keys sorted as they change, and its iterators walk the live key set:
 * changing the store while iterating fails with a {@link java.util.ConcurrentModificationException},
 * which the engine treats as such a failure. A store that the processors only look up by key is kept
 * unordered, and sorts a snapshot of its keys when asked to iterate.
 *
 * @param <K> the key type: {@link String} or {@link Bytes}
 * @param <V> the value type
 */
final class ObjectStore<K, V> implements KeyValueStore<K, V> {
    private final String name;
    private final Map<K, V> values = new HashMap<>();
    private final Comparator<? super K> order;
    /** The keys in order, kept up to date; null in an unordered store. */
    private final NavigableSet<K> keys;
    private boolean open = true;

    private ObjectStore(final String name, final Comparator<? super K> order, final boolean ordered) {
        this.name = name;
        this.order = order;
        this.keys = ordered ? new TreeSet<>(order) : null;
    }

    /** A store keyed by strings, in the order of their UTF-8 bytes; {@code ordered}: kept sorted as it changes. */
    static <V> ObjectStore<String, V> byString(final String name, final boolean ordered) {
        return new ObjectStore<>(name, ObjectStore::compareUtf8, ordered);
    }

    /** A store keyed by {@link Bytes}, in the order of their unsigned bytes; {@code ordered}: kept sorted as it changes. */
    static <V> ObjectStore<Bytes, V> byBytes(final String name, final boolean ordered) {
        return new ObjectStore<>(name, Comparator.naturalOrder(), ordered);
    }

    /**
     * Compares two strings as their UTF-8 encodings compare byte by byte, which is the order of their
     * code points: UTF-16 order except that a surrogate (a character above U+FFFF) sorts after
     * U+E000..U+FFFF.
     */
    static int compareUtf8(final String a, final String b) {
        final int n = Math.min(a.length(), b.length());
        for (int i = 0; i < n; i++) {
            final char x = a.charAt(i);
            final char y = b.charAt(i);
            if (x != y) {
                return codePointRank(x) - codePointRank(y);
            }
        }
        return a.length() - b.length();
    }

    private static int codePointRank(final char c) {
        if (c >= '\uE000') {
            return c - 0x800;
        }
        return Character.isSurrogate(c) ? c + 0x2000 : c;
    }

    @Override
    public V get(final K key) {
        return values.get(key);
    }

    @Override
    public void put(final K key, final V value) {
        if (value == null) {
            delete(key);
            return;
        }
        if (values.put(key, value) == null && keys != null) {
            keys.add(key);
        }
    }

    @Override
    public V putIfAbsent(final K key, final V value) {
        final V current = values.get(key);
        if (current == null) {
            put(key, value);
        }
        return current;
    }

    @Override
    public void putAll(final List<KeyValue<K, V>> entries) {
        entries.forEach(entry -> put(entry.key, entry.value));
    }

    @Override
    public V delete(final K key) {
        final V removed = values.remove(key);
        if (removed != null && keys != null) {
            keys.remove(key);
        }
        return removed;
    }

    @Override
    public KeyValueIterator<K, V> range(final K from, final K to) {
        return iterate(between(from, to).iterator());
    }

    @Override
    public KeyValueIterator<K, V> reverseRange(final K from, final K to) {
        return iterate(between(from, to).descendingIterator());
    }

    @Override
    public KeyValueIterator<K, V> all() {
        return iterate(sorted().iterator());
    }

    @Override
    public KeyValueIterator<K, V> reverseAll() {
        return iterate(sorted().descendingIterator());
    }

    /** The keys in order: the live set of an ordered store, a sorted snapshot of an unordered one. */
    private NavigableSet<K> sorted() {
        if (keys != null) {
            return keys;
        }
        final NavigableSet<K> snapshot = new TreeSet<>(order);
        snapshot.addAll(values.keySet());
        return snapshot;
    }

    /** Keys that start with {@code prefix}; for string keys, whose UTF-8 prefixes are their string prefixes. */
    @Override
    public <PS extends Serializer<P>, P> KeyValueIterator<K, V> prefixScan(final P prefix, final PS serializer) {
        if (!(prefix instanceof String text)) {
            throw new UnsupportedOperationException("store " + name + " scans by string prefix only");
        }
        final List<K> matching = new ArrayList<>();
        for (final K key : tailFrom(prefix)) {
            if (!(key instanceof String s) || !s.startsWith(text)) {
                break;
            }
            matching.add(key);
        }
        return iterate(matching.iterator());
    }

    @SuppressWarnings("unchecked")
    private NavigableSet<K> tailFrom(final Object from) {
        return sorted().tailSet((K) from, true);
    }

    private NavigableSet<K> between(final K from, final K to) {
        if (from != null && to != null && order.compare(from, to) > 0) {
            return new TreeSet<>(order);
        }
        final NavigableSet<K> all = sorted();
        if (from == null && to == null) {
            return all;
        }
        if (from == null) {
            return all.headSet(to, true);
        }
        return to == null ? all.tailSet(from, true) : all.subSet(from, true, to, true);
    }

    private KeyValueIterator<K, V> iterate(final Iterator<K> ordered) {
        return new KeyValueIterator<>() {
            /** The key {@link #peekNextKey()} took from {@code ordered} ahead of {@link #next()}, or null. */
            private K peeked;

            @Override
            public boolean hasNext() {
                return peeked != null || ordered.hasNext();
            }

            @Override
            public KeyValue<K, V> next() {
                final K key = peekNextKey();
                peeked = null;
                return KeyValue.pair(key, values.get(key));
            }

            @Override
            public K peekNextKey() {
                if (peeked == null) {
                    peeked = ordered.next();
                }
                return peeked;
            }

            @Override
            public void close() {
            }
        };
    }

    @Override
    public long approximateNumEntries() {
        return values.size();
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public void init(final StateStoreContext context, final StateStore root) {
    }

    @Override
    public void close() {
        open = false;
    }

    @Override
    public boolean persistent() {
        return false;
    }

    @Override
    public boolean isOpen() {
        return open;
    }
}
