package io.cartrescue.replay;

import java.io.BufferedReader;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Reads a text file line by line as UTF-8, replacing bytes that are not UTF-8 (so one bad byte
 * makes one malformed line, not a crash), and tells how many bytes have been read, for progress.
 */
final class LineSource implements AutoCloseable {
    private final Counting counting;
    private final BufferedReader reader;
    private long lineNumber;

    LineSource(final Path file) throws IOException {
        counting = new Counting(Files.newInputStream(file));
        reader = new BufferedReader(new InputStreamReader(counting, StandardCharsets.UTF_8.newDecoder()
                .onMalformedInput(CodingErrorAction.REPLACE).onUnmappableCharacter(CodingErrorAction.REPLACE)), 1 << 16);
    }

    /** The next line, or null at the end. */
    String next() throws IOException {
        final String line = reader.readLine();
        if (line != null) {
            lineNumber++;
        }
        return line;
    }

    /** The number of the line last returned, from 1. */
    long lineNumber() {
        return lineNumber;
    }

    /** Bytes read from the file so far (ahead of the lines returned by at most the buffer). */
    long bytesRead() {
        return counting.count;
    }

    @Override
    public void close() throws IOException {
        reader.close();
    }

    private static final class Counting extends FilterInputStream {
        private long count;

        Counting(final InputStream in) {
            super(in);
        }

        @Override
        public int read() throws IOException {
            final int b = super.read();
            if (b >= 0) {
                count++;
            }
            return b;
        }

        @Override
        public int read(final byte[] buffer, final int offset, final int length) throws IOException {
            final int n = super.read(buffer, offset, length);
            if (n > 0) {
                count += n;
            }
            return n;
        }
    }
}
