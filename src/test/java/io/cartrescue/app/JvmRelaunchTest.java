package io.cartrescue.app;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class JvmRelaunchTest {

    @Test
    void aJvmStartedWithoutOptionsOfItsOwnMayBeReplaced() {
        assertThat(JvmRelaunch.possible(List.of(), Map.of())).isTrue();
        assertThat(JvmRelaunch.possible(List.of("-Xmx4g", "-Dcartrescue.x=1", "-Dfile.encoding=UTF-8"), Map.of())).isTrue();
    }

    @Test
    void whoeverChoseJvmOptionsKeepsTheJvm() {
        assertThat(JvmRelaunch.possible(List.of("-XX:+UseG1GC"), Map.of())).isFalse();
        assertThat(JvmRelaunch.possible(List.of("-Xmx4g", "-XX:StartFlightRecording=filename=r.jfr"), Map.of())).isFalse();
        assertThat(JvmRelaunch.possible(List.of("-javaagent:agent.jar"), Map.of())).isFalse();
        assertThat(JvmRelaunch.possible(List.of("-agentlib:jdwp=transport=dt_socket"), Map.of())).isFalse();
    }

    @Test
    void aRelaunchedJvmNeverStartsAThird() {
        assertThat(JvmRelaunch.possible(List.of(), Map.of(JvmRelaunch.RELAUNCHED, "1"))).isFalse();
    }

    @Test
    void aCommandRunInsideAnotherProgramStaysInItsJvm() {
        assertThat(JvmRelaunch.possible()).as("Main.main never ran in this test JVM").isFalse();
    }

    @Test
    void theNewJvmHasThisJvmsOptionsThenTheExtraOnesAndTheSameArguments() {
        final List<String> command = JvmRelaunch.command(List.of("-Xmx1g", "-Da=b"), ReplayCommand.JVM_OPTIONS,
                List.of("replay", "--input", "events.jsonl", "--out", "out dir"));
        assertThat(command.get(0)).endsWith("java");
        assertThat(command.subList(1, command.size())).containsExactly("-Xmx1g", "-Da=b", "-XX:+UseParallelGC",
                "-XX:FreqInlineSize=100", "-cp", System.getProperty("java.class.path"), Main.class.getName(), "replay",
                "--input", "events.jsonl", "--out", "out dir");
    }

    @Test
    void theNewJvmStartsAndRunsTheCommand() throws IOException, InterruptedException {
        final Process process = new ProcessBuilder(JvmRelaunch.command(List.of(), ReplayCommand.JVM_OPTIONS,
                List.of("--version"))).redirectErrorStream(true).start();
        final String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(process.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(process.exitValue()).as(output).isZero();
        assertThat(output).startsWith("cart-rescue ");
    }

    @Test
    void aLargeReplayStartedWithoutOptionsStartsItselfAgainWithThemOnce(@TempDir final Path dir)
            throws IOException, InterruptedException {
        // Given: a file of the size that makes a replay start itself again
        final Path input = largeBlankFile(dir);
        // When: replayed by a JVM started as an analyst starts one, with no option
        final Process process = new ProcessBuilder(JvmRelaunch.command(List.of(), List.of(),
                List.of("replay", "--input", input.toString(), "--out", dir.resolve("out").toString())))
                .redirectErrorStream(true).start();
        final String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(process.waitFor(120, TimeUnit.SECONDS)).isTrue();
        // Then: it said it started again, once, and the new JVM replayed the file and wrote its outputs
        assertThat(process.exitValue()).as(output).isZero();
        assertThat(output.split("starting again in a JVM with", -1)).as(output).hasSize(2);
        assertThat(output).contains("starting again in a JVM with " + String.join(" ", ReplayCommand.JVM_OPTIONS))
                .contains("replayed 0 events");
        assertThat(dir.resolve("out").resolve("summary.json")).exists();
    }

    @Test
    void aLargeReplayWithSameJvmStaysInItsJvm(@TempDir final Path dir) throws IOException, InterruptedException {
        final Path input = largeBlankFile(dir);
        final Process process = new ProcessBuilder(JvmRelaunch.command(List.of(), List.of(),
                List.of("replay", "--input", input.toString(), "--out", dir.resolve("out").toString(), "--same-jvm")))
                .redirectErrorStream(true).start();
        final String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(process.waitFor(120, TimeUnit.SECONDS)).isTrue();
        assertThat(process.exitValue()).as(output).isZero();
        assertThat(output).doesNotContain("starting again").contains("replayed 0 events");
    }

    /** A file of the size that makes a replay start itself again, of blank lines (quick to replay). */
    private static Path largeBlankFile(final Path dir) throws IOException {
        final Path input = dir.resolve("blank.jsonl");
        final byte[] line = new byte[1024];
        Arrays.fill(line, (byte) ' ');
        line[line.length - 1] = '\n';
        try (OutputStream out = Files.newOutputStream(input)) {
            for (int i = 0; i < ReplayCommand.RELAUNCH_MIN_MIB * 1024; i++) {
                out.write(line);
            }
        }
        return input;
    }
}
