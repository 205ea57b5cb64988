package io.cartrescue.config;

import java.io.IOException;
import java.io.StringReader;
import java.nio.charset.MalformedInputException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;

/**
 * Reads a {@code --config} file: Java properties syntax, UTF-8, each setting with the line it
 * starts on. A key set twice in the file is a problem, since one of the two lines would be
 * silently ignored.
 */
final class PropertiesFile {
    private static final char BYTE_ORDER_MARK = '\uFEFF';

    /**
     * @param settings what the file sets, in file order
     * @param problems why the file, or some of its lines, cannot be used
     */
    record Contents(List<Setting> settings, List<String> problems) {
    }

    private PropertiesFile() {
    }

    static Contents read(final Path file) {
        final List<String> lines;
        try {
            lines = Files.readAllLines(file, StandardCharsets.UTF_8);
        } catch (final NoSuchFileException e) {
            return failed("config file " + file + " does not exist; check the --config path");
        } catch (final AccessDeniedException e) {
            return failed("config file " + file + " cannot be read: permission denied");
        } catch (final MalformedInputException e) {
            return failed("config file " + file + " is not valid UTF-8 text; save it as UTF-8");
        } catch (final IOException e) {
            return failed("config file " + file + " cannot be read: " + e.getClass().getSimpleName());
        }
        return parse(file, lines);
    }

    private static Contents failed(final String problem) {
        return new Contents(List.of(), List.of(problem));
    }

    private static Contents parse(final Path file, final List<String> lines) {
        final List<Setting> settings = new ArrayList<>();
        final List<String> problems = new ArrayList<>();
        final Map<String, Integer> firstLine = new HashMap<>();
        int index = 0;
        while (index < lines.size()) {
            final int start = index;
            final String first = index == 0 ? withoutByteOrderMark(lines.get(0)) : lines.get(index);
            final StringBuilder logical = new StringBuilder(first);
            String current = first;
            index++;
            if (isBlankOrComment(first)) {
                continue;
            }
            while (continues(current) && index < lines.size()) {
                current = lines.get(index);
                logical.append('\n').append(current);
                index++;
            }
            final int lineNumber = start + 1;
            final Properties one = new Properties();
            try {
                one.load(new StringReader(logical.toString()));
            } catch (final IllegalArgumentException | IOException e) {
                problems.add(file + " line " + lineNumber + ": malformed \\uXXXX escape");
                continue;
            }
            for (final String key : one.stringPropertyNames()) {
                final Integer earlier = firstLine.putIfAbsent(key, lineNumber);
                if (earlier != null) {
                    problems.add("setting '" + key + "' is set twice in " + file + " (lines " + earlier + " and "
                            + lineNumber + "); keep one");
                }
                settings.add(new Setting(key, one.getProperty(key).strip(), Origin.file(file, lineNumber)));
            }
        }
        return new Contents(List.copyOf(settings), List.copyOf(problems));
    }

    private static String withoutByteOrderMark(final String line) {
        return !line.isEmpty() && line.charAt(0) == BYTE_ORDER_MARK ? line.substring(1) : line;
    }

    private static boolean isBlankOrComment(final String line) {
        for (int i = 0; i < line.length(); i++) {
            final char c = line.charAt(i);
            if (c != ' ' && c != '\t' && c != '\f') {
                return c == '#' || c == '!';
            }
        }
        return true;
    }

    /** A line ending in an odd number of backslashes continues on the next one. */
    private static boolean continues(final String line) {
        int backslashes = 0;
        for (int i = line.length() - 1; i >= 0 && line.charAt(i) == '\\'; i--) {
            backslashes++;
        }
        return backslashes % 2 == 1;
    }
}
