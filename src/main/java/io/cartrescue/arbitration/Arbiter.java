package io.cartrescue.arbitration;

import static io.cartrescue.arbitration.Rejection.value;

import io.cartrescue.policy.ArbitrationPolicy;
import io.cartrescue.policy.ArbitrationPolicy.Rung;
import io.cartrescue.policy.Policy;
import io.cartrescue.schema.Candidate;
import io.cartrescue.schema.Channel;
import io.cartrescue.schema.CustomerLedger;
import io.cartrescue.schema.CustomerProfile;
import io.cartrescue.schema.Decision;
import io.cartrescue.schema.ExperimentArm;
import io.cartrescue.schema.Intervention;
import io.cartrescue.schema.LedgerSend;
import io.cartrescue.schema.OpenAttribution;
import io.cartrescue.schema.PendingHold;
import io.cartrescue.schema.Reason;
import io.cartrescue.schema.SessionNotice;
import io.cartrescue.schema.SignalValue;
import io.cartrescue.schema.Verdict;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Arbitration of one customer's candidates: the ladder, the guardrails, the holdout and the holds.
 * Pure: everything it needs is passed in, including "now" (the processor's clock), and it returns
 * the records to publish and the new ledger.
 *
 * <p>Guardrails apply to both experiment arms alike (a holdout customer's would-be interventions are
 * recorded in the ledger and held like real ones), so that the two arms stay comparable; only at the
 * very end does the holdout withhold the intervention.
 */
public final class Arbiter {
    private final ArbitrationPolicy policy;
    private final String policyVersion;
    private final RungChecks rungChecks;
    private final Offers offers;
    private final QuietHours quietHours;
    private final Duration lookBack;
    private final CustomerFacts facts;

    public Arbiter(final Policy policy) {
        this.policy = policy.arbitration();
        this.policyVersion = policy.version();
        this.rungChecks = new RungChecks(this.policy);
        this.offers = new Offers(this.policy);
        this.quietHours = new QuietHours(this.policy.marketing().quietHoursStart(), this.policy.marketing().quietHoursEnd());
        this.lookBack = max(Duration.ofDays(1), max(this.policy.discount().period(), this.policy.marketing().recentOrder()));
        this.facts = new CustomerFacts(lookBack);
    }

    /** HOLDOUT when hash(customerKey + salt) mod 100 is below the holdout percent, else TREATMENT. */
    public ExperimentArm armOf(final String customerKey) {
        return Ids.bucket(customerKey, policy.holdout().salt()) < policy.holdout().percent()
                ? ExperimentArm.HOLDOUT : ExperimentArm.TREATMENT;
    }

    /**
     * Decides on a candidate; empty when the candidate was decided before (a re-delivery).
     *
     * @param now the processor's clock when the candidate arrived (wall clock live, stream time on
     *            replay); holds start then
     */
    public Optional<Ruling> decide(final Candidate candidate, final CustomerLedger ledger,
                                   final Optional<CustomerProfile> profile, final ChatCapacities capacities,
                                   final Instant now) {
        if (ledger.getDecidedCandidateIds().contains(candidate.getCandidateId())) {
            return Optional.empty();
        }
        final CustomerLedger current = Ledgers.withDecided(
                Ledgers.pruned(ledger, candidate.getDetectedAt(), lookBack), candidate.getCandidateId());
        final ExperimentArm arm = armOf(candidate.getCustomerKey());
        final LedgerView view = new LedgerView(current, candidate.getSessionId(), candidate.getSessionStartedAt());
        final Optional<Rejection> stop = candidateChecks(candidate, view);
        if (stop.isPresent()) {
            return Optional.of(suppressed(candidate, arm, stop.get(), current));
        }
        final Shopper shopper = Shopper.of(candidate, profile, policy);
        final List<Rung> ladder = policy.ladder(candidate.getSignal());
        final List<Rejection> skipped = new ArrayList<>();
        for (int i = 0; i < ladder.size(); i++) {
            final Optional<Rejection> rejection = rungChecks.check(ladder.get(i), candidate, shopper, view, capacities);
            if (rejection.isEmpty()) {
                return Optional.of(selected(candidate, arm, i, skipped, shopper, current, now));
            }
            skipped.add(numbered(i, rejection.get()));
        }
        return Optional.of(suppressed(candidate, arm, noRungLeft(candidate, skipped), current));
    }

    /** Ends a hold that no order cancelled: publish its decision and intervention, open the attribution window. */
    public Publication release(final PendingHold hold, final CustomerLedger ledger) {
        final Decision decision = hold.getDecision();
        final OpenAttribution attribution = OpenAttribution.newBuilder()
                .setDecisionId(decision.getDecisionId())
                .setSessionId(decision.getSessionId())
                .setSignal(decision.getSignal())
                .setExperimentArm(decision.getExperimentArm())
                .setInterventionId(decision.getInterventionId())
                .setInterventionType(decision.getInterventionType())
                .setDecidedAt(decision.getDecidedAt())
                .setWindowEndsAt(decision.getDecidedAt().plus(policy.attribution().window()))
                .build();
        return new Publication(decision, Optional.ofNullable(hold.getIntervention()), attribution,
                Ledgers.withAttribution(ledger, attribution));
    }

    /** An order: cancels the holds it makes pointless, converts open attribution windows, is recorded. */
    public OrderEffects onOrder(final SessionNotice order, final CustomerLedger ledger,
                                final List<PendingHold> pendingHolds) {
        return facts.onOrder(order, ledger, pendingHolds);
    }

    /** Any other notice: dismissals and ended sessions are recorded, the rest changes nothing. */
    public CustomerLedger onNotice(final SessionNotice notice, final CustomerLedger ledger) {
        return facts.onNotice(notice, ledger);
    }

    /** The attribution window of a decision ended; a not-converted outcome unless an order came first. */
    public AttributionEnd endAttribution(final String decisionId, final CustomerLedger ledger) {
        return facts.endAttribution(decisionId, ledger);
    }

    /** How long a customer's ledger is kept after the last thing that happened to it. */
    public Duration ledgerRetention() {
        return lookBack.plus(policy.attribution().window());
    }

    public static CustomerLedger emptyLedger(final String customerKey) {
        return Ledgers.empty(customerKey);
    }

    private Optional<Rejection> candidateChecks(final Candidate candidate, final LedgerView view) {
        final Optional<Rejection> ordered = view.orderInSession().map(order -> Rejection.of(Guardrail.ORDER_PLACED,
                "the order was placed in this session at " + order.getAt(), value("orderAt", order.getAt())));
        return ordered.or(() -> frequencyCap(view)).or(() -> minGap(candidate, view));
    }

    private Optional<Rejection> frequencyCap(final LedgerView view) {
        final int sent = view.sessionSends().size();
        final int cap = policy.frequency().maxPerSession();
        if (sent < cap) {
            return Optional.empty();
        }
        return Optional.of(Rejection.of(Guardrail.FREQUENCY_CAP, "this session already had " + sent
                + " intervention(s), the most allowed per session", value("sessionInterventions", sent), value("maxPerSession", cap)));
    }

    private Optional<Rejection> minGap(final Candidate candidate, final LedgerView view) {
        final Duration gap = policy.frequency().minGap();
        return view.nearestSend(candidate.getDetectedAt())
                .filter(send -> Duration.between(send.getAt(), candidate.getDetectedAt()).abs().compareTo(gap) < 0)
                .map(send -> {
                    final long seconds = Duration.between(send.getAt(), candidate.getDetectedAt()).abs().toSeconds();
                    return Rejection.of(Guardrail.MIN_GAP, "the " + send.getType() + " of " + send.getAt() + " was "
                                    + seconds + " s away, less than the " + gap.toSeconds() + " s minimum gap",
                            value("previousInterventionAt", send.getAt()), value("gapSeconds", seconds),
                            value("minGapSeconds", gap.toSeconds()));
                });
    }

    private Rejection noRungLeft(final Candidate candidate, final List<Rejection> skipped) {
        if (skipped.isEmpty()) {
            return Rejection.of(Guardrail.NO_ELIGIBLE_RUNG, "the policy has no ladder for " + candidate.getSignal());
        }
        final Guardrail first = skipped.stream().map(Rejection::guardrail).filter(g -> g != Guardrail.NOT_ELIGIBLE)
                .findFirst().orElse(Guardrail.NO_ELIGIBLE_RUNG);
        final List<SignalValue> values = skipped.stream().flatMap(r -> r.values().stream()).toList();
        return new Rejection(first, "no rung of the " + candidate.getSignal() + " ladder is left: "
                + String.join("; ", skipped.stream().map(Rejection::explanation).toList()), values);
    }

    private Ruling suppressed(final Candidate candidate, final ExperimentArm arm, final Rejection rejection,
                              final CustomerLedger ledger) {
        final Decision decision = decision(candidate, arm, rejection.values())
                .setVerdict(Verdict.SUPPRESSED)
                .setGuardrail(rejection.guardrail().name())
                .setExplanation("Not sent: " + rejection.explanation() + ".")
                .build();
        return new Ruling(decision, Optional.empty(), ledger);
    }

    private Ruling selected(final Candidate candidate, final ExperimentArm arm, final int index,
                            final List<Rejection> skipped, final Shopper shopper, final CustomerLedger ledger,
                            final Instant now) {
        final Rung rung = policy.ladder(candidate.getSignal()).get(index);
        final Instant releaseAt = releaseAt(rung.channel(), shopper, now);
        final Intervention intervention = intervention(candidate, rung, shopper, releaseAt);
        final List<SignalValue> values = new ArrayList<>();
        skipped.forEach(r -> values.addAll(r.values()));
        values.add(value("rung", index + 1));
        values.add(value("releaseAt", releaseAt));
        if (arm == ExperimentArm.HOLDOUT) {
            values.add(value("holdoutPercent", policy.holdout().percent()));
        }
        final Decision decision = decision(candidate, arm, values)
                .setVerdict(arm == ExperimentArm.HOLDOUT ? Verdict.HOLDOUT : Verdict.EMITTED)
                .setExplanation(Explanations.selected(candidate, rung, index, skipped, arm, policy.holdout().percent()))
                .setInterventionId(intervention.getInterventionId())
                .setInterventionType(rung.type())
                .setChannel(rung.channel())
                .build();
        final LedgerSend send = new LedgerSend(decision.getDecisionId(), intervention.getInterventionId(), rung.type(),
                rung.channel(), candidate.getSessionId(), candidate.getSessionStartedAt(), candidate.getDetectedAt());
        final PendingHold hold = new PendingHold(decision, arm == ExperimentArm.HOLDOUT ? null : intervention,
                candidate.getSessionStartedAt(), releaseAt);
        return new Ruling(decision, Optional.of(hold), Ledgers.withSend(ledger, send));
    }

    private Intervention intervention(final Candidate candidate, final Rung rung, final Shopper shopper,
                                      final Instant releaseAt) {
        final String id = Ids.interventionId(candidate.getCandidateId(), rung.type());
        return Intervention.newBuilder()
                .setInterventionId(id)
                .setType(rung.type())
                .setChannel(rung.channel())
                .setSessionId(candidate.getSessionId())
                .setCustomerKey(candidate.getCustomerKey())
                .setCustomerId(candidate.getCustomerId())
                .setCreatedAt(candidate.getDetectedAt())
                .setExpiresAt(releaseAt.plus(policy.expiry().of(rung.type())))
                .setSendAt(releaseAt)
                .setReasons(List.of(new Reason(candidate.getSignal(), candidate.getCandidateId(), candidate.getValues())))
                .setOffer(offers.build(rung.type(), id, candidate, shopper))
                .setPolicyVersion(policyVersion)
                .setExperimentArm(ExperimentArm.TREATMENT)
                .build();
    }

    /** Holds start when the candidate reached arbitration; reminders also wait for the end of quiet hours. */
    private Instant releaseAt(final Channel channel, final Shopper shopper, final Instant now) {
        if (channel == Channel.MARKETING) {
            return quietHours.releaseAt(now.plus(policy.holds().marketing()), shopper.zone());
        }
        return now.plus(policy.holds().inSession());
    }

    private Decision.Builder decision(final Candidate candidate, final ExperimentArm arm, final List<SignalValue> extra) {
        final List<SignalValue> values = new ArrayList<>(candidate.getValues());
        values.addAll(extra);
        return Decision.newBuilder()
                .setDecisionId(Ids.decisionId(candidate.getCandidateId()))
                .setCandidateId(candidate.getCandidateId())
                .setSignal(candidate.getSignal())
                .setSessionId(candidate.getSessionId())
                .setCustomerKey(candidate.getCustomerKey())
                .setDecidedAt(candidate.getDetectedAt())
                .setExperimentArm(arm)
                .setPolicyVersion(policyVersion)
                .setValues(values);
    }

    private static Rejection numbered(final int index, final Rejection rejection) {
        final String prefix = "rung" + (index + 1) + ".";
        return new Rejection(rejection.guardrail(), "rung " + (index + 1) + " " + rejection.explanation()
                + " (" + rejection.guardrail() + ")",
                rejection.values().stream().map(v -> new SignalValue(prefix + v.getName(), v.getValue())).toList());
    }

    private static Duration max(final Duration a, final Duration b) {
        return a.compareTo(b) >= 0 ? a : b;
    }
}
