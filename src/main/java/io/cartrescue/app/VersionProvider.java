package io.cartrescue.app;

import picocli.CommandLine;

/** The version from the jar's manifest, or "development" when run from classes. */
final class VersionProvider implements CommandLine.IVersionProvider {
    @Override
    public String[] getVersion() {
        final String version = Main.class.getPackage().getImplementationVersion();
        return new String[] {"cart-rescue " + (version == null ? "development" : version)};
    }
}
