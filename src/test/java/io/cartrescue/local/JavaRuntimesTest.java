package io.cartrescue.local;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Map;
import java.util.OptionalInt;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class JavaRuntimesTest {

    @TempDir
    Path temp;

    @Test
    void featureVersionComesFromModernReleaseFile() {
        assertThat(JavaRuntimes.parseRelease("IMPLEMENTOR=\"Eclipse Adoptium\"\nJAVA_VERSION=\"25.0.3\"\n"
                + "JAVA_VERSION_DATE=\"2026-04-21\"\n")).hasValue(25);
        assertThat(JavaRuntimes.parseRelease("JAVA_VERSION=\"17.0.15\"\nJAVA_VERSION_DATE=\"2025-04-15\"\n"))
                .hasValue(17);
        assertThat(JavaRuntimes.parseRelease("JAVA_VERSION=\"21\"\n")).hasValue(21);
        assertThat(JavaRuntimes.parseRelease("JAVA_VERSION=\"22-ea\"\n")).hasValue(22);
    }

    @Test
    void featureVersionOfJava8IsEight() {
        assertThat(JavaRuntimes.parseRelease("JAVA_VERSION=\"1.8.0_392\"\n")).hasValue(8);
    }

    @Test
    void releaseFileWithoutJavaVersionHasNoFeatureVersion() {
        assertThat(JavaRuntimes.parseRelease("IMPLEMENTOR=\"Debian\"\nJAVA_VERSION_DATE=\"2025-04-15\"\n"))
                .isEmpty();
        assertThat(JavaRuntimes.parseRelease("JAVA_VERSION=\"\"\n")).isEmpty();
    }

    @Test
    void homeWithoutReleaseFileHasNoFeatureVersion() {
        assertThat(JavaRuntimes.featureVersion(temp.resolve("missing"))).isEqualTo(OptionalInt.empty());
    }

    @Test
    void configuredHomeWinsOverEverythingElse() throws IOException {
        final Path configured = jdk("custom-jdk", "21.0.4");
        final Path jvmDir = temp.resolve("jvm");
        jdk("jvm/temurin-25", "25.0.3");

        final Path java = new JavaRuntimes(Map.of(JavaRuntimes.HOME_ENV, configured.toString()),
                jdk("running", "25.0.1"), 25, jvmDir).find(21);

        assertThat(java).isEqualTo(configured.resolve("bin/java"));
    }

    @Test
    void configuredHomeThatIsTooOldIsAnErrorNotSkipped() throws IOException {
        final Path configured = jdk("old-jdk", "17.0.15");

        assertThatThrownBy(() -> new JavaRuntimes(Map.of(JavaRuntimes.HOME_ENV, configured.toString()),
                jdk("running", "25.0.1"), 25, temp.resolve("jvm")).find(21))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining(JavaRuntimes.HOME_ENV)
                .hasMessageContaining("Java 17");
    }

    @Test
    void runningJvmIsUsedWhenRecentEnough() throws IOException {
        final Path running = jdk("running", "21.0.2");

        assertThat(new JavaRuntimes(Map.of(), running, 21, temp.resolve("jvm")).find(21))
                .isEqualTo(running.resolve("bin/java"));
    }

    @Test
    void javaHomeIsUsedWhenRunningJvmIsTooOld() throws IOException {
        final Path javaHome = jdk("java-home", "22.0.1");

        final Path java = new JavaRuntimes(Map.of("JAVA_HOME", javaHome.toString()), jdk("running", "17.0.15"),
                17, temp.resolve("jvm")).find(21);

        assertThat(java).isEqualTo(javaHome.resolve("bin/java"));
    }

    @Test
    void newestInstalledJdkIsChosenFromTheJvmDirectory() throws IOException {
        jdk("jvm/java-17-openjdk-amd64", "17.0.15");
        jdk("jvm/java-21-openjdk-amd64", "21.0.7");
        final Path newest = jdk("jvm/temurin-25-jdk-amd64", "25.0.3");
        Files.createDirectories(temp.resolve("jvm/openjdk-17"));

        final Path java = new JavaRuntimes(Map.of("JAVA_HOME", temp.resolve("jvm/java-17-openjdk-amd64").toString()),
                jdk("running", "17.0.15"), 17, temp.resolve("jvm")).find(21);

        assertThat(java).isEqualTo(newest.toRealPath().resolve("bin/java"));
    }

    @Test
    void jdkWithoutExecutableJavaIsSkipped() throws IOException {
        final Path broken = temp.resolve("jvm/broken-25");
        Files.createDirectories(broken);
        Files.writeString(broken.resolve("release"), "JAVA_VERSION=\"25\"\n");
        final Path good = jdk("jvm/good-21", "21.0.1");

        final Path java = new JavaRuntimes(Map.of(), jdk("running", "17.0.15"), 17, temp.resolve("jvm")).find(21);

        assertThat(java).isEqualTo(good.toRealPath().resolve("bin/java"));
    }

    @Test
    void noSuitableJdkExplainsWhatWasSearchedAndHowToFixIt() throws IOException {
        jdk("jvm/java-17-openjdk-amd64", "17.0.15");

        assertThatThrownBy(() -> new JavaRuntimes(Map.of(), jdk("running", "17.0.15"), 17, temp.resolve("jvm"))
                .find(21))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("Apicurio Registry")
                .hasMessageContaining("needs Java 21+")
                .hasMessageContaining("the running JVM")
                .hasMessageContaining("JAVA_HOME (not set)")
                .hasMessageContaining("java-17-openjdk-amd64: Java 17")
                .hasMessageContaining("openjdk-21-jdk-headless")
                .hasMessageContaining("Temurin")
                .hasMessageContaining(JavaRuntimes.HOME_ENV);
    }

    @Test
    void findsARealJava21OrNewerOnThisMachine() {
        assertThat(JavaRuntimes.findJava(21)).isExecutable();
    }

    private Path jdk(final String relative, final String version) throws IOException {
        final Path home = temp.resolve(relative);
        Files.createDirectories(home.resolve("bin"));
        Files.writeString(home.resolve("release"), "IMPLEMENTOR=\"Test\"\nJAVA_VERSION=\"" + version + "\"\n");
        final Path java = home.resolve("bin/java");
        Files.writeString(java, "#!/bin/sh\n");
        Files.setPosixFilePermissions(java, PosixFilePermissions.fromString("rwxr-xr-x"));
        return home;
    }
}
