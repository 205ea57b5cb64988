package io.cartrescue.topology;

import io.cartrescue.schema.ArbitrationInput;
import io.cartrescue.schema.StreamProgress;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.apache.kafka.streams.processor.StreamPartitioner;

/**
 * Partitions the arbitration input: candidates and notices by their key (customer key), as the
 * default partitioner would; a stream-time {@link StreamProgress} to every partition, since every
 * arbitration task needs every detection task's progress.
 */
final class ProgressToEveryPartition implements StreamPartitioner<String, ArbitrationInput> {
    @Override
    public Optional<Set<Integer>> partitions(final String topic, final String key, final ArbitrationInput value,
                                             final int numPartitions) {
        if (value != null && value.getBody() instanceof StreamProgress) {
            return Optional.of(IntStream.range(0, numPartitions).boxed().collect(Collectors.toSet()));
        }
        return Optional.empty();
    }
}
