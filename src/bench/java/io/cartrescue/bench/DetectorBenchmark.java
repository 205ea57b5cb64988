package io.cartrescue.bench;

import io.cartrescue.detection.SessionDetector;
import io.cartrescue.detection.SignalRules;
import io.cartrescue.policy.DetectionPolicy;
import io.cartrescue.policy.PolicyLoader;
import io.cartrescue.schema.SessionState;
import io.cartrescue.schema.StorefrontEvent;
import io.cartrescue.simulator.StorefrontSimulator;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.infra.Blackhole;

/**
 * Session detection without Kafka: {@link SessionDetector#onEvent} over the simulator's event mix
 * (states kept in a map, as the store would), and the evaluation of every event signal on the
 * sessions' states. Not final: JMH generates subclasses of its state classes.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class DetectorBenchmark {
    static final int EVENTS = 20_000;
    static final int STATES = 1_000;

    private final DetectionPolicy policy = PolicyLoader.defaults().detection();
    private final SessionDetector detector = new SessionDetector(policy, "bench");
    private List<StorefrontEvent> events;
    private List<SessionState> states;

    @Setup
    public void setUp() {
        final StorefrontSimulator storefront = SimulatedEvents.storefront(2_000);
        events = new ArrayList<>(EVENTS);
        for (int i = 0; i < EVENTS; i++) {
            events.add(storefront.next());
        }
        final List<SessionState> open = new ArrayList<>(apply().values());
        states = new ArrayList<>(STATES);
        for (int i = 0; i < STATES; i++) {
            states.add(open.get(i % open.size()));
        }
    }

    /** One event applied to its session: duplicate check, update, signals, next deadline. */
    @Benchmark
    @OperationsPerInvocation(EVENTS)
    public Map<String, SessionState> onEvent() {
        return apply();
    }

    /** The event signals and the next deadline evaluated on one open session. */
    @Benchmark
    @OperationsPerInvocation(STATES)
    public void evaluateSignals(final Blackhole blackhole) {
        for (final SessionState s : states) {
            final long at = s.getLastEventAt().toEpochMilli();
            blackhole.consume(SignalRules.paymentFailures(s, policy, 1, at));
            blackhole.consume(SignalRules.checkoutErrors(s, policy, 1, at));
            blackhole.consume(SignalRules.shippingCostShockByMoves(s, policy, 1, at));
            blackhole.consume(SignalRules.priceHesitation(s, policy, 1, at));
            blackhole.consume(SignalRules.productDoubt(s, policy, 1, at));
            blackhole.consume(SignalRules.policyConcern(s, policy, 1, at));
            blackhole.consume(detector.nextDeadline(s));
        }
    }

    private Map<String, SessionState> apply() {
        final Map<String, SessionState> open = new HashMap<>(8_192);
        for (final StorefrontEvent event : events) {
            final SessionDetector.Step step = detector.onEvent(open.get(event.getSessionId()), event);
            if (step.state() == null) {
                open.remove(event.getSessionId());
            } else {
                open.put(event.getSessionId(), step.state());
            }
        }
        return open;
    }
}
