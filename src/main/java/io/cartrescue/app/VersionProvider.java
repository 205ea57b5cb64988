package io.cartrescue.app;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Properties;
import picocli.CommandLine;

/**
 * The version the build wrote into {@code io/cartrescue/app/version.properties}, else the jar manifest's, else
 * "development" (classes compiled without the build's resource filtering). The resource is what the container
 * image has: it runs from exploded classes, without a manifest.
 */
final class VersionProvider implements CommandLine.IVersionProvider {
    static final String RESOURCE = "version.properties";

    @Override
    public String[] getVersion() {
        return new String[] {"cart-rescue " + version()};
    }

    static String version() {
        final String built = fromResource();
        if (built != null) {
            return built;
        }
        final String manifest = Main.class.getPackage().getImplementationVersion();
        return manifest == null ? "development" : manifest;
    }

    private static String fromResource() {
        try (InputStream in = VersionProvider.class.getResourceAsStream(RESOURCE)) {
            if (in == null) {
                return null;
            }
            final Properties properties = new Properties();
            properties.load(in);
            final String version = properties.getProperty("version", "").strip();
            return version.isEmpty() || version.startsWith("${") ? null : version;
        } catch (final IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
