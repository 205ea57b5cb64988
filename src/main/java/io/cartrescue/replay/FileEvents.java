package io.cartrescue.replay;

import io.cartrescue.schema.StorefrontEvent;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/** Events from a file, one per line, read by the format's parser. */
public final class FileEvents implements EventSource {
    private final Path file;
    private final LineParser parser;
    private final LineSource lines;
    private final long size;

    public FileEvents(final Path file, final LineParser parser) throws IOException {
        this.file = file;
        this.parser = parser;
        this.lines = new LineSource(file);
        this.size = Files.size(file);
    }

    @Override
    public Item next() throws IOException {
        if (!lines.advance()) {
            return null;
        }
        try {
            final Optional<StorefrontEvent> event = lines.plain()
                    ? parser.parse(lines.bytes(), lines.start(), lines.length())
                    : parser.parse(lines.text());
            return new Item(lines.lineNumber(), event.orElse(null), null, null, null);
        } catch (MalformedLineException e) {
            return new Item(lines.lineNumber(), null, e, null, null);
        }
    }

    @Override
    public long progress() {
        return lines.bytesRead();
    }

    @Override
    public long total() {
        return size;
    }

    @Override
    public String name() {
        return file.getFileName().toString();
    }

    @Override
    public void close() throws IOException {
        lines.close();
    }
}
