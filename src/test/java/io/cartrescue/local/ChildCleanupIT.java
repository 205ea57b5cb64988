package io.cartrescue.local;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.lang.ProcessBuilder.Redirect;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The broker and the registry must never outlive the JVM that started them: not after a SIGTERM
 * (Ctrl-C, {@code kill}), and not after {@code kill -9}, which skips every shutdown hook.
 */
class ChildCleanupIT {

    @TempDir
    Path workDir;

    private Process holder;

    @Test
    void childrenAreStoppedByTheShutdownHookWhenTheParentGetsSigterm() throws Exception {
        final Children children = startHolder();

        holder.destroy();

        assertThat(holder.waitFor(60, TimeUnit.SECONDS)).as("holder exits").isTrue();
        assertThat(children.alive()).as("children alive when the parent has exited").isEmpty();
        assertThat(children.portsInUse()).isEmpty();
        assertThat(log("kafka/kafka.log")).doesNotContain(ParentWatchdog.MESSAGE);
        assertThat(log("registry/registry.log")).doesNotContain(ParentWatchdog.MESSAGE);
    }

    @Test
    void childrenStopThemselvesWhenTheParentIsKilledWithSigkill() throws Exception {
        final Children children = startHolder();

        holder.destroyForcibly();

        assertThat(holder.waitFor(10, TimeUnit.SECONDS)).as("holder is killed").isTrue();
        await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> {
            assertThat(children.alive()).isEmpty();
            assertThat(children.portsInUse()).isEmpty();
        });
        assertThat(log("kafka/kafka.log")).contains(ParentWatchdog.MESSAGE);
        assertThat(log("registry/registry.log")).contains(ParentWatchdog.MESSAGE);
    }

    @AfterEach
    void killHolder() {
        if (holder != null) {
            holder.descendants().forEach(ProcessHandle::destroyForcibly);
            holder.destroyForcibly();
        }
    }

    private Children startHolder() throws IOException {
        final Path java = Path.of(System.getProperty("java.home"), "bin", "java");
        holder = new ProcessBuilder(java.toString(),
                "-D" + LocalInfra.DIR_PROPERTY + "=" + LocalInfra.locate().directory(),
                "-cp", System.getProperty("java.class.path"),
                LocalStackHolder.class.getName(), workDir.toString())
                .redirectErrorStream(true)
                .redirectOutput(Redirect.to(workDir.resolve("holder.log").toFile()))
                .start();
        final Path ready = workDir.resolve(LocalStackHolder.READY_FILE);
        await().atMost(Duration.ofMinutes(5)).until(() -> {
            assertThat(holder.isAlive()).as("holder is running, see %s", workDir.resolve("holder.log")).isTrue();
            return Files.exists(ready);
        });
        final long[] values = Arrays.stream(Files.readString(ready).trim().split(" "))
                .mapToLong(Long::parseLong).toArray();
        final Children children = new Children(List.of(values[0], values[1]),
                List.of((int) values[2], (int) values[3], (int) values[4], (int) values[5]));
        assertThat(children.alive()).hasSize(2);
        assertThat(children.portsInUse()).hasSize(4);
        return children;
    }

    private String log(final String relative) throws IOException {
        return Files.readString(workDir.resolve(relative));
    }

    private record Children(List<Long> pids, List<Integer> ports) {

        List<Long> alive() {
            return pids.stream().filter(pid -> ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false))
                    .toList();
        }

        List<Integer> portsInUse() {
            return ports.stream().filter(port -> !Ports.isFree(port)).toList();
        }
    }
}
