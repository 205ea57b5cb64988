package io.cartrescue.detection;

import io.cartrescue.schema.ArbitrationInput;
import io.cartrescue.schema.Candidate;
import io.cartrescue.schema.NoticeKind;
import io.cartrescue.schema.SessionNotice;
import io.cartrescue.schema.SessionState;
import io.cartrescue.schema.SignalType;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.UUID;

/** Builds what detection hands to arbitration: candidates with deterministic ids, and session notices. */
public final class Candidates {
    private static final String ANONYMOUS_PREFIX = "anon:";

    private final String policyVersion;

    public Candidates(final String policyVersion) {
        this.policyVersion = policyVersion;
    }

    /** The arbitration key of a session, fixed the first time it is asked for. */
    public static String customerKey(final SessionState s) {
        if (s.getCustomerKey() == null) {
            s.setCustomerKey(s.getCustomerId() != null ? s.getCustomerId() : ANONYMOUS_PREFIX + s.getAnonymousId());
        }
        return s.getCustomerKey();
    }

    /**
     * The candidate id: a name-based UUID of the session's identity, the signal and its occurrence, so
     * replay and failover give the same id.
     */
    public static String candidateId(final String sessionId, final long sessionStartedAt, final SignalType signal,
                                     final int occurrence) {
        final String name = sessionId + '|' + sessionStartedAt + '|' + signal.name() + '|' + occurrence;
        return UUID.nameUUIDFromBytes(name.getBytes(StandardCharsets.UTF_8)).toString();
    }

    ArbitrationInput candidate(final SessionState s, final SignalHit hit, final int occurrence) {
        final String key = customerKey(s);
        final Candidate candidate = Candidate.newBuilder()
                .setCandidateId(candidateId(s.getSessionId(), s.getStartedAt().toEpochMilli(), hit.signal(), occurrence))
                .setSignal(hit.signal())
                .setSessionId(s.getSessionId())
                .setSessionStartedAt(Instant.ofEpochMilli(s.getStartedAt().toEpochMilli()))
                .setCustomerKey(key)
                .setCustomerId(s.getCustomerId())
                .setAnonymousId(s.getAnonymousId())
                .setDetectedAt(Instant.ofEpochMilli(hit.detectedAt()))
                .setTrigger(hit.trigger())
                .setOccurrence(occurrence)
                .setValues(new ArrayList<>(hit.values()))
                .setCart(s.getCart())
                .setCheckoutStep(s.getCheckoutStep())
                .setDevice(s.getDevice())
                .setConsent(s.getConsent())
                .setLastPaymentErrorCode(s.getLastPaymentErrorCode())
                .setDismissedTypes(new ArrayList<>(s.getDismissedTypes()))
                .setDismissals(s.getDismissals())
                .setPolicyVersion(policyVersion)
                .build();
        return new ArbitrationInput(key, candidate);
    }

    ArbitrationInput notice(final SessionState s, final NoticeKind kind, final long at) {
        final String key = customerKey(s);
        final SessionNotice notice = SessionNotice.newBuilder()
                .setKind(kind)
                .setSessionId(s.getSessionId())
                .setSessionStartedAt(Instant.ofEpochMilli(s.getStartedAt().toEpochMilli()))
                .setCustomerKey(key)
                .setAt(Instant.ofEpochMilli(at))
                .build();
        return new ArbitrationInput(key, notice);
    }
}
