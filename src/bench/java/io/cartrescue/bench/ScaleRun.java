package io.cartrescue.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.cartrescue.policy.Policy;
import io.cartrescue.policy.PolicyLoader;
import io.cartrescue.processor.SessionDetectorProcessor;
import io.cartrescue.schema.ArbitrationInput;
import io.cartrescue.schema.CartSnapshot;
import io.cartrescue.schema.CheckoutStep;
import io.cartrescue.schema.Consent;
import io.cartrescue.schema.Device;
import io.cartrescue.schema.DeviceType;
import io.cartrescue.schema.EventType;
import io.cartrescue.schema.Product;
import io.cartrescue.schema.SessionState;
import io.cartrescue.schema.StorefrontEvent;
import io.cartrescue.topology.TimeMode;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import java.util.stream.Stream;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.common.utils.Bytes;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.processor.Punctuator;
import org.apache.kafka.streams.processor.TaskId;
import org.apache.kafka.streams.processor.api.MockProcessorContext;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.Stores;
import org.rocksdb.ColumnFamilyDescriptor;
import org.rocksdb.ColumnFamilyHandle;
import org.rocksdb.ColumnFamilyOptions;
import org.rocksdb.CompressionType;
import org.rocksdb.DBOptions;
import org.rocksdb.Options;
import org.rocksdb.RocksDB;
import org.rocksdb.RocksDBException;

/**
 * One step of the scale benchmark, run in a child JVM whose heap is limited: the session detector
 * with real RocksDB stores (no cache, no changelog) and {@code N} open sessions, each a guest with
 * one item in the cart in the first checkout step. It times the detector's punctuation with no due
 * timer and with 1,000 due timers, measures the stored bytes per session and the heap after GC, and
 * prints one line {@code RESULT <json>}.
 */
public final class ScaleRun {
    static final Instant T0 = Instant.parse("2026-11-20T10:00:00Z");
    static final int DUE_PER_GROUP = 1_000;
    private static final int DUE_GROUPS = 8;
    private static final int IDLE_PUNCTUATIONS = 200;
    private static final int SIZE_SAMPLE = 10_000;
    private static final long NANOS_PER_MICRO = 1_000;

    private final Policy policy = PolicyLoader.defaults();
    private final Serde<SessionState> stateSerde = new PlainAvroSerdes().valueSerde(SessionState.class);
    private final Map<String, Object> result = new LinkedHashMap<>();
    private final MockProcessorContext<String, ArbitrationInput> context;
    private final KeyValueStore<String, SessionState> sessions;
    private final KeyValueStore<Bytes, byte[]> timers;
    private final Path stateDir;

