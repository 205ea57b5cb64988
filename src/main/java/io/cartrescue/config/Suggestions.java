package io.cartrescue.config;

import java.util.Collection;
import java.util.Optional;

/**
 * Finds the valid key an operator most likely meant, by Damerau-Levenshtein distance (optimal
 * string alignment: insertions, deletions, substitutions and swaps of neighbours each count one).
 * A key is suggested only when it is close: one edit for short keys, up to three for long ones.
 */
final class Suggestions {
    private Suggestions() {
    }

    static Optional<String> closest(final String key, final Collection<String> candidates) {
        final int limit = limitFor(key);
        String best = null;
        int bestDistance = limit + 1;
        for (final String candidate : candidates) {
            if (Math.abs(candidate.length() - key.length()) > limit) {
                continue;
            }
            final int distance = distance(key, candidate);
            if (distance < bestDistance || distance == bestDistance && best != null && candidate.compareTo(best) < 0) {
                best = candidate;
                bestDistance = distance;
            }
        }
        return Optional.ofNullable(best);
    }

    static int limitFor(final String key) {
        if (key.length() <= 8) {
            return 1;
        }
        return key.length() <= 20 ? 2 : 3;
    }

    static int distance(final String a, final String b) {
        final int[][] d = new int[a.length() + 1][b.length() + 1];
        for (int i = 0; i <= a.length(); i++) {
            d[i][0] = i;
        }
        for (int j = 0; j <= b.length(); j++) {
            d[0][j] = j;
        }
        for (int i = 1; i <= a.length(); i++) {
            for (int j = 1; j <= b.length(); j++) {
                final int cost = a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1;
                int best = Math.min(Math.min(d[i - 1][j] + 1, d[i][j - 1] + 1), d[i - 1][j - 1] + cost);
                if (i > 1 && j > 1 && a.charAt(i - 1) == b.charAt(j - 2) && a.charAt(i - 2) == b.charAt(j - 1)) {
                    best = Math.min(best, d[i - 2][j - 2] + 1);
                }
                d[i][j] = best;
            }
        }
        return d[a.length()][b.length()];
    }
}
