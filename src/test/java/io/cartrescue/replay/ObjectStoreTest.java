package io.cartrescue.replay;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.ConcurrentModificationException;
import java.util.List;
import java.util.Random;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.common.utils.Bytes;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.junit.jupiter.api.Test;

/** The direct engine's store must order, range and scan as the topology's stores of bytes do. */
class ObjectStoreTest {

    @Test
    void stringsCompareAsTheirUtf8Bytes() {
        // Given: strings mixing ASCII, Latin-1, CJK, the private-use area (U+E000..) and emoji (surrogate pairs)
        final String[] pieces = {"a", "z", "é", "中", "\uE000", "\uFFFD", "😀", "𝄞", "", "0"};
        final Random random = new Random(7);
        final List<String> strings = new ArrayList<>();
        for (int i = 0; i < 2_000; i++) {
            final StringBuilder s = new StringBuilder();
            for (int j = random.nextInt(4); j >= 0; j--) {
                s.append(pieces[random.nextInt(pieces.length)]);
            }
            strings.add(s.toString());
        }

        // Then
        for (int i = 0; i + 1 < strings.size(); i++) {
            final String a = strings.get(i);
            final String b = strings.get(i + 1);
            assertThat(Integer.signum(ObjectStore.compareUtf8(a, b)))
                    .as("%s vs %s", a, b)
                    .isEqualTo(Integer.signum(Arrays.compareUnsigned(a.getBytes(StandardCharsets.UTF_8),
                            b.getBytes(StandardCharsets.UTF_8))));
        }
        assertThat(ObjectStore.compareUtf8("\uFFFD", "😀")).as("U+FFFD before U+1F600, unlike UTF-16").isNegative();
    }

    @Test
    void rangesAreInclusiveAndANullBoundIsOpen() {
        // Given
        final ObjectStore<String, Integer> store = ObjectStore.byString("s", true);
        for (final String key : List.of("b", "d", "a", "c", "e")) {
            store.put(key, (int) key.charAt(0));
        }

        // Then
        assertThat(keys(store.range("b", "d"))).containsExactly("b", "c", "d");
        assertThat(keys(store.range(null, "b"))).containsExactly("a", "b");
        assertThat(keys(store.range("d", null))).containsExactly("d", "e");
        assertThat(keys(store.range("d", "b"))).as("from after to").isEmpty();
        assertThat(keys(store.reverseRange("b", "d"))).containsExactly("d", "c", "b");
        assertThat(keys(store.all())).containsExactly("a", "b", "c", "d", "e");
        assertThat(keys(store.reverseAll())).containsExactly("e", "d", "c", "b", "a");
        assertThat(store.approximateNumEntries()).isEqualTo(5);
    }

    @Test
    void anUnorderedStoreAnswersRangesAndScansAsAnOrderedOne() {
        // Given
        final ObjectStore<String, Integer> ordered = ObjectStore.byString("o", true);
        final ObjectStore<String, Integer> unordered = ObjectStore.byString("u", false);
        final Random random = new Random(3);
        for (int i = 0; i < 500; i++) {
            final String key = "k" + random.nextInt(200);
            if (random.nextInt(4) == 0) {
                ordered.delete(key);
                unordered.delete(key);
            } else {
                ordered.put(key, i);
                unordered.put(key, i);
            }
        }

        // Then
        assertThat(entries(unordered.all())).isEqualTo(entries(ordered.all()));
        assertThat(entries(unordered.reverseAll())).isEqualTo(entries(ordered.reverseAll()));
        assertThat(entries(unordered.range("k1", "k5"))).isEqualTo(entries(ordered.range("k1", "k5")));
        assertThat(entries(unordered.prefixScan("k1", new StringSerializer())))
                .isEqualTo(entries(ordered.prefixScan("k1", new StringSerializer())));
        assertThat(unordered.approximateNumEntries()).isEqualTo(ordered.approximateNumEntries());
    }

