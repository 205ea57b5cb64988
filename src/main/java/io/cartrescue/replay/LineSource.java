package io.cartrescue.replay;

import java.io.IOException;
import java.io.InputStream;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;

/**
 * Reads a text file line by line as UTF-8, replacing bytes that are not UTF-8 (so one bad byte
 * makes one malformed line, not a crash), and tells how many bytes have been read, for progress.
 * Lines end at {@code \n}, {@code \r} or {@code \r\n}, as {@link java.io.BufferedReader#readLine()}
 * has them. A line can be taken as text ({@link #next()}) or, without decoding, as the bytes in the
 * read buffer ({@link #advance()}, {@link #bytes()}); {@link #plain()} tells whether those bytes are
 * printable ASCII and tabs only, which read the same as bytes and as text.
 */
final class LineSource implements AutoCloseable {
    private static final int BUFFER = 1 << 16;
    private static final VarHandle LONGS = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);

    private final InputStream in;
    private final CharsetDecoder decoder = StandardCharsets.UTF_8.newDecoder()
            .onMalformedInput(CodingErrorAction.REPLACE).onUnmappableCharacter(CodingErrorAction.REPLACE);
    private byte[] buffer = new byte[BUFFER];
    /** The unread bytes are {@code buffer[position, limit)}. */
    private int position;
    private int limit;
    private boolean end;
    /** The last line ended with {@code \r}: a {@code \n} right after it belongs to that line end. */
    private boolean skipLineFeed;
    private int start;
    private int length;
    private boolean plain;
    private long lineNumber;
    private long bytesRead;

    LineSource(final Path file) throws IOException {
        in = Files.newInputStream(file);
    }

    /** The next line as text, or null at the end. */
    String next() throws IOException {
        return advance() ? text() : null;
    }

    /** Moves to the next line; false at the end. */
    boolean advance() throws IOException {
        if (skipLineFeed) {
            skipLineFeed = false;
            if (position == limit) {
                fill();
            }
            if (position < limit && buffer[position] == '\n') {
                position++;
            }
        }
        boolean printable = true;
        int i = position;
        while (true) {
            for (; i < limit; i++) {
                // eight printable bytes at a time, the rest one by one
                while (i + Long.BYTES <= limit && printable((long) LONGS.get(buffer, i))) {
                    i += Long.BYTES;
                }
                if (i == limit) {
                    break;
                }
                final byte b = buffer[i];
                if (b < 0x20) {
                    if (b == '\n' || b == '\r') {
                        take(i, printable);
                        position = i + 1;
                        skipLineFeed = b == '\r';
                        return true;
                    }
                    // control characters and every byte of a multi-byte character
                    printable &= b == '\t';
                }
            }
            if (end) {
                if (position == limit) {
                    return false;
                }
                take(limit, printable);
                position = limit;
                return true;
            }
            final int scanned = i - position;
            fill();
            i = position + scanned;
        }
    }

    /** Whether all eight bytes are printable ASCII (0x20 to 0x7F). */
    private static boolean printable(final long bytes) {
        return ((bytes - 0x2020202020202020L | bytes) & 0x8080808080808080L) == 0;
    }

    private void take(final int lineEnd, final boolean printable) {
        start = position;
        length = lineEnd - position;
        plain = printable;
        lineNumber++;
    }

    /** Reads more of the file behind the unread bytes, moving them to the front or growing the buffer. */
    private void fill() throws IOException {
        if (position > 0) {
            System.arraycopy(buffer, position, buffer, 0, limit - position);
            limit -= position;
            position = 0;
        }
        if (limit == buffer.length) {
            buffer = Arrays.copyOf(buffer, buffer.length * 2);
        }
        final int n = in.read(buffer, limit, buffer.length - limit);
        if (n < 0) {
            end = true;
        } else {
            limit += n;
            bytesRead += n;
        }
    }

    /** The bytes of the current line (without its line end) are {@code bytes()[start(), start() + length())}. */
    byte[] bytes() {
        return buffer;
    }

    int start() {
        return start;
    }

    int length() {
        return length;
    }

    /** Whether the current line is printable ASCII and tabs only. */
    boolean plain() {
        return plain;
    }

    /** The current line as text, bytes that are not UTF-8 replaced by U+FFFD. */
    String text() throws CharacterCodingException {
        if (plain) {
            return new String(buffer, start, length, StandardCharsets.ISO_8859_1);
        }
        return decoder.decode(ByteBuffer.wrap(buffer, start, length)).toString();
    }

    /** The number of the line last returned, from 1. */
    long lineNumber() {
        return lineNumber;
    }

    /** Bytes read from the file so far (ahead of the lines returned by at most the buffer). */
    long bytesRead() {
        return bytesRead;
    }

    @Override
    public void close() throws IOException {
        in.close();
    }
}
