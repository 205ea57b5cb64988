package io.cartrescue.local;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * Finds a {@code java} launcher new enough for a child process. The application itself runs on Java
 * 17, but the local schema registry (Apicurio Registry 3) needs Java 21 or newer, so the registry may
 * have to run on another JDK installed beside the default one.
 *
 * <p>Search order: the environment variable {@value #HOME_ENV}, the running JVM, {@code JAVA_HOME},
 * then every JDK in {@code /usr/lib/jvm} (the newest first). A JDK's version is read from its
 * {@code release} file.
 */
public final class JavaRuntimes {

    /** Environment variable naming the Java home to run the schema registry with. */
    public static final String HOME_ENV = "CART_RESCUE_REGISTRY_JAVA_HOME";

    private static final Pattern JAVA_VERSION = Pattern.compile("(?m)^JAVA_VERSION=\"?([^\"\\s]+)\"?\\s*$");
    private static final Pattern FEATURE = Pattern.compile("^(?:1\\.)?(\\d+)");

    private final Map<String, String> environment;
    private final Path runningHome;
    private final int runningFeature;
    private final Path jvmDirectory;

    JavaRuntimes(final Map<String, String> environment, final Path runningHome, final int runningFeature,
            final Path jvmDirectory) {
        this.environment = Map.copyOf(environment);
        this.runningHome = runningHome;
        this.runningFeature = runningFeature;
        this.jvmDirectory = jvmDirectory;
    }

    /**
     * Returns the {@code java} executable of a Java runtime whose feature version is at least
     * {@code minFeatureVersion}.
     *
     * @throws IllegalStateException saying what was searched and how to install or name a suitable JDK
     */
    public static Path findJava(final int minFeatureVersion) {
        return new JavaRuntimes(System.getenv(), Path.of(System.getProperty("java.home")),
                Runtime.version().feature(), Path.of("/usr/lib/jvm")).find(minFeatureVersion);
    }

    Path find(final int minFeatureVersion) {
        final List<String> searched = new ArrayList<>();

        final String configured = environment.get(HOME_ENV);
        if (configured != null && !configured.isBlank()) {
            final Path home = Path.of(configured);
            final OptionalInt feature = featureVersion(home);
            if (feature.isPresent() && feature.getAsInt() >= minFeatureVersion && Files.isExecutable(java(home))) {
                return java(home);
            }
            throw new IllegalStateException(HOME_ENV + "=" + configured + " is not a Java " + minFeatureVersion
                    + "+ home (" + describe(home, feature) + "). Point it at a JDK " + minFeatureVersion
                    + " or newer, or unset it to search " + jvmDirectory + ".");
        }
        searched.add(HOME_ENV + " (not set)");

        if (runningFeature >= minFeatureVersion && Files.isExecutable(java(runningHome))) {
            return java(runningHome);
        }
        searched.add("the running JVM " + runningHome + " (Java " + runningFeature + ")");

        final String javaHome = environment.get("JAVA_HOME");
        if (javaHome != null && !javaHome.isBlank()) {
            final Path home = Path.of(javaHome);
            final OptionalInt feature = featureVersion(home);
            if (feature.isPresent() && feature.getAsInt() >= minFeatureVersion && Files.isExecutable(java(home))) {
                return java(home);
            }
            searched.add("JAVA_HOME " + home + " (" + describe(home, feature) + ")");
        } else {
            searched.add("JAVA_HOME (not set)");
        }

        final List<Installed> installed = installedUnder(jvmDirectory);
        for (final Installed jdk : installed) {
            if (jdk.feature() >= minFeatureVersion && Files.isExecutable(java(jdk.home()))) {
                return java(jdk.home());
            }
        }
        searched.add(jvmDirectory + (installed.isEmpty() ? " (no JDK with a release file)"
                : " (found " + installed.stream().map(Installed::toString).toList() + ")"));

        throw new IllegalStateException("The local schema registry (Apicurio Registry 3) needs Java "
                + minFeatureVersion + "+, but none was found. Searched: " + String.join("; ", searched)
                + ". Fix: install a JDK " + minFeatureVersion + " or newer (for example the Debian package"
                + " openjdk-" + minFeatureVersion + "-jdk-headless where available, or Eclipse Temurin from"
                + " https://adoptium.net), or set " + HOME_ENV + " to the home directory of such a JDK.");
    }

    /** The feature version (17, 21, 25, or 8 for "1.8.0_x") from a Java home's {@code release} file. */
    static OptionalInt featureVersion(final Path javaHome) {
        final Path release = javaHome.resolve("release");
        if (!Files.isRegularFile(release)) {
            return OptionalInt.empty();
        }
        try {
            return parseRelease(Files.readString(release));
        } catch (final IOException e) {
            return OptionalInt.empty();
        }
    }

    static OptionalInt parseRelease(final String releaseFile) {
        final Matcher version = JAVA_VERSION.matcher(releaseFile);
        if (!version.find()) {
            return OptionalInt.empty();
        }
        final Matcher feature = FEATURE.matcher(version.group(1));
        return feature.find() ? OptionalInt.of(Integer.parseInt(feature.group(1))) : OptionalInt.empty();
    }

    private static List<Installed> installedUnder(final Path directory) {
        if (!Files.isDirectory(directory)) {
            return List.of();
        }
        final Set<Path> homes = new LinkedHashSet<>();
        try (Stream<Path> entries = Files.list(directory)) {
            entries.sorted().forEach(entry -> homes.add(realPath(entry)));
        } catch (final IOException e) {
            return List.of();
        }
        final List<Installed> installed = new ArrayList<>();
        for (final Path home : homes) {
            featureVersion(home).ifPresent(feature -> installed.add(new Installed(home, feature)));
        }
        installed.sort(Comparator.comparingInt(Installed::feature).reversed());
        return installed;
    }

    private static Path realPath(final Path path) {
        try {
            return path.toRealPath();
        } catch (final IOException e) {
            return path;
        }
    }

    private static String describe(final Path home, final OptionalInt feature) {
        if (feature.isEmpty()) {
            return "no readable JAVA_VERSION in " + home.resolve("release");
        }
        return Files.isExecutable(java(home)) ? "Java " + feature.getAsInt() : "no executable " + java(home);
    }

    private static Path java(final Path home) {
        return home.resolve("bin").resolve("java");
    }

    private record Installed(Path home, int feature) {
        @Override
        public String toString() {
            return home.getFileName() + ": Java " + feature;
        }
    }
}
