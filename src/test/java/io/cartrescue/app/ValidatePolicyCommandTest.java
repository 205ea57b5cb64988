package io.cartrescue.app;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

class ValidatePolicyCommandTest {
    private final StringWriter out = new StringWriter();
    private final StringWriter err = new StringWriter();

    @Test
    void validFilePrintsASummaryAndExitsWithZero(@TempDir final Path dir) throws IOException {
        // Given
        final Path file = Files.writeString(dir.resolve("ok.yaml"), "version: shop-1\narbitration:\n  holdout:\n    percent: 20\n");

        // When
        final int exitCode = run(file.toString());

        // Then
        assertThat(exitCode).isZero();
        assertThat(out.toString()).contains("valid, version shop-1").contains("holdout:     20%");
        assertThat(err.toString()).isEmpty();
    }

    @Test
    void invalidFilePrintsEveryErrorWithKeyAndFixAndExitsNonZero(@TempDir final Path dir) throws IOException {
        // Given
        final Path file = Files.writeString(dir.resolve("bad.yaml"), """
                version: shop-1
                arbitration:
                  holdout:
                    percent: 99
                  chat:
                    minAvailableAgent: 2
                """);

        // When
        final int exitCode = run(file.toString());

        // Then
        assertThat(exitCode).isEqualTo(ValidatePolicyCommand.INVALID);
        assertThat(err.toString())
                .contains("2 errors")
                .contains("arbitration.holdout.percent: 99 is out of range (allowed: 0..50) — use a whole number from 0 to 50")
                .contains("arbitration.chat.minAvailableAgent: unknown key")
                .contains("did you mean 'arbitration.chat.minAvailableAgents'?");
        assertThat(out.toString()).isEmpty();
    }

    @Test
    void withoutAFileTheBuiltInPolicyIsChecked() {
        // When
        final int exitCode = run();

        // Then
        assertThat(exitCode).isZero();
        assertThat(out.toString()).startsWith("built-in policy: valid, version default-1");
    }

    @Test
    void missingFileExitsWithTwo(@TempDir final Path dir) {
        // When
        final int exitCode = run(dir.resolve("absent.yaml").toString());

        // Then
        assertThat(exitCode).isEqualTo(ValidatePolicyCommand.UNREADABLE);
        assertThat(err.toString()).contains("absent.yaml: cannot be read");
    }

    private int run(final String... args) {
        final CommandLine command = new CommandLine(new ValidatePolicyCommand());
        command.setOut(new PrintWriter(out, true));
        command.setErr(new PrintWriter(err, true));
        return command.execute(args);
    }
}