    @Test
    void peekingShowsTheNextKeyWithoutMovingOn() {
        // Given
        final ObjectStore<String, Integer> store = ObjectStore.byString("s", true);
        store.put("a", 1);
        store.put("b", 2);
        final KeyValueIterator<String, Integer> iterator = store.all();

        // Then
        assertThat(iterator.peekNextKey()).isEqualTo("a");
        assertThat(iterator.peekNextKey()).isEqualTo("a");
        assertThat(iterator.next().key).isEqualTo("a");
        assertThat(iterator.peekNextKey()).isEqualTo("b");
        assertThat(iterator.hasNext()).isTrue();
        assertThat(iterator.next().value).isEqualTo(2);
        assertThat(iterator.hasNext()).isFalse();
    }

    @Test
    void aNullValueDeletesAndDeleteReturnsTheOldValue() {
        // Given
        final ObjectStore<String, String> store = ObjectStore.byString("s", true);
        store.put("k", "v");
        store.put("j", "w");

        // When
        store.put("k", null);

        // Then
        assertThat(store.get("k")).isNull();
        assertThat(keys(store.all())).containsExactly("j");
        assertThat(store.delete("j")).isEqualTo("w");
        assertThat(store.delete("j")).isNull();
        assertThat(store.putIfAbsent("x", "1")).isNull();
        assertThat(store.putIfAbsent("x", "2")).isEqualTo("1");
        assertThat(store.get("x")).isEqualTo("1");
    }

    @Test
    void prefixScanFindsTheKeysStartingWithThePrefix() {
        // Given
        final ObjectStore<String, Integer> store = ObjectStore.byString("s", true);
        for (final String key : List.of("c1|a", "c1|b", "c10|a", "c1", "c0|z", "c2|a")) {
            store.put(key, 1);
        }

        // Then
        assertThat(keys(store.prefixScan("c1|", new StringSerializer()))).containsExactly("c1|a", "c1|b");
        assertThat(keys(store.prefixScan("c1", new StringSerializer()))).containsExactly("c1", "c10|a", "c1|a", "c1|b");
        assertThat(keys(store.prefixScan("d", new StringSerializer()))).isEmpty();
    }

    @Test
    void bytesKeysOrderAsUnsignedBytes() {
        // Given
        final ObjectStore<Bytes, byte[]> store = ObjectStore.byBytes("b", true);
        store.put(Bytes.wrap(new byte[] {(byte) 0x80}), new byte[0]);
        store.put(Bytes.wrap(new byte[] {0x01, 0x02}), new byte[0]);
        store.put(Bytes.wrap(new byte[] {0x01}), new byte[0]);

        // Then
        final List<String> order = new ArrayList<>();
        store.all().forEachRemaining(kv -> order.add(Arrays.toString(kv.key.get())));
        assertThat(order).containsExactly("[1]", "[1, 2]", "[-128]");
    }

    @Test
    void changingTheStoreWhileIteratingFailsLoudly() {
        // Given
        final ObjectStore<String, Integer> store = ObjectStore.byString("s", true);
        store.put("a", 1);
        store.put("b", 2);
        final KeyValueIterator<String, Integer> iterator = store.all();
        iterator.next();

        // When
        store.put("c", 3);

        // Then
        assertThatThrownBy(iterator::next).isInstanceOf(ConcurrentModificationException.class);
    }

    private static <V> List<String> entries(final KeyValueIterator<String, V> iterator) {
        final List<String> entries = new ArrayList<>();
        try (iterator) {
            iterator.forEachRemaining((KeyValue<String, V> kv) -> entries.add(kv.key + "=" + kv.value));
        }
        return entries;
    }

    private static <V> List<String> keys(final KeyValueIterator<String, V> iterator) {
        final List<String> keys = new ArrayList<>();
        try (iterator) {
            iterator.forEachRemaining((KeyValue<String, V> kv) -> keys.add(kv.key));
        }
        return keys;
    }
}
