package io.cartrescue.replay;

import io.cartrescue.schema.Decision;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * What-if: the sessions on which two policies decided differently, and how. Each decision is reduced
 * to what an analyst compares (signal, verdict, intervention type or guardrail, time); ids and the
 * policy version are left out, since they differ by construction. A session differs when its list
 * of decisions differs.
 */
public final class PolicyComparison {
    private PolicyComparison() {
    }

    /**
     * One session the policies treat differently.
     *
     * @param sessionId   the session
     * @param customerKey its customer key
     * @param policyA     its decisions under the first policy, sorted as text
     * @param policyB     its decisions under the second policy
     * @param onlyA       decisions made only under the first policy
     * @param onlyB       decisions made only under the second policy
     */
    public record SessionDifference(String sessionId, String customerKey, List<String> policyA, List<String> policyB,
                                    List<String> onlyA, List<String> onlyB) {
    }

    /** The differing sessions, by session id. */
    public static List<SessionDifference> differences(final List<Decision> a, final List<Decision> b) {
        final Map<String, List<String>> byA = bySession(a);
        final Map<String, List<String>> byB = bySession(b);
        final Map<String, String> customers = new TreeMap<>();
        a.forEach(d -> customers.putIfAbsent(d.getSessionId(), d.getCustomerKey()));
        b.forEach(d -> customers.putIfAbsent(d.getSessionId(), d.getCustomerKey()));
        final List<SessionDifference> differences = new ArrayList<>();
        for (final String session : customers.keySet()) {
            final List<String> inA = byA.getOrDefault(session, List.of());
            final List<String> inB = byB.getOrDefault(session, List.of());
            if (!inA.equals(inB)) {
                differences.add(new SessionDifference(session, customers.get(session), inA, inB, minus(inA, inB), minus(inB, inA)));
            }
        }
        return differences;
    }

    /** A decision in words: {@code PAYMENT_FAILURES EMITTED CHAT_OFFER at 2026-03-02T10:01:00Z}. */
    static String describe(final Decision d) {
        final String what = switch (d.getVerdict()) {
            case SUPPRESSED -> "SUPPRESSED by " + d.getGuardrail() + (d.getInterventionType() == null ? "" : " (" + d.getInterventionType() + ")");
            default -> d.getVerdict() + (d.getInterventionType() == null ? "" : " " + d.getInterventionType());
        };
        return d.getSignal() + " " + what + " at " + d.getDecidedAt();
    }

    private static Map<String, List<String>> bySession(final List<Decision> decisions) {
        final Map<String, List<String>> bySession = new TreeMap<>();
        for (final Decision d : decisions) {
            bySession.computeIfAbsent(d.getSessionId(), s -> new ArrayList<>()).add(describe(d));
        }
        bySession.values().forEach(Collections::sort);
        return bySession;
    }

    private static List<String> minus(final List<String> from, final List<String> remove) {
        final List<String> rest = new ArrayList<>(from);
        remove.forEach(rest::remove);
        return rest;
    }
}
