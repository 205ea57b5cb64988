package io.cartrescue.replay;

import static org.assertj.core.api.Assertions.assertThat;

import io.cartrescue.app.Main;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The report as a person sees it: opened offline in headless Chromium (Debian's package, installed
 * by {@code src/test/browser/check-report.sh} when missing), with no console output or script
 * error, and every chart drawn, the what-if section included. Skipped only when no browser can be
 * installed on the machine.
 */
class ReportBrowserIT {
    private static final Path SCRIPT = Path.of("src", "test", "browser", "check-report.sh");

    @TempDir
    Path dir;

    @Test
    void reportOpensOfflineWithoutConsoleErrorsAndDrawsEveryChart() throws IOException, InterruptedException {
        // Given: a what-if report over a few shoppers
        final Path input = Files.writeString(dir.resolve("events.jsonl"), new ReplayInput()
                .paymentTrouble("s-1", "c-1", 0, 2)
                .paymentTrouble("s-2", "c-2", 30, 3)
                .event("s-3", "c-3", 40, "Product Added", "\"product\":{\"productId\":\"p\",\"price\":35},"
                        + "\"cart\":{\"value\":35,\"currency\":\"EUR\",\"itemCount\":1}")
                .event("s-3", "c-3", 50, "Coupon Denied", "\"coupon\":{\"code\":\"</script><b>x\"}")
                .event("s-4", "c-4", 900, "Page Viewed", "")
                .text());
        final Path other = Files.writeString(dir.resolve("other.yaml"), "version: other\ndetection:\n  paymentFailures:\n    threshold: 3\n");
        final Path out = dir.resolve("out");
        assertThat(Main.commandLine().execute("replay", "--input", input.toString(), "--compare-policy", other.toString(),
                "--out", out.toString(), "--flush-at-end")).isZero();

        // When
        final Process check = new ProcessBuilder("bash", SCRIPT.toString(), out.resolve("report.html").toString(),
                dir.resolve("browser").toString()).redirectErrorStream(true).start();
        final boolean ended = check.waitFor(5, TimeUnit.MINUTES);
        final String output = new String(check.getInputStream().readAllBytes(), StandardCharsets.UTF_8);

        // Then
        assertThat(ended).as("the browser check ends within 5 minutes").isTrue();
        Assumptions.assumeFalse(check.exitValue() == 77, "skipped: no Chromium, and it cannot be installed here: " + output);
        assertThat(check.exitValue()).as(output).isZero();
        assertThat(output).contains("charts rendered");
    }
}
