package io.cartrescue.app;

import io.cartrescue.policy.ArbitrationPolicy;
import io.cartrescue.policy.Policy;
import io.cartrescue.policy.PolicyError;
import io.cartrescue.policy.PolicyException;
import io.cartrescue.policy.PolicyLoader;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code validate-policy [FILE]}: checks a policy file merged over the built-in defaults and prints
 * every problem with its key and the fix (exit code 1), or a short summary of the valid policy
 * (exit code 0). Without a file it checks the built-in policy. An unreadable file exits with 2.
 */
@Command(name = "validate-policy", mixinStandardHelpOptions = true,
        description = "Check a policy file (merged over the built-in defaults) and print every problem with its fix.")
public final class ValidatePolicyCommand implements Callable<Integer> {
    static final int INVALID = 1;
    static final int UNREADABLE = 2;

    @Spec
    private CommandSpec spec;

    @Parameters(index = "0", arity = "0..1", paramLabel = "FILE", description = "Policy YAML file; the built-in policy when omitted.")
    private Path file;

    @Override
    public Integer call() {
        final PrintWriter out = spec.commandLine().getOut();
        final PrintWriter err = spec.commandLine().getErr();
        final String source = file == null ? "built-in policy" : file.toString();
        try {
            final Policy policy = file == null ? PolicyLoader.defaults() : PolicyLoader.load(file);
            out.println(summary(source, policy));
            return 0;
        } catch (PolicyException e) {
            final List<PolicyError> errors = e.errors();
            err.println(source + ": " + errors.size() + (errors.size() == 1 ? " error" : " errors"));
            errors.forEach(error -> err.println("  " + error));
            return INVALID;
        } catch (UncheckedIOException e) {
            err.println(source + ": cannot be read (" + e.getCause().getMessage() + ")");
            return UNREADABLE;
        }
    }

    static String summary(final String source, final Policy policy) {
        final ArbitrationPolicy a = policy.arbitration();
        final int rungs = a.ladders().values().stream().mapToInt(List::size).sum();
        return String.join(System.lineSeparator(),
                source + ": valid, version " + policy.version(),
                "  ladders:     " + a.ladders().size() + " signals, " + rungs + " rungs",
                "  holdout:     " + a.holdout().percent() + "% (salt " + a.holdout().salt() + ")",
                "  frequency:   at most " + a.frequency().maxPerSession() + " per session, "
                        + a.frequency().minGapSeconds() + " s apart; on-site offers stop after "
                        + a.dismissals().maxPerSession() + " dismissal(s)",
                "  discounts:   up to " + a.discount().maxPercent() + "%, " + a.discount().maxPerPeriod() + " per "
                        + a.discount().periodDays() + " days, none after " + a.discount().repeatAbandonerLimit()
                        + " abandonments with a discount",
                "  holds:       " + a.holds().inSessionSeconds() + " s in session, " + a.holds().marketingMinutes()
                        + " min for reminders; quiet hours " + a.marketing().quietHoursStart() + "–" + a.marketing().quietHoursEnd(),
                "  attribution: " + a.attribution().windowHours() + " h");
    }
}
