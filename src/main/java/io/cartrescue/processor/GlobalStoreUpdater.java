package io.cartrescue.processor;

import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.ProcessorSupplier;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueStore;

/**
 * Keeps a global store equal to its compacted topic: {@code customer.profiles} into
 * {@value ArbitrationStores#PROFILES} (key customerId) and {@code chat.capacity} into
 * {@value ArbitrationStores#CHAT_CAPACITY} (key queue). A null value (tombstone) deletes the key; a
 * record without a key cannot be stored and is skipped.
 *
 * @param <V> the record type of the topic and the store
 */
public final class GlobalStoreUpdater<V> implements Processor<String, V, Void, Void> {
    private final String storeName;
    private KeyValueStore<String, V> store;

    public GlobalStoreUpdater(final String storeName) {
        this.storeName = storeName;
    }

    /** The supplier to pass to {@code addGlobalStore} for the store of that name. */
    public static <V> ProcessorSupplier<String, V, Void, Void> supplier(final String storeName) {
        return () -> new GlobalStoreUpdater<>(storeName);
    }

    @Override
    public void init(final ProcessorContext<Void, Void> context) {
        store = context.getStateStore(storeName);
    }

    @Override
    public void process(final Record<String, V> record) {
        if (record.key() == null) {
            return;
        }
        if (record.value() == null) {
            store.delete(record.key());
        } else {
            store.put(record.key(), record.value());
        }
    }
}
