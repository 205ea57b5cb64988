package io.cartrescue.topology;

import java.util.List;
import java.util.Objects;

/**
 * The names of the topics cart-rescue reads and writes. Internal topics (repartitions, changelogs)
 * are named by Kafka Streams from the application id and are not listed here.
 *
 * @param events                 storefront events, keyed by session id (input)
 * @param profiles               customer profiles, compacted, keyed by customer id (input)
 * @param chatCapacity           chat queue capacity, compacted, keyed by queue (input)
 * @param chatInterventions      chat offers, for the chat service (output)
 * @param onsiteInterventions    on-site offers, for the storefront (output)
 * @param marketingInterventions recovery reminders, for the marketing service (output)
 * @param decisions              the audit of every decision (output)
 * @param outcomes               conversion after each decision (output)
 * @param deadLetters            input that could not be used, with the reason in headers (output)
 */
public record TopicNames(
        String events,
        String profiles,
        String chatCapacity,
        String chatInterventions,
        String onsiteInterventions,
        String marketingInterventions,
        String decisions,
        String outcomes,
        String deadLetters) {

    public TopicNames {
        Objects.requireNonNull(events, "events");
        Objects.requireNonNull(profiles, "profiles");
        Objects.requireNonNull(chatCapacity, "chatCapacity");
        Objects.requireNonNull(chatInterventions, "chatInterventions");
        Objects.requireNonNull(onsiteInterventions, "onsiteInterventions");
        Objects.requireNonNull(marketingInterventions, "marketingInterventions");
        Objects.requireNonNull(decisions, "decisions");
        Objects.requireNonNull(outcomes, "outcomes");
        Objects.requireNonNull(deadLetters, "deadLetters");
    }

    /** The default names, as documented in the README. */
    public static TopicNames defaults() {
        return new TopicNames("storefront.events", "customer.profiles", "chat.capacity",
                "interventions.chat", "interventions.onsite", "interventions.marketing",
                "decisions", "outcomes", "cart-rescue.dead-letters");
    }

    /** Topics the application reads. */
    public List<String> inputs() {
        return List.of(events, profiles, chatCapacity);
    }

    /** Topics the application writes. */
    public List<String> outputs() {
        return List.of(chatInterventions, onsiteInterventions, marketingInterventions, decisions, outcomes, deadLetters);
    }
}
