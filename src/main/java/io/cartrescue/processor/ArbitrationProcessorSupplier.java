package io.cartrescue.processor;

import io.cartrescue.arbitration.Arbiter;
import io.cartrescue.policy.Policy;
import io.cartrescue.schema.ArbitrationInput;
import io.cartrescue.serde.SerdeProvider;
import io.cartrescue.topology.TimeMode;
import java.util.Objects;
import java.util.Set;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorSupplier;
import org.apache.kafka.streams.state.StoreBuilder;

/**
 * Supplies {@link ArbitrationProcessor}s and declares their own stores (ledger, pending holds,
 * timer index), so that adding the processor adds its stores. The global stores it reads
 * ({@value ArbitrationStores#PROFILES}, {@value ArbitrationStores#CHAT_CAPACITY}) are added with
 * {@code addGlobalStore}, using {@link ArbitrationStores#profiles} and {@link ArbitrationStores#chatCapacity}
 * and {@link GlobalStoreUpdater}.
 */
public final class ArbitrationProcessorSupplier implements ProcessorSupplier<String, ArbitrationInput, String, SpecificRecord> {
    private final Policy policy;
    private final TimeMode timeMode;
    private final SerdeProvider serdes;

    public ArbitrationProcessorSupplier(final Policy policy, final TimeMode timeMode, final SerdeProvider serdes) {
        this.policy = Objects.requireNonNull(policy, "policy");
        this.timeMode = Objects.requireNonNull(timeMode, "timeMode");
        this.serdes = Objects.requireNonNull(serdes, "serdes");
    }

    @Override
    public Processor<String, ArbitrationInput, String, SpecificRecord> get() {
        return new ArbitrationProcessor(new Arbiter(policy), timeMode);
    }

    @Override
    public Set<StoreBuilder<?>> stores() {
        return Set.of(ArbitrationStores.ledger(serdes), ArbitrationStores.pendingHolds(serdes), ArbitrationStores.timers(serdes));
    }
}
