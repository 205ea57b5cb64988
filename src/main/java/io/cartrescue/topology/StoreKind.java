package io.cartrescue.topology;

import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.streams.state.KeyValueBytesStoreSupplier;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.StoreBuilder;
import org.apache.kafka.streams.state.Stores;

/**
 * Where the processors keep their state. The stores have the same names, keys, values and order
 * either way, so the topology and what it decides are the same; only durability differs.
 * <ul>
 *   <li>{@link #PERSISTENT}: RocksDB on local disk, backed by a changelog topic (global stores are
 *       restored from their own topics). What a running application needs to survive a restart or
 *       a failover.</li>
 *   <li>{@link #IN_MEMORY}: on the heap, with no changelog. For a replay, which runs in one process
 *       from the first event to the last and keeps nothing afterwards.</li>
 * </ul>
 */
public enum StoreKind {
    PERSISTENT,
    IN_MEMORY;

    /** A key-value store of this kind; {@code logged} says whether a persistent one has a changelog. */
    public <K, V> StoreBuilder<KeyValueStore<K, V>> keyValue(final String name, final Serde<K> keySerde,
                                                             final Serde<V> valueSerde, final boolean logged) {
        final KeyValueBytesStoreSupplier supplier = this == PERSISTENT
                ? Stores.persistentKeyValueStore(name) : Stores.inMemoryKeyValueStore(name);
        final StoreBuilder<KeyValueStore<K, V>> builder = Stores.keyValueStoreBuilder(supplier, keySerde, valueSerde);
        return logged && this == PERSISTENT ? builder : builder.withLoggingDisabled();
    }
}
