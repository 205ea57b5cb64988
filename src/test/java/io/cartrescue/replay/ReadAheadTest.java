package io.cartrescue.replay;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.cartrescue.schema.EventType;
import io.cartrescue.schema.StorefrontEvent;
import java.io.IOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Reading ahead keeps the source's order across batches and reports a failure where it happened. */
class ReadAheadTest {

    @Test
    void itemsComeOutInOrderEncodedAndTalliedAcrossBatches() throws IOException {
        // Given: more items than fit in two batches, every seventh one blank
        final int count = 2 * ReadAhead.BATCH + 17;
        final List<Long> tallied = new ArrayList<>();
        final List<Long> positions = new ArrayList<>();

        // When
        try (ReadAhead reader = new ReadAhead(new Numbered(count, -1), e -> e.getEventId().getBytes(), i -> tallied.add(i.position()))) {
            for (ReadAhead.Read read = reader.next(); read != null; read = reader.next()) {
                positions.add(read.item().position());
                if (read.item().event() != null) {
                    assertThat(new String(read.encoded())).isEqualTo(read.item().event().getEventId());
                } else {
                    assertThat(read.encoded()).isNull();
                }
            }
            assertThat(reader.events()).isEqualTo(count - (count + 6) / 7);
        }

        // Then
        assertThat(positions).hasSize(count).isSorted().first().isEqualTo(1L);
        assertThat(tallied).isEqualTo(positions);
    }

    @Test
    void aFailureOfTheSourceIsThrownAfterTheItemsReadBeforeIt() throws IOException {
        // Given: the source fails when asked for item 1,500
        final List<Long> positions = new ArrayList<>();
        try (ReadAhead reader = new ReadAhead(new Numbered(5_000, 1_500), e -> new byte[0], i -> { })) {
            // When / Then
            assertThatThrownBy(() -> {
                for (ReadAhead.Read read = reader.next(); read != null; read = reader.next()) {
                    positions.add(read.item().position());
                }
            }).isInstanceOf(IOException.class).hasMessage("disk gone at 1500");
        }
        assertThat(positions).hasSize(1_499).last().isEqualTo(1_499L);
    }

    /** Items 1..count, item n blank when n % 7 == 1; fails with an IOException at {@code failAt}. */
    private static final class Numbered implements EventSource {
        private final int count;
        private final int failAt;
        private long position;

        Numbered(final int count, final int failAt) {
            this.count = count;
            this.failAt = failAt;
        }

        @Override
        public Item next() throws IOException {
            if (position == count) {
                return null;
            }
            position++;
            if (position == failAt) {
                throw new IOException("disk gone at " + position);
            }
            final StorefrontEvent event = position % 7 == 1 ? null : StorefrontEvent.newBuilder().setEventId("e-" + position)
                    .setEventType(EventType.PAGE_PING).setEventTime(Instant.EPOCH).setSessionId("s").setAnonymousId("a").build();
            return new Item(position, event, null, null, null);
        }

        @Override
        public long progress() {
            return position;
        }

        @Override
        public long total() {
            return count;
        }

        @Override
        public String name() {
            return "numbered";
        }

        @Override
        public void close() {
        }
    }
}
