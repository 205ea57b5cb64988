package io.cartrescue.replay;

import java.nio.file.Path;
import java.util.Locale;

/** The input file formats the replay reads. */
public enum InputFormat {
    /** JSON lines in the plain JSON form of the storefront event schema. */
    JSONL,
    /** CSV in the layout of the public REES46 e-commerce behaviour data set. */
    REES46;

    /** The format named on the command line ({@code jsonl}, {@code rees46}), or else the one the file name suggests. */
    public static InputFormat of(final Path file, final String named) {
        if (named != null && !named.isBlank()) {
            try {
                return valueOf(named.trim().toUpperCase(Locale.ROOT));
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("unknown format '" + named + "': use jsonl or rees46", e);
            }
        }
        final String name = file.getFileName().toString().toLowerCase(Locale.ROOT);
        if (name.endsWith(".jsonl") || name.endsWith(".ndjson") || name.endsWith(".json")) {
            return JSONL;
        }
        if (name.endsWith(".csv")) {
            return REES46;
        }
        throw new IllegalArgumentException("cannot tell the format of " + file.getFileName()
                + " from its extension (.jsonl, .ndjson, .json or .csv): give --format jsonl|rees46");
    }

    /** A new parser for one file of this format. */
    public LineParser parser(final String currency) {
        return this == JSONL ? new JsonEventParser() : new Rees46Parser(currency);
    }

    /** The name used on the command line and in the summary. */
    public String label() {
        return name().toLowerCase(Locale.ROOT);
    }
}
