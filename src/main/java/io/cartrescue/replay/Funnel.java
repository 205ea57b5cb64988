package io.cartrescue.replay;

import io.cartrescue.schema.StorefrontEvent;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The checkout funnel of the input: how many sessions reached each stage, counted from the events
 * as read (before the topology drops duplicates or late events). A session counts at every stage it
 * reached, whether or not it passed the earlier ones (real data has orders with no cart event).
 */
public final class Funnel {
    /** Stages in funnel order, with the summary's names. */
    static final String[] STAGES = {"sessions", "productViewed", "addedToCart", "checkoutStarted",
            "paymentEntered", "ordered"};

    private final Map<String, Integer> stagesBySession = new HashMap<>();

    /** Notes the stage the event shows for its session. */
    public void accept(final StorefrontEvent event) {
        final int stage = switch (event.getEventType()) {
            case PRODUCT_VIEWED -> 1;
            case PRODUCT_ADDED -> 2;
            case CHECKOUT_STARTED, CHECKOUT_STEP_VIEWED, CHECKOUT_STEP_COMPLETED -> 3;
            case PAYMENT_INFO_ENTERED, PAYMENT_FAILED -> 4;
            case ORDER_COMPLETED -> 5;
            default -> 0;
        };
        stagesBySession.merge(event.getSessionId(), 1 | 1 << stage, (a, b) -> a | b);
    }

    /** Sessions seen. */
    public int sessions() {
        return stagesBySession.size();
    }

    /** One stage: its name and the sessions that reached it. */
    public record Stage(String stage, long sessions) {
    }

    /** Sessions per stage, in funnel order. */
    public List<Stage> stages() {
        final long[] counts = new long[STAGES.length];
        for (final int reached : stagesBySession.values()) {
            for (int stage = 0; stage < STAGES.length; stage++) {
                if ((reached & 1 << stage) != 0) {
                    counts[stage]++;
                }
            }
        }
        final List<Stage> stages = new ArrayList<>();
        for (int stage = 0; stage < STAGES.length; stage++) {
            stages.add(new Stage(STAGES[stage], counts[stage]));
        }
        return stages;
    }
}
