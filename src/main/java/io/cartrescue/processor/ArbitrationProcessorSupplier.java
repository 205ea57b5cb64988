package io.cartrescue.processor;

import io.cartrescue.arbitration.Arbiter;
import io.cartrescue.metrics.CartRescueMetrics;
import io.cartrescue.policy.Policy;
import io.cartrescue.schema.ArbitrationInput;
import io.cartrescue.serde.SerdeProvider;
import io.cartrescue.topology.StoreKind;
import io.cartrescue.topology.TimeMode;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorSupplier;
import org.apache.kafka.streams.state.StoreBuilder;

/**
 * Supplies {@link ArbitrationProcessor}s and declares their own stores (ledger, pending holds,
 * timer index, and the input buffer and clock of stream-time mode), so that adding the processor adds its stores. The global stores it reads
 * ({@value ArbitrationStores#PROFILES}, {@value ArbitrationStores#CHAT_CAPACITY}) are added with
 * {@code addGlobalStore}, using {@link ArbitrationStores#profiles} and {@link ArbitrationStores#chatCapacity}
 * and {@link GlobalStoreUpdater}.
 */
public final class ArbitrationProcessorSupplier implements ProcessorSupplier<String, ArbitrationInput, String, SpecificRecord> {
    private final Policy policy;
    private final TimeMode timeMode;
    private final SerdeProvider serdes;
    private final CartRescueMetrics metrics;
    private final StoreKind storeKind;

    /** Processors that record no metrics, with persistent stores. */
    public ArbitrationProcessorSupplier(final Policy policy, final TimeMode timeMode, final SerdeProvider serdes) {
        this(policy, timeMode, serdes, CartRescueMetrics.none(), StoreKind.PERSISTENT);
    }

    /** Processors that report decisions, interventions and punctuation times to {@code metrics}, with stores of {@code storeKind}. */
    public ArbitrationProcessorSupplier(final Policy policy, final TimeMode timeMode, final SerdeProvider serdes,
                                        final CartRescueMetrics metrics, final StoreKind storeKind) {
        this.policy = Objects.requireNonNull(policy, "policy");
        this.timeMode = Objects.requireNonNull(timeMode, "timeMode");
        this.serdes = Objects.requireNonNull(serdes, "serdes");
        this.metrics = Objects.requireNonNull(metrics, "metrics");
        this.storeKind = Objects.requireNonNull(storeKind, "storeKind");
    }

    @Override
    public Processor<String, ArbitrationInput, String, SpecificRecord> get() {
        return new ArbitrationProcessor(new Arbiter(policy), timeMode, metrics);
    }

    @Override
    public Set<StoreBuilder<?>> stores() {
        // In a fixed order, which the topology description shows.
        return new LinkedHashSet<>(List.of(ArbitrationStores.ledger(serdes, storeKind),
                ArbitrationStores.pendingHolds(serdes, storeKind), ArbitrationStores.timers(serdes, storeKind),
                ArbitrationStores.inputBuffer(serdes, storeKind), ArbitrationStores.clock(storeKind)));
    }
}
