package io.cartrescue.local;

import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.CodeSource;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * The local broker's class path and the unpacked schema registry that the build prepares in
 * {@code target/local}. The demo and the integration tests start real server processes from these
 * files, so they have to be found the same way whether the code runs from Maven, from an IDE or from
 * the shaded jar.
 */
public final class LocalInfra {

    /** System property that names the directory explicitly (Maven's test plugins set it). */
    public static final String DIR_PROPERTY = "cartrescue.local.dir";

    static final String KAFKA_LIBS = "kafka-libs";
    static final String REGISTRY_HOME = "apicurio-registry";
    static final String REGISTRY_LAUNCHER = "quarkus-run.jar";

    private final Path directory;

    private LocalInfra(final Path directory) {
        this.directory = directory;
    }

    /**
     * Finds the directory from the system property {@value #DIR_PROPERTY}, else next to the running
     * jar or classes directory ({@code target/local}), else {@code ./target/local}.
     *
     * @throws IllegalStateException naming the places searched and the build command to run
     */
    public static LocalInfra locate() {
        return locate(System.getProperty(DIR_PROPERTY), codeLocation(), Path.of(""));
    }

    static LocalInfra locate(final String configured, final Optional<Path> codeLocation, final Path workingDir) {
        if (configured != null && !configured.isBlank()) {
            final Path dir = Path.of(configured).toAbsolutePath().normalize();
            return at(dir, "system property " + DIR_PROPERTY);
        }
        final List<Path> candidates = new ArrayList<>();
        codeLocation.map(Path::toAbsolutePath).map(Path::getParent).map(parent -> parent.resolve("local"))
                .ifPresent(candidates::add);
        candidates.add(workingDir.toAbsolutePath().resolve("target").resolve("local").normalize());
        for (final Path candidate : candidates) {
            if (problem(candidate).isEmpty()) {
                return new LocalInfra(candidate);
            }
        }
        throw new IllegalStateException("The local Kafka broker and schema registry files were not found in "
                + candidates + ". They are prepared by the build: run `mvn package` (or at least `mvn"
                + " generate-resources`) in the project directory, or set -D" + DIR_PROPERTY
                + "=<path to target/local>.");
    }

    private static LocalInfra at(final Path dir, final String source) {
        problem(dir).ifPresent(problem -> {
            throw new IllegalStateException(dir + " (from " + source + ") " + problem
                    + ". It is prepared by the build: run `mvn package` (or `mvn generate-resources`) in the"
                    + " project directory.");
        });
        return new LocalInfra(dir);
    }

    private static Optional<String> problem(final Path dir) {
        if (!Files.isDirectory(dir)) {
            return Optional.of("does not exist");
        }
        final Path libs = dir.resolve(KAFKA_LIBS);
        if (!containsKafkaJar(libs)) {
            return Optional.of("has no Kafka broker jars in " + libs);
        }
        final Path launcher = dir.resolve(REGISTRY_HOME).resolve(REGISTRY_LAUNCHER);
        if (!Files.isRegularFile(launcher)) {
            return Optional.of("has no schema registry launcher " + launcher);
        }
        return Optional.empty();
    }

    private static boolean containsKafkaJar(final Path libs) {
        if (!Files.isDirectory(libs)) {
            return false;
        }
        try (Stream<Path> files = Files.list(libs)) {
            return files.anyMatch(file -> file.getFileName().toString().matches("kafka_2\\.13-.*\\.jar"));
        } catch (final java.io.IOException e) {
            return false;
        }
    }

    private static Optional<Path> codeLocation() {
        final CodeSource source = LocalInfra.class.getProtectionDomain().getCodeSource();
        if (source == null || source.getLocation() == null) {
            return Optional.empty();
        }
        try {
            return Optional.of(Path.of(source.getLocation().toURI()));
        } catch (final URISyntaxException | IllegalArgumentException e) {
            return Optional.empty();
        }
    }

    /** The directory holding the broker's class path. */
    public Path kafkaLibs() {
        return directory.resolve(KAFKA_LIBS);
    }

    /** The unpacked Apicurio Registry distribution (holds {@code quarkus-run.jar}). */
    public Path registryHome() {
        return directory.resolve(REGISTRY_HOME);
    }

    /** The directory that was found ({@code target/local}). */
    public Path directory() {
        return directory;
    }

    @Override
    public String toString() {
        return "LocalInfra[" + directory + "]";
    }
}
