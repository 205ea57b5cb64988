package io.cartrescue.simulator;

import java.util.Arrays;

/**
 * The live sessions ordered by next event time (ties by arrival order), as a binary heap over
 * primitive arrays.
 *
 * <p>The simulator's hot loop takes the earliest session, advances it and puts it back; with tens
 * of thousands of sessions a general priority queue spends most of its time chasing pointers to
 * compare them. Here the keys sit in contiguous arrays, and a session that stays live is re-keyed
 * in place with a single sift instead of a removal and an insertion.
 */
final class SessionQueue {

    private long[] times = new long[64];
    private long[] ordinals = new long[64];
    private SimulatedSession[] sessions = new SimulatedSession[64];
    private int size;

    int size() {
        return size;
    }

    boolean isEmpty() {
        return size == 0;
    }

    /** Next event time of the earliest session; undefined when empty. */
    long firstTime() {
        return times[0];
    }

    /** The earliest session; undefined when empty. */
    SimulatedSession first() {
        return sessions[0];
    }

    void add(final SimulatedSession session, final long ordinal) {
        if (size == times.length) {
            final int capacity = size * 2;
            times = Arrays.copyOf(times, capacity);
            ordinals = Arrays.copyOf(ordinals, capacity);
            sessions = Arrays.copyOf(sessions, capacity);
        }
        siftUp(size++, session.nextEventTime(), ordinal, session);
    }

    /** Re-keys the earliest session after it moved on, or drops it when it has ended. */
    void advanceFirst() {
        final SimulatedSession session = sessions[0];
        if (session.hasNext()) {
            siftDown(0, session.nextEventTime(), ordinals[0], session);
        } else {
            removeAt(0);
        }
    }

    /** Re-keys a session whose next event time may have changed (it may only have moved later). */
    void update(final SimulatedSession session) {
        for (int i = 0; i < size; i++) {
            if (sessions[i] == session) {
                final long ordinal = ordinals[i];
                if (session.hasNext()) {
                    siftDown(i, session.nextEventTime(), ordinal, session);
                } else {
                    removeAt(i);
                }
                return;
            }
        }
    }

    private void removeAt(final int index) {
        final int last = --size;
        final long time = times[last];
        final long ordinal = ordinals[last];
        final SimulatedSession moved = sessions[last];
        sessions[last] = null;
        if (index < last) {
            siftDown(index, time, ordinal, moved);
            if (sessions[index] == moved) {
                siftUp(index, time, ordinal, moved);
            }
        }
    }

    private void siftUp(final int from, final long time, final long ordinal, final SimulatedSession session) {
        int index = from;
        while (index > 0) {
            final int parent = (index - 1) >>> 1;
            if (!before(time, ordinal, times[parent], ordinals[parent])) {
                break;
            }
            place(index, times[parent], ordinals[parent], sessions[parent]);
            index = parent;
        }
        place(index, time, ordinal, session);
    }

    private void siftDown(final int from, final long time, final long ordinal, final SimulatedSession session) {
        int index = from;
        final int half = size >>> 1;
        while (index < half) {
            int child = 2 * index + 1;
            final int right = child + 1;
            if (right < size && before(times[right], ordinals[right], times[child], ordinals[child])) {
                child = right;
            }
            if (!before(times[child], ordinals[child], time, ordinal)) {
                break;
            }
            place(index, times[child], ordinals[child], sessions[child]);
            index = child;
        }
        place(index, time, ordinal, session);
    }

    private void place(final int index, final long time, final long ordinal, final SimulatedSession session) {
        times[index] = time;
        ordinals[index] = ordinal;
        sessions[index] = session;
    }

    private static boolean before(final long time, final long ordinal, final long otherTime, final long otherOrdinal) {
        return time < otherTime || time == otherTime && ordinal < otherOrdinal;
    }
}
