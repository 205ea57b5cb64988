package io.cartrescue.replay;

import java.io.IOException;
import java.nio.file.Path;

/** What a replay reads: a file in one of the {@link InputFormat}s, or a range of a recorded topic. */
public interface ReplaySource {
    /** Opens the source for one pass. */
    EventSource open(String currency) throws IOException;

    /** Its name in the summary: the file name, or {@code topic:NAME}. */
    String name();

    /** Its format in the summary: {@code jsonl}, {@code rees46} or {@code topic}. */
    String format();

    /** A file in a format. */
    static ReplaySource file(final Path file, final InputFormat format) {
        return new ReplaySource() {
            @Override
            public EventSource open(final String currency) throws IOException {
                return new FileEvents(file, format.parser(currency));
            }

            @Override
            public String name() {
                return file.getFileName().toString();
            }

            @Override
            public String format() {
                return format.label();
            }
        };
    }
}
