package io.cartrescue.config;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PropertiesFileTest {
    @TempDir
    Path dir;

    private Path write(final String text) throws Exception {
        return Files.write(dir.resolve("c.properties"), text.getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void valuesAreReadAsUtf8() throws Exception {
        // Given a value with letters outside Latin-1's ASCII part
        final Path file = write("client.id=caisse-\u00e9t\u00e9-\u5e97\n");

        // When
        final PropertiesFile.Contents contents = PropertiesFile.read(file);

        // Then
        assertThat(contents.problems()).isEmpty();
        assertThat(contents.settings()).singleElement().satisfies(setting -> {
            assertThat(setting.key()).isEqualTo("client.id");
            assertThat(setting.value()).isEqualTo("caisse-\u00e9t\u00e9-\u5e97");
        });
    }

    @Test
    void eachSettingKeepsTheLineItStartsOnAcrossCommentsAndContinuations() throws Exception {
        // Given a byte order mark, comments, a blank line, a continued value and trailing white space
        final Path file = write("\uFEFF# cart-rescue\n! also a comment\n\nbootstrap.servers=kafka-1:9092,\\\n"
                + "    kafka-2:9092\ncart-rescue.http.port = 9000   \n");

        // When
        final PropertiesFile.Contents contents = PropertiesFile.read(file);

        // Then
        assertThat(contents.problems()).isEmpty();
        assertThat(contents.settings()).containsExactly(
                new Setting("bootstrap.servers", "kafka-1:9092,kafka-2:9092", Origin.file(file, 4)),
                new Setting("cart-rescue.http.port", "9000", Origin.file(file, 6)));
    }

    @Test
    void malformedEscapeIsAProblemWithItsLine() throws Exception {
        // Given
        final Path file = write("client.id=ok\nclient.rack=\\u12\n");

        // When
        final PropertiesFile.Contents contents = PropertiesFile.read(file);

        // Then
        assertThat(contents.problems()).containsExactly(file + " line 2: malformed \\uXXXX escape");
        assertThat(contents.settings()).extracting(Setting::key).containsExactly("client.id");
    }
}
