package io.cartrescue.testing;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A throw-away certificate authority and a server certificate signed by it, for {@code 127.0.0.1} and
 * {@code localhost}, made with the JDK's {@code keytool} (no extra library): what a TLS test needs and
 * nothing that outlives it (valid for two days, in a directory of the test).
 *
 * @param keyStore   PKCS12 key store: the server's key and certificate chain
 * @param trustStore PKCS12 trust store: the CA certificate only
 * @param password   password of both stores
 * @param subject    the server certificate's subject as a Kafka principal, {@code User:CN=localhost}
 */
public record TestCertificates(Path keyStore, Path trustStore, String password, String subject) {

    /** Creates the CA, the server certificate and both stores in {@code dir}. */
    public static TestCertificates create(final Path dir, final String password) throws IOException {
        Files.createDirectories(dir);
        final Path ca = dir.resolve("ca.p12");
        final Path caCert = dir.resolve("ca.pem");
        final Path keyStore = dir.resolve("server.p12");
        final Path request = dir.resolve("server.csr");
        final Path serverCert = dir.resolve("server.pem");
        final Path trustStore = dir.resolve("truststore.p12");
        keytool(dir, password, "-genkeypair", "-alias", "ca", "-keyalg", "EC", "-groupname", "secp256r1",
                "-dname", "CN=cart-rescue test CA", "-ext", "bc:c", "-validity", "2", "-keystore", ca.toString(),
                "-storetype", "PKCS12");
        keytool(dir, password, "-exportcert", "-rfc", "-alias", "ca", "-keystore", ca.toString(),
                "-file", caCert.toString());
        keytool(dir, password, "-genkeypair", "-alias", "server", "-keyalg", "EC", "-groupname", "secp256r1",
                "-dname", "CN=localhost", "-validity", "2", "-keystore", keyStore.toString(), "-storetype", "PKCS12");
        keytool(dir, password, "-certreq", "-alias", "server", "-keystore", keyStore.toString(),
                "-file", request.toString());
        keytool(dir, password, "-gencert", "-alias", "ca", "-keystore", ca.toString(), "-infile", request.toString(),
                "-outfile", serverCert.toString(), "-rfc", "-validity", "2",
                "-ext", "SAN=dns:localhost,ip:127.0.0.1", "-ext", "KU=digitalSignature",
                "-ext", "EKU=serverAuth,clientAuth");
        keytool(dir, password, "-importcert", "-noprompt", "-alias", "ca", "-file", caCert.toString(),
                "-keystore", keyStore.toString());
        keytool(dir, password, "-importcert", "-noprompt", "-alias", "server", "-file", serverCert.toString(),
                "-keystore", keyStore.toString());
        keytool(dir, password, "-importcert", "-noprompt", "-alias", "ca", "-file", caCert.toString(),
                "-keystore", trustStore.toString(), "-storetype", "PKCS12");
        Files.delete(ca);
        return new TestCertificates(keyStore, trustStore, password, "User:CN=localhost");
    }

    private static void keytool(final Path dir, final String password, final String... arguments) throws IOException {
        final List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "keytool").toString());
        command.addAll(List.of(arguments));
        command.add("-storepass:env");
        command.add("STORE_PASSWORD");
        final ProcessBuilder builder = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true);
        builder.environment().put("STORE_PASSWORD", password);
        final Process process = builder.start();
        final String output;
        try {
            output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!process.waitFor(60, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                throw new IOException("keytool did not finish: " + command);
            }
        } catch (final InterruptedException e) {
            Thread.currentThread().interrupt();
            process.destroyForcibly();
            throw new IOException("interrupted", e);
        }
        if (process.exitValue() != 0) {
            throw new IOException("keytool " + arguments[0] + " failed (" + process.exitValue() + "): " + output);
        }
    }
}
