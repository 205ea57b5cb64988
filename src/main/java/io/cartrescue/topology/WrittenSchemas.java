package io.cartrescue.topology;

import io.cartrescue.processor.ArbitrationStores;
import io.cartrescue.processor.SessionDetectorProcessor;
import io.cartrescue.schema.ArbitrationInput;
import io.cartrescue.schema.ArbitrationTimer;
import io.cartrescue.schema.CustomerLedger;
import io.cartrescue.schema.Decision;
import io.cartrescue.schema.Intervention;
import io.cartrescue.schema.Outcome;
import io.cartrescue.schema.PendingHold;
import io.cartrescue.schema.SessionState;
import io.cartrescue.schema.StorefrontEvent;
import java.util.LinkedHashMap;
import java.util.Map;
import org.apache.avro.Schema;

/**
 * Every topic whose values the topology writes in Avro through the registry, with the schema it
 * writes: the output topics, the two repartition topics and the changelogs of the Avro-valued
 * stores. Knowing them up front lets an instance resolve their schema ids as it starts, so that a
 * registry outage later only holds up a schema that is really new (a test checks the list against
 * the topology).
 */
public final class WrittenSchemas {
    private WrittenSchemas() {
    }

    public static Map<String, Schema> of(final String applicationId, final TopicNames topics) {
        final Map<String, Schema> written = new LinkedHashMap<>();
        written.put(topics.chatInterventions(), Intervention.getClassSchema());
        written.put(topics.onsiteInterventions(), Intervention.getClassSchema());
        written.put(topics.marketingInterventions(), Intervention.getClassSchema());
        written.put(topics.decisions(), Decision.getClassSchema());
        written.put(topics.outcomes(), Outcome.getClassSchema());
        written.put(repartition(applicationId, CartRescueTopology.EVENTS_BY_SESSION), StorefrontEvent.getClassSchema());
        written.put(repartition(applicationId, CartRescueTopology.ARBITRATION_INPUT), ArbitrationInput.getClassSchema());
        written.put(changelog(applicationId, SessionDetectorProcessor.STATE_STORE), SessionState.getClassSchema());
        written.put(changelog(applicationId, ArbitrationStores.LEDGER), CustomerLedger.getClassSchema());
        written.put(changelog(applicationId, ArbitrationStores.PENDING_HOLDS), PendingHold.getClassSchema());
        written.put(changelog(applicationId, ArbitrationStores.TIMERS), ArbitrationTimer.getClassSchema());
        written.put(changelog(applicationId, ArbitrationStores.INPUT_BUFFER), ArbitrationInput.getClassSchema());
        return written;
    }

    static String repartition(final String applicationId, final String name) {
        return applicationId + "-" + name + "-repartition";
    }

    static String changelog(final String applicationId, final String store) {
        return applicationId + "-" + store + "-changelog";
    }
}
