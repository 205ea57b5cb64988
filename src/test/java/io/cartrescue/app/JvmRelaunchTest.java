package io.cartrescue.app;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

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
}
