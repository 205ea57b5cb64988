package io.cartrescue.detection;

import static org.assertj.core.api.Assertions.assertThat;

import io.cartrescue.policy.PolicyLoader;
import io.cartrescue.schema.EventType;
import io.cartrescue.schema.SessionState;
import io.cartrescue.schema.StorefrontEvent;
import java.time.Instant;
import org.apache.avro.Schema;
import org.junit.jupiter.api.Test;

/** A new session's state is the event's ids and time, every other field at its schema default. */
class SessionUpdaterTest {

    @Test
    void aNewSessionHasEveryOtherFieldAtItsSchemaDefault() {
        // Given
        final StorefrontEvent event = StorefrontEvent.newBuilder().setEventId("e-1").setEventType(EventType.PAGE_VIEWED)
                .setEventTime(Instant.parse("2026-03-02T10:00:00Z")).setSessionId("s-1").setAnonymousId("a-1")
                .setCustomerId("c-1").build();

        // When
        final SessionState state = new SessionUpdater(PolicyLoader.defaults().detection()).start(event);

        // Then: equal to a state built from the schema's defaults
        final SessionState expected = SessionState.newBuilder().setSessionId("s-1").setAnonymousId("a-1")
                .setCustomerId("c-1").setStartedAt(event.getEventTime()).setLastEventAt(event.getEventTime()).build();
        assertThat(state).isEqualTo(expected);
        for (final Schema.Field field : SessionState.getClassSchema().getFields()) {
            assertThat(state.get(field.pos())).as(field.name()).isEqualTo(expected.get(field.pos()));
        }
        assertThat(state.getLines()).as("lists are the state's own").isNotSameAs(expected.getLines());
    }
}
