package io.cartrescue.replay;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Lines as a {@link java.io.BufferedReader} over a replacing UTF-8 decoder has them, across buffer ends. */
class LineSourceTest {
    @TempDir
    Path dir;

    @Test
    void lineEndsAndBytesThatAreNotUtf8AsTheReaderHasThem() throws IOException {
        final byte[][] pieces = {"abc".getBytes(StandardCharsets.US_ASCII), {' '}, {'\t'}, {'\n'}, {'\r'}, {'\r', '\n'},
                {(byte) 0xC3, (byte) 0xA9}, {(byte) 0xC3}, {(byte) 0xE2, (byte) 0x82}, {(byte) 0xE2, (byte) 0x82, (byte) 0xAC},
                {(byte) 0xF0, (byte) 0x9F, (byte) 0x98}, {(byte) 0xFF}, {(byte) 0x80}, {0}, {0x1F}, {0x7F},
                {(byte) 0xEF, (byte) 0xBB, (byte) 0xBF}, {(byte) 0xED, (byte) 0xA0, (byte) 0x80}};
        final Random random = new Random(3);
        for (int file = 0; file < 60; file++) {
            final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
            final int size = file < 10 ? file : random.nextInt(300_000);
            while (bytes.size() < size) {
                if (random.nextInt(500) == 0) {
                    bytes.writeBytes("x".repeat(random.nextInt(200_000)).getBytes(StandardCharsets.US_ASCII));
                }
                bytes.writeBytes(pieces[random.nextInt(pieces.length)]);
            }
            sameLines(bytes.toByteArray());
        }
    }

    @Test
    void lineEndsAtTheEndOfTheBuffer() throws IOException {
        for (final String end : List.of("\n", "\r", "\r\n", "\n\r", "\r\r")) {
            for (int shift = -3; shift <= 3; shift++) {
                final String line = "y".repeat((1 << 16) - 1 + shift);
                sameLines((line + end + "z" + end + line + line + end).getBytes(StandardCharsets.US_ASCII));
                sameLines((line + "\u00e9" + end + "\u00e9").getBytes(StandardCharsets.UTF_8));
            }
        }
    }

    private void sameLines(final byte[] content) throws IOException {
        final Path file = Files.write(dir.resolve("lines.txt"), content);
        final List<String> lines = new ArrayList<>();
        final List<Boolean> plain = new ArrayList<>();
        try (LineSource source = new LineSource(file)) {
            for (String line = source.next(); line != null; line = source.next()) {
                assertThat(source.lineNumber()).isEqualTo(lines.size() + 1);
                lines.add(line);
                plain.add(source.plain());
                if (source.plain()) {
                    assertThat(new String(source.bytes(), source.start(), source.length(), StandardCharsets.UTF_8)).isEqualTo(line);
                }
            }
            assertThat(source.bytesRead()).isEqualTo(content.length);
        }
        assertThat(lines).isEqualTo(TreeReading.lines(file));
        for (int i = 0; i < lines.size(); i++) {
            assertThat(plain.get(i)).isEqualTo(lines.get(i).chars().allMatch(c -> c == '\t' || c >= 0x20 && c < 0x80));
        }
    }
}
