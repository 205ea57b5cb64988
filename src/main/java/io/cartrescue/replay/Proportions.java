package io.cartrescue.replay;

/**
 * Confidence intervals for conversion rates: Wilson's score interval for one proportion, and
 * Newcombe's hybrid score interval (his method 10, built from the two Wilson intervals) for the
 * difference of two independent proportions, which is the uplift. Both stay inside [0, 1] and
 * [-1, 1] and behave with small counts and rates near 0 or 1, where the normal approximation fails.
 */
public final class Proportions {
    /** The 97.5% quantile of the standard normal distribution: two-sided 95% intervals. */
    static final double Z95 = 1.959963984540054;

    private Proportions() {
    }

    /** An estimate with its 95% interval. */
    public record Interval(double estimate, double low, double high) {
    }

    /** Wilson's 95% score interval for {@code successes} out of {@code trials}; null when there are no trials. */
    public static Interval wilson(final long successes, final long trials) {
        if (trials <= 0) {
            return null;
        }
        final double n = trials;
        final double p = successes / n;
        final double z2 = Z95 * Z95;
        final double centre = (p + z2 / (2 * n)) / (1 + z2 / n);
        final double half = Z95 / (1 + z2 / n) * Math.sqrt(p * (1 - p) / n + z2 / (4 * n * n));
        return new Interval(p, Math.max(0, centre - half), Math.min(1, centre + half));
    }

    /** Newcombe's 95% interval for the difference of the first rate minus the second; null when either is. */
    public static Interval difference(final Interval first, final Interval second) {
        if (first == null || second == null) {
            return null;
        }
        final double d = first.estimate() - second.estimate();
        final double low = d - Math.sqrt(square(first.estimate() - first.low()) + square(second.high() - second.estimate()));
        final double high = d + Math.sqrt(square(first.high() - first.estimate()) + square(second.estimate() - second.low()));
        return new Interval(d, Math.max(-1, low), Math.min(1, high));
    }

    private static double square(final double x) {
        return x * x;
    }
}
