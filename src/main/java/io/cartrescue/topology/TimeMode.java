package io.cartrescue.topology;

/**
 * How the processors decide "now" for timers (stalls, abandonment, holds).
 * <ul>
 *   <li>{@link #LIVE}: the wall clock. A quiet session is noticed within about a second of its
 *       deadline even when no other event arrives.</li>
 *   <li>{@link #REPLAY}: stream time, the highest event time seen on the partition. The same input
 *       gives the same output however fast it is replayed.</li>
 * </ul>
 */
public enum TimeMode {
    LIVE,
    REPLAY
}
