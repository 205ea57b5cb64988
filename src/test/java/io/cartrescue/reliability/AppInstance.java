package io.cartrescue.reliability;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * One cart-rescue instance as an operator runs it: {@code java -jar target/cart-rescue.jar run} in a
 * process of its own, configured only through the environment, so that it can be killed with
 * SIGKILL as a crash would, or stopped with SIGTERM as an orchestrator does. Its output goes to a
 * log file beside its state directory.
 */
final class AppInstance implements AutoCloseable {
    private static final Path JAR = Path.of("target", "cart-rescue.jar");
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    private final String name;
    private final Map<String, String> environment;
    private final int httpPort;
    private final Path logDir;
    private Process process;
    private int starts;

    AppInstance(final String name, final Map<String, String> environment, final int httpPort, final Path logDir) {
        this.name = name;
        this.environment = Map.copyOf(environment);
        this.httpPort = httpPort;
        this.logDir = logDir;
    }

    /** Starts the process (again) and waits until {@code /health/ready} answers 200. */
    AppInstance start(final Duration timeout) throws IOException, InterruptedException {
        if (!Files.isRegularFile(JAR)) {
            throw new IllegalStateException(JAR + " is missing: the integration tests run after `mvn package`");
        }
        Files.createDirectories(logDir);
        final Path log = logDir.resolve(name + "-" + (++starts) + ".log");
        final ProcessBuilder builder = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx384m", "-jar", JAR.toAbsolutePath().toString(), "run")
                .redirectErrorStream(true)
                .redirectOutput(log.toFile());
        builder.environment().keySet().removeIf(key -> key.startsWith("KAFKA_") || key.startsWith("CART_RESCUE_"));
        builder.environment().putAll(environment);
        builder.environment().put("CART_RESCUE_HTTP_PORT", String.valueOf(httpPort));
        process = builder.start();
        final long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new IllegalStateException(name + " exited with " + process.exitValue() + " during start-up; see " + log);
            }
            if (ready()) {
                return this;
            }
            Thread.sleep(200);
        }
        throw new IllegalStateException(name + " not ready within " + timeout.toSeconds() + " s; see " + log);
    }

    /** SIGKILL, as a crash or an OOM kill would: no shutdown hook, no commit, no clean close. */
    void kill() throws InterruptedException {
        process.destroyForcibly();
        process.waitFor(30, TimeUnit.SECONDS);
    }

    /** SIGTERM, then waits for the graceful shutdown; returns the exit code. */
    int stop() throws InterruptedException {
        process.destroy();
        if (!process.waitFor(60, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            process.waitFor(30, TimeUnit.SECONDS);
        }
        return process.exitValue();
    }

    /** The sum of every sample of a metric in {@code /metrics} (Prometheus text), e.g. {@code cart_rescue_events_total}. */
    double metric(final String name) throws IOException, InterruptedException {
        final HttpRequest request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + httpPort + "/metrics"))
                .timeout(Duration.ofSeconds(5)).GET().build();
        double sum = 0;
        for (final String line : HTTP.send(request, HttpResponse.BodyHandlers.ofString()).body().split("\n")) {
            if (line.startsWith(name + "{") || line.startsWith(name + " ")) {
                sum += Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1));
            }
        }
        return sum;
    }

    /** The instance's output so far (all its starts). */
    String log() throws IOException {
        final StringBuilder all = new StringBuilder();
        for (int i = 1; i <= starts; i++) {
            all.append(Files.readString(logDir.resolve(name + "-" + i + ".log")));
        }
        return all.toString();
    }

    boolean isAlive() {
        return process != null && process.isAlive();
    }

    String name() {
        return name;
    }

    private boolean ready() {
        final HttpRequest request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + httpPort + "/health/ready"))
                .timeout(Duration.ofSeconds(2)).GET().build();
        try {
            return HTTP.send(request, HttpResponse.BodyHandlers.discarding()).statusCode() == 200;
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    @Override
    public void close() throws InterruptedException {
        if (isAlive()) {
            kill();
        }
    }
}
