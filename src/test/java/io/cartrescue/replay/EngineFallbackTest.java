package io.cartrescue.replay;

import static org.assertj.core.api.Assertions.assertThat;

import io.cartrescue.policy.Policy;
import io.cartrescue.policy.PolicyLoader;
import io.cartrescue.schema.CustomerProfile;
import io.cartrescue.schema.SessionState;
import io.cartrescue.schema.StorefrontEvent;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.BiConsumer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * When the direct engine cannot go on, the replay reads the input again on the Kafka Streams engine
 * and returns what that engine produced, as if the direct engine had never run.
 */
class EngineFallbackTest {
    @TempDir
    Path dir;

    @Test
    void aDirectEngineThatCannotGoOnIsReplacedByTheKafkaStreamsEngine() throws IOException {
        // Given: two shoppers with payment trouble; a direct engine that fails at its third event
        final Path input = dir.resolve("events.jsonl");
        Files.writeString(input, new ReplayInput().paymentTrouble("s-1", "c-1", 0, 2).paymentTrouble("s-2", "c-2", 5, 2).text());
        final Replay.Options options = new Replay.Options(ReplaySource.file(input, InputFormat.JSONL),
                PolicyLoader.defaults(), null, null, false, true, "EUR");
        final List<ReplayEngine.Kind> created = new ArrayList<>();

        // When
        final Replay.Result result = new Replay(options, (kind, policy) -> {
            created.add(kind);
            return kind == ReplayEngine.Kind.DIRECT ? new FailingEngine(policy, 3) : kind.create(policy);
        }).run(Progress.NONE);

        // Then
        assertThat(created).containsExactly(ReplayEngine.Kind.DIRECT, ReplayEngine.Kind.KAFKA_STREAMS);
        final Replay.Result reference = new Replay(options.on(ReplayEngine.Kind.KAFKA_STREAMS)).run(Progress.NONE);
        assertThat(result.main().outputs().decisions()).isNotEmpty()
                .isEqualTo(reference.main().outputs().decisions());
        assertThat(result.main().outputs().interventions()).isEqualTo(reference.main().outputs().interventions());
        assertThat(result.main().summary()).isEqualTo(reference.main().summary());
    }

    /** A direct engine that runs normally, then cannot go on at event {@code failAt}. */
    private static final class FailingEngine implements ReplayEngine {
        private final DirectReplayEngine engine;
        private final int failAt;
        private int events;

        FailingEngine(final Policy policy, final int failAt) {
            this.engine = new DirectReplayEngine(policy);
            this.failAt = failAt;
        }

        @Override
        public Policy policy() {
            return engine.policy();
        }

        @Override
        public void profile(final CustomerProfile profile) {
            engine.profile(profile);
        }

        @Override
        public void pipe(final StorefrontEvent event, final byte[] encoded, final long line) {
            if (++events == failAt) {
                throw new DirectReplayEngine.CannotContinue("a processor failed", new IllegalStateException("defect"));
            }
            engine.pipe(event, encoded, line);
        }

        @Override
        public void flushToTheEnd() {
            engine.flushToTheEnd();
        }

        @Override
        public ReplayOutputs finish() {
            return engine.finish();
        }

        @Override
        public void forEachOpenSession(final BiConsumer<String, SessionState> action) {
            engine.forEachOpenSession(action);
        }

        @Override
        public long piped() {
            return engine.piped();
        }

        @Override
        public void close() {
            engine.close();
        }
    }
}
