package io.cartrescue.replay;

import io.cartrescue.schema.StorefrontEvent;
import java.util.ArrayList;
import java.util.List;

/**
 * The checkout funnel of the input: how many sessions reached each stage, counted from the events
 * as read (before the topology drops duplicates or late events). A session counts at every stage it
 * reached, whether or not it passed the earlier ones (real data has orders with no cart event).
 *
 * <p>As it counts, it gives every event of a session the same session id object, the first one it
 * saw: the replay's stores, keyed by session id, then find a session by comparing references, with
 * the id's hash already computed, instead of comparing each event's own copy of the id.
 */
public final class Funnel {
    /** Stages in funnel order, with the summary's names. */
    static final String[] STAGES = {"sessions", "productViewed", "addedToCart", "checkoutStarted",
            "paymentEntered", "ordered"};

    /**
     * The stages each session reached, one bit per stage: an open-addressing table of the sessions
     * (linear probing, at most three quarters full) with each session's hash and bits beside it.
     */
    private String[] sessions = new String[1 << 10];
    private int[] hashes = new int[1 << 10];
    private byte[] reached = new byte[1 << 10];
    private int size;
    /** The bits of the session with no id, if any event had none. */
    private int reachedWithoutId;

    /** Notes the stage the event shows for its session, and sets the session's id object on the event. */
    public void accept(final StorefrontEvent event) {
        final int stage = switch (event.getEventType()) {
            case PRODUCT_VIEWED -> 1;
            case PRODUCT_ADDED -> 2;
            case CHECKOUT_STARTED, CHECKOUT_STEP_VIEWED, CHECKOUT_STEP_COMPLETED -> 3;
            case PAYMENT_INFO_ENTERED, PAYMENT_FAILED -> 4;
            case ORDER_COMPLETED -> 5;
            default -> 0;
        };
        final String session = event.getSessionId();
        final int bits = 1 | 1 << stage;
        if (session == null) {
            size += reachedWithoutId == 0 ? 1 : 0;
            reachedWithoutId |= bits;
            return;
        }
        final int hash = session.hashCode();
        final int mask = sessions.length - 1;
        int i = spread(hash) & mask;
        for (String known = sessions[i]; known != null; known = sessions[i]) {
            if (hashes[i] == hash && known.equals(session)) {
                reached[i] |= (byte) bits;
                event.setSessionId(known);
                return;
            }
            i = (i + 1) & mask;
        }
        sessions[i] = session;
        hashes[i] = hash;
        reached[i] = (byte) bits;
        if (++size > sessions.length / 4 * 3) {
            grow();
        }
    }

    private static int spread(final int hash) {
        return hash ^ hash >>> 16;
    }

    private void grow() {
        final String[] oldSessions = sessions;
        final int[] oldHashes = hashes;
        final byte[] oldReached = reached;
        sessions = new String[oldSessions.length * 2];
        hashes = new int[sessions.length];
        reached = new byte[sessions.length];
        final int mask = sessions.length - 1;
        for (int j = 0; j < oldSessions.length; j++) {
            if (oldSessions[j] != null) {
                int i = spread(oldHashes[j]) & mask;
                while (sessions[i] != null) {
                    i = (i + 1) & mask;
                }
                sessions[i] = oldSessions[j];
                hashes[i] = oldHashes[j];
                reached[i] = oldReached[j];
            }
        }
    }

    /** Sessions seen. */
    public int sessions() {
        return size;
    }

    /** One stage: its name and the sessions that reached it. */
    public record Stage(String stage, long sessions) {
    }

    /** Sessions per stage, in funnel order. */
    public List<Stage> stages() {
        final long[] counts = new long[STAGES.length];
        for (int i = 0; i < sessions.length; i++) {
            if (sessions[i] != null) {
                count(reached[i], counts);
            }
        }
        count(reachedWithoutId, counts);
        final List<Stage> stages = new ArrayList<>();
        for (int stage = 0; stage < STAGES.length; stage++) {
            stages.add(new Stage(STAGES[stage], counts[stage]));
        }
        return stages;
    }

    private static void count(final int bits, final long[] counts) {
        for (int stage = 0; stage < STAGES.length; stage++) {
            if ((bits & 1 << stage) != 0) {
                counts[stage]++;
            }
        }
    }
}
