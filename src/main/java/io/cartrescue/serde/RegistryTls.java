package io.cartrescue.serde;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.util.Collections;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManager;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509TrustManager;

/**
 * Builds the TLS context for registry calls: the JDK's default trust store, plus the CA
 * certificates of an optional trust store file, so that a registry behind a private CA can be
 * reached without giving up the public CAs (or replacing the JVM-wide trust store).
 */
final class RegistryTls {
    private RegistryTls() {
    }

    static SSLContext sslContext(final SchemaRegistrySettings settings) {
        try {
            if (settings.trustStore().isEmpty()) {
                return SSLContext.getDefault();
            }
            final KeyStore trusted = KeyStore.getInstance(KeyStore.getDefaultType());
            trusted.load(null, null);
            int alias = 0;
            for (final X509Certificate ca : defaultTrustManager().getAcceptedIssuers()) {
                trusted.setCertificateEntry("jdk-" + alias++, ca);
            }
            final KeyStore extra = load(settings.trustStore().get(), settings.trustStorePassword().orElse(null),
                    settings.trustStoreType().orElse(KeyStore.getDefaultType()));
            for (final String name : Collections.list(extra.aliases())) {
                final Certificate certificate = extra.getCertificate(name);
                if (certificate != null) {
                    trusted.setCertificateEntry("file-" + name, certificate);
                }
            }
            final TrustManagerFactory factory = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            factory.init(trusted);
            final SSLContext context = SSLContext.getInstance("TLS");
            context.init(null, factory.getTrustManagers(), null);
            return context;
        } catch (final GeneralSecurityException | IOException e) {
            throw new IllegalArgumentException("Cannot set up TLS for the schema registry with trust store "
                    + settings.trustStore().map(Path::toString).orElse("(JDK default)") + ": " + e.getMessage(), e);
        }
    }

    private static KeyStore load(final Path file, final String password, final String type)
            throws GeneralSecurityException {
        final KeyStore store = KeyStore.getInstance(type);
        try (InputStream in = Files.newInputStream(file)) {
            store.load(in, password == null ? null : password.toCharArray());
        } catch (final IOException e) {
            throw new IllegalArgumentException("Cannot read the schema registry trust store " + file
                    + " (wrong path, type or password?): " + e.getMessage(), e);
        }
        return store;
    }

    private static X509TrustManager defaultTrustManager() throws GeneralSecurityException {
        final TrustManagerFactory factory = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        factory.init((KeyStore) null);
        for (final TrustManager manager : factory.getTrustManagers()) {
            if (manager instanceof X509TrustManager) {
                return (X509TrustManager) manager;
            }
        }
        throw new GeneralSecurityException("The JDK has no default X.509 trust manager");
    }
}
