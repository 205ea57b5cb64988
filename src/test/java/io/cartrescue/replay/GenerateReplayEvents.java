package io.cartrescue.replay;

import io.cartrescue.schema.StorefrontEvent;
import io.cartrescue.simulator.StorefrontSimulator;
import java.io.BufferedWriter;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;

/**
 * Writes simulated storefront events as JSON lines in the form the replay reads, for measuring
 * replay speed. A utility, not a test (its name does not end in Test, so no test run picks it up):
 *
 * <pre>
 * mvn -o -q test-compile dependency:build-classpath -Dmdep.outputFile=target/test.classpath
 * java -cp target/test-classes:target/classes:$(cat target/test.classpath) \
 *     io.cartrescue.replay.GenerateReplayEvents 1000000 target/events-1m.jsonl
 * java -jar target/cart-rescue.jar replay --input target/events-1m.jsonl --out target/replay-1m
 * </pre>
 *
 * Arguments: number of events (default 1,000,000), output file (default
 * {@code target/events-1m.jsonl}), seed (default 1). The simulator's default shopper mix, 1,000
 * concurrent sessions, starting on 5 January 2026; the same arguments give the same file.
 */
public final class GenerateReplayEvents {
    private GenerateReplayEvents() {
    }

    public static void main(final String[] args) throws IOException {
        final long count = args.length > 0 ? Long.parseLong(args[0]) : 1_000_000L;
        final Path out = Path.of(args.length > 1 ? args[1] : "target/events-1m.jsonl");
        final long seed = args.length > 2 ? Long.parseLong(args[2]) : 1L;
        final StorefrontSimulator simulator = StorefrontSimulator.builder(seed).start(Instant.parse("2026-01-05T09:00:00Z")).build();
        if (out.getParent() != null) {
            Files.createDirectories(out.getParent());
        }
        try (BufferedWriter writer = Files.newBufferedWriter(out, StandardCharsets.UTF_8)) {
            for (long i = 0; i < count && simulator.hasNext(); i++) {
                final StorefrontEvent event = simulator.next();
                writer.write(ReplayFiles.jsonLine(event));
                writer.write('\n');
            }
        }
        System.out.printf("%,d events written to %s%n", count, out);
    }
}