    private ScaleRun(final Path stateDir) {
        this.stateDir = stateDir;
        final Properties props = new Properties();
        props.put(StreamsConfig.APPLICATION_ID_CONFIG, "bench-scale");
        props.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, "unused:9092");
        props.put(StreamsConfig.STATE_DIR_CONFIG, stateDir.toString());
        props.put(StreamsConfig.PROCESSING_EXCEPTION_HANDLER_GLOBAL_ENABLED_CONFIG, true);
        context = new MockProcessorContext<>(props, new TaskId(0, 0), stateDir.toFile());
        context.setCurrentSystemTimeMs(System.currentTimeMillis());
        sessions = Stores.keyValueStoreBuilder(Stores.persistentKeyValueStore(SessionDetectorProcessor.STATE_STORE),
                Serdes.String(), stateSerde).withLoggingDisabled().withCachingDisabled().build();
        timers = Stores.keyValueStoreBuilder(Stores.persistentKeyValueStore(SessionDetectorProcessor.TIMER_STORE),
                Serdes.Bytes(), Serdes.ByteArray()).withLoggingDisabled().withCachingDisabled().build();
        sessions.init(context.getStateStoreContext(), sessions);
        context.addStateStore(sessions);
        timers.init(context.getStateStoreContext(), timers);
        context.addStateStore(timers);
    }

    /** {@code ScaleRun SESSIONS STATE_DIR}. */
    public static void main(final String[] args) throws Exception {
        final int count = Integer.parseInt(args[0]);
        final ScaleRun run = new ScaleRun(Path.of(args[1]));
        run.result.put("sessions", count);
        run.run(count);
        System.out.println("RESULT " + new ObjectMapper().writeValueAsString(run.result));
    }

    private void run(final int count) throws IOException, RocksDBException, InterruptedException {
        final Processor<String, StorefrontEvent, String, ArbitrationInput> processor =
                SessionDetectorProcessor.supplier(policy, TimeMode.LIVE, Duration.ofMillis(200), stateSerde).get();
        processor.init(context);
        final Punctuator punctuator = context.scheduledPunctuators().get(0).getPunctuator();
        final long loadStart = System.nanoTime();
        load(processor, count);
        result.put("loadEventsPerSecond", 3.0 * count / ((System.nanoTime() - loadStart) / 1e9));
        result.put("idlePunctuationMicros", idle(punctuator));
        result.put("duePunctuationMicros", due(punctuator));
        sizes();
        heap();
        onDisk(count);
        processor.close();
    }

    /** Opens the sessions: the first DUE_GROUPS * DUE_PER_GROUP stall at T0 + 20 s + g s, the others at T0 + 120 s. */
    private void load(final Processor<String, StorefrontEvent, String, ArbitrationInput> processor, final int count) {
        final long stall = policy.detection().stalledStep().forStep(1).toMillis();
        for (int i = 0; i < count; i++) {
            final int group = i / DUE_PER_GROUP;
            final long at = group < DUE_GROUPS ? T0.toEpochMilli() + 20_000 + group * 1_000L - stall : T0.toEpochMilli();
            for (final StorefrontEvent event : session(i, at)) {
                context.setCurrentStreamTimeMs(event.getEventTime().toEpochMilli());
                processor.process(new Record<>(event.getSessionId(), event, event.getEventTime().toEpochMilli()));
            }
        }
        context.resetForwards();
    }

    /** Punctuations before any timer is due: median and maximum, in microseconds. */
    private Map<String, Double> idle(final Punctuator punctuator) {
        final long[] nanos = new long[IDLE_PUNCTUATIONS];
        for (int k = 0; k < IDLE_PUNCTUATIONS; k++) {
            final long now = T0.toEpochMilli() + 1_000 + k * 50L;
            final long start = System.nanoTime();
            punctuator.punctuate(now);
            nanos[k] = System.nanoTime() - start;
        }
        if (!context.forwarded().isEmpty()) {
            throw new IllegalStateException("a timer fired before its time");
        }
        return summary(nanos);
    }

    /** Punctuations that each find exactly one group of DUE_PER_GROUP due timers. */
    private Map<String, Double> due(final Punctuator punctuator) {
        final long[] nanos = new long[DUE_GROUPS];
        int fired = 0;
        for (int g = 0; g < DUE_GROUPS; g++) {
            final long now = T0.toEpochMilli() + 20_500 + g * 1_000L;
            final long start = System.nanoTime();
            punctuator.punctuate(now);
            nanos[g] = System.nanoTime() - start;
            fired += context.forwarded().size();
            context.resetForwards();
        }
        result.put("dueCandidates", fired);
        return summary(nanos);
    }

    private static Map<String, Double> summary(final long[] nanos) {
        final long[] sorted = nanos.clone();
        Arrays.sort(sorted);
        final Map<String, Double> s = new LinkedHashMap<>();
        s.put("median", sorted[sorted.length / 2] / (double) NANOS_PER_MICRO);
        s.put("max", sorted[sorted.length - 1] / (double) NANOS_PER_MICRO);
        s.put("first", nanos[0] / (double) NANOS_PER_MICRO);
        return s;
    }

    /** The Avro size of stored session states (a sample), and of the keys of both stores. */
    private void sizes() {
        long values = 0;
        long keys = 0;
        long max = 0;
        int n = 0;
        try (KeyValueIterator<String, SessionState> it = sessions.all()) {
            while (it.hasNext() && n < SIZE_SAMPLE) {
                final KeyValue<String, SessionState> entry = it.next();
                final int size = stateSerde.serializer().serialize("", entry.value).length;
                values += size;
                keys += entry.key.length();
                max = Math.max(max, size);
                n++;
            }
        }
        result.put("stateValueBytesMean", (double) values / n);
        result.put("stateValueBytesMax", max);
        result.put("stateKeyBytesMean", (double) keys / n);
    }

    private void heap() throws InterruptedException {
        for (int i = 0; i < 3; i++) {
            System.gc();
            Thread.sleep(200);
        }
        result.put("heapUsedAfterGcBytes", ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed());
        result.put("heapMaxBytes", Runtime.getRuntime().maxMemory());
    }

    /**
     * Bytes on disk of both stores after a flush, and after closing them and compacting every column
     * family without compression, as Kafka Streams configures RocksDB.
     */
    private void onDisk(final int count) throws IOException, RocksDBException {
        sessions.flush();
        timers.flush();
        result.put("diskBytesPerSessionAfterFlush", (double) size(stateDir) / count);
        sessions.close();
        timers.close();
        RocksDB.loadLibrary();
        for (final Path db : storeDirs()) {
            compact(db);
        }
        result.put("diskBytesPerSessionAfterCompaction", (double) size(stateDir) / count);
    }

    private List<Path> storeDirs() throws IOException {
        try (Stream<Path> paths = Files.walk(stateDir)) {
            return paths.filter(Files::isDirectory)
                    .filter(p -> p.getFileName().toString().equals(SessionDetectorProcessor.STATE_STORE)
                            || p.getFileName().toString().equals(SessionDetectorProcessor.TIMER_STORE))
                    .toList();
        }
    }

    private static void compact(final Path db) throws RocksDBException {
        final List<byte[]> families;
        try (Options options = new Options()) {
            families = RocksDB.listColumnFamilies(options, db.toString());
        }
        final List<ColumnFamilyDescriptor> descriptors = new ArrayList<>();
        final List<ColumnFamilyHandle> handles = new ArrayList<>();
        try (ColumnFamilyOptions uncompressed = new ColumnFamilyOptions().setCompressionType(CompressionType.NO_COMPRESSION)) {
            for (final byte[] family : families) {
                descriptors.add(new ColumnFamilyDescriptor(family, uncompressed));
            }
            try (DBOptions options = new DBOptions(); RocksDB rocks = RocksDB.open(options, db.toString(), descriptors, handles)) {
                for (final ColumnFamilyHandle handle : handles) {
                    rocks.compactRange(handle);
                }
                handles.forEach(ColumnFamilyHandle::close);
            }
        }
    }

    private static long size(final Path dir) throws IOException {
        try (Stream<Path> paths = Files.walk(dir)) {
            return paths.filter(Files::isRegularFile).mapToLong(p -> p.toFile().length()).sum();
        }
    }

    /** A guest with one item in the cart who has just started checkout: three events at {@code at}. */
    private static List<StorefrontEvent> session(final int i, final long at) {
        final String id = new UUID(0x5e55_10_00L, i).toString();
        final BigDecimal price = new BigDecimal("49.90");
        final CartSnapshot cart = new CartSnapshot(price, "EUR", 1);
        final List<StorefrontEvent> events = new ArrayList<>();
        int n = 0;
        for (final EventType type : List.of(EventType.PRODUCT_ADDED, EventType.CART_VIEWED, EventType.CHECKOUT_STARTED)) {
            final StorefrontEvent.Builder event = StorefrontEvent.newBuilder()
                    .setEventId(id + "-" + n)
                    .setEventType(type)
                    .setEventTime(Instant.ofEpochMilli(at + n++))
                    .setSessionId(id)
                    .setAnonymousId("anon-" + id)
                    .setDevice(new Device(DeviceType.MOBILE, "de-DE", "Europe/Berlin"))
                    .setConsent(new Consent(false, false, true))
                    .setCart(cart);
            if (type == EventType.PRODUCT_ADDED) {
                event.setProduct(Product.newBuilder().setProductId("sku-" + (i % 5_000)).setPrice(price).build());
            } else if (type == EventType.CHECKOUT_STARTED) {
                event.setCheckout(CheckoutStep.newBuilder().setStep(1).build());
            }
            events.add(event.build());
        }
        return events;
    }
}
