package io.cartrescue.local;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LocalInfraTest {

    @TempDir
    Path temp;

    @Test
    void systemPropertyNamesTheDirectory() throws IOException {
        final Path local = prepared(temp.resolve("somewhere/local"));

        final LocalInfra infra = LocalInfra.locate(local.toString(), Optional.empty(), temp);

        assertThat(infra.kafkaLibs()).isEqualTo(local.resolve("kafka-libs"));
        assertThat(infra.registryHome()).isEqualTo(local.resolve("apicurio-registry"));
    }

    @Test
    void directoryNextToTheRunningJarIsFound() throws IOException {
        final Path local = prepared(temp.resolve("project/target/local"));

        final LocalInfra infra = LocalInfra.locate(null,
                Optional.of(temp.resolve("project/target/cart-rescue.jar")), temp.resolve("elsewhere"));

        assertThat(infra.directory()).isEqualTo(local);
    }

    @Test
    void directoryNextToTheClassesDirectoryIsFound() throws IOException {
        final Path local = prepared(temp.resolve("project/target/local"));

        final LocalInfra infra = LocalInfra.locate("", Optional.of(temp.resolve("project/target/classes")),
                temp.resolve("elsewhere"));

        assertThat(infra.directory()).isEqualTo(local);
    }

    @Test
    void targetUnderTheWorkingDirectoryIsTheLastResort() throws IOException {
        final Path local = prepared(temp.resolve("project/target/local"));

        final LocalInfra infra = LocalInfra.locate(null, Optional.of(temp.resolve("lib/cart-rescue.jar")),
                temp.resolve("project"));

        assertThat(infra.directory()).isEqualTo(local);
    }

    @Test
    void missingDirectoryTellsWhatToRun() {
        assertThatThrownBy(() -> LocalInfra.locate(null, Optional.of(temp.resolve("target/cart-rescue.jar")),
                temp.resolve("project")))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining(temp.resolve("target/local").toString())
                .hasMessageContaining(temp.resolve("project/target/local").toString())
                .hasMessageContaining("mvn package");
    }

    @Test
    void configuredDirectoryWithoutTheRegistryTellsWhatIsMissing() throws IOException {
        final Path local = prepared(temp.resolve("local"));
        Files.delete(local.resolve("apicurio-registry/quarkus-run.jar"));

        assertThatThrownBy(() -> LocalInfra.locate(local.toString(), Optional.empty(), temp))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("quarkus-run.jar")
                .hasMessageContaining("mvn package");
    }

    @Test
    void configuredDirectoryWithoutTheBrokerTellsWhatIsMissing() throws IOException {
        final Path local = prepared(temp.resolve("local"));
        Files.delete(local.resolve("kafka-libs/kafka_2.13-4.3.1.jar"));

        assertThatThrownBy(() -> LocalInfra.locate(local.toString(), Optional.empty(), temp))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("no Kafka broker jars")
                .hasMessageContaining("mvn package");
    }

    @Test
    void theBuildsDirectoryIsFoundUnderMaven() {
        final LocalInfra infra = LocalInfra.locate();

        assertThat(infra.kafkaLibs()).isDirectory();
        assertThat(infra.registryHome().resolve("quarkus-run.jar")).isRegularFile();
    }

    private static Path prepared(final Path local) throws IOException {
        Files.createDirectories(local.resolve("kafka-libs"));
        Files.writeString(local.resolve("kafka-libs/kafka_2.13-4.3.1.jar"), "");
        Files.createDirectories(local.resolve("apicurio-registry"));
        Files.writeString(local.resolve("apicurio-registry/quarkus-run.jar"), "");
        return local;
    }
}
