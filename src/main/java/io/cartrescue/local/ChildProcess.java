package io.cartrescue.local;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.lang.ProcessBuilder.Redirect;
import java.nio.ByteBuffer;
import java.nio.channels.SeekableByteChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.BooleanSupplier;
import java.util.jar.Attributes;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;
import java.util.regex.Pattern;

/**
 * One server JVM started by the project, with the guarantees the local stack needs: its output goes
 * to a log file, it carries the {@link ParentWatchdog} agent so it dies with this JVM even on
 * {@code kill -9}, a shutdown hook stops it on Ctrl-C, and {@link #close()} stops it and everything
 * it started, first politely (SIGTERM), then by force.
 */
final class ChildProcess implements AutoCloseable {

    static final Duration STOP_GRACE = Duration.ofSeconds(15);

    private static final String AGENT_JAR = "parent-watchdog.jar";
    private static final int TAIL_BYTES = 8 * 1024;
    private static final int TAIL_LINES = 40;
    private static final Pattern PORT_CONFLICT =
            Pattern.compile("(?i)address already in use|port \\d+ seems to be in use");

    /** How long the shutdown hook waits for the owner to close this process in order. */
    private static final Duration OWNER_CLOSE_GRACE = Duration.ofSeconds(15);

    private final String name;
    private final Process process;
    private final Path logFile;
    private final Thread shutdownHook;
    private final CountDownLatch closedByOwner = new CountDownLatch(1);

    private ChildProcess(final String name, final Process process, final Path logFile) {
        this.name = name;
        this.process = process;
        this.logFile = logFile;
        this.shutdownHook = new Thread(this::stopUnlessOwnerCloses, "cart-rescue-stop-" + process.pid());
        Runtime.getRuntime().addShutdownHook(shutdownHook);
    }

    /**
     * Starts {@code java [-javaagent:watchdog] arguments...} in {@code workingDir}.
     *
     * @param arguments JVM options, then the main class or {@code -jar}, then program arguments
     */
    static ChildProcess startJava(final String name, final Path java, final List<String> arguments,
            final Path workingDir, final Path logFile) throws IOException {
        Files.createDirectories(workingDir);
        final List<String> command = new ArrayList<>();
        command.add(java.toString());
        command.add("-javaagent:" + agentJar(workingDir) + "=" + ProcessHandle.current().pid());
        command.addAll(arguments);
        final Process process = new ProcessBuilder(command)
                .directory(workingDir.toFile())
                .redirectErrorStream(true)
                .redirectOutput(Redirect.to(logFile.toFile()))
                .redirectInput(Redirect.PIPE)
                .start();
        try {
            return new ChildProcess(name, process, logFile);
        } catch (final IllegalStateException shuttingDown) {
            process.destroyForcibly();
            throw new IOException("Not starting " + name + ": this JVM is shutting down", shuttingDown);
        }
    }

    /** Writes the watchdog agent jar (the one class plus a manifest) into {@code directory}. */
    static Path agentJar(final Path directory) throws IOException {
        final Path jar = directory.resolve(AGENT_JAR);
        final Path partial = Files.createTempFile(directory, AGENT_JAR, ".tmp");
        final Manifest manifest = new Manifest();
        manifest.getMainAttributes().put(Attributes.Name.MANIFEST_VERSION, "1.0");
        manifest.getMainAttributes().put(new Attributes.Name("Premain-Class"), ParentWatchdog.class.getName());
        final String classFile = ParentWatchdog.class.getName().replace('.', '/') + ".class";
        try (InputStream in = ParentWatchdog.class.getResourceAsStream("/" + classFile);
                OutputStream out = Files.newOutputStream(partial);
                JarOutputStream jarOut = new JarOutputStream(out, manifest)) {
            if (in == null) {
                throw new IOException("Class file " + classFile + " is not on the class path");
            }
            jarOut.putNextEntry(new JarEntry(classFile));
            in.transferTo(jarOut);
            jarOut.closeEntry();
        }
        return Files.move(partial, jar, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }

    /**
     * Polls {@code ready} until it returns true, failing early if the process exits.
     *
     * @return how long it took
     * @throws IOException if the process exits or the timeout passes first; the message has the log tail
     */
    Duration awaitReady(final BooleanSupplier ready, final Duration timeout, final long startNanos)
            throws IOException {
        final long deadline = startNanos + timeout.toNanos();
        while (true) {
            if (!process.isAlive()) {
                throw failure("exited with code " + process.exitValue() + " before it was ready");
            }
            if (ready.getAsBoolean()) {
                return Duration.ofNanos(System.nanoTime() - startNanos);
            }
            if (System.nanoTime() > deadline) {
                throw failure("was not ready after " + timeout.toSeconds() + " s");
            }
            pause(Duration.ofMillis(100));
        }
    }

    /** Waits for a short-lived process to finish successfully. */
    void awaitSuccess(final Duration timeout) throws IOException {
        try {
            if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                close();
                throw failure("did not finish within " + timeout.toSeconds() + " s");
            }
        } catch (final InterruptedException e) {
            Thread.currentThread().interrupt();
            close();
            throw new IOException(name + " was interrupted", e);
        }
        if (process.exitValue() != 0) {
            throw failure("failed with exit code " + process.exitValue());
        }
        close();
    }

    IOException failure(final String what) {
        return new IOException(name + " (pid " + process.pid() + ") " + what + ". Last lines of " + logFile
                + ":\n" + logTail());
    }

    /** Whether the log says the server could not bind its port (another process took it meanwhile). */
    boolean portConflict() {
        return PORT_CONFLICT.matcher(logTail()).find();
    }

    String logTail() {
        try (SeekableByteChannel channel = Files.newByteChannel(logFile)) {
            final long size = channel.size();
            final int length = (int) Math.min(size, TAIL_BYTES);
            channel.position(size - length);
            final ByteBuffer buffer = ByteBuffer.allocate(length);
            while (buffer.hasRemaining() && channel.read(buffer) >= 0) {
                // read until the buffer is full
            }
            final String[] lines = new String(buffer.array(), 0, buffer.position(), StandardCharsets.UTF_8)
                    .split("\\R");
            final int from = Math.max(0, lines.length - TAIL_LINES);
            return String.join("\n", List.of(lines).subList(from, lines.length));
        } catch (final IOException e) {
            return "(log not readable: " + e + ")";
        }
    }

    long pid() {
        return process.pid();
    }

    boolean isAlive() {
        return process.isAlive();
    }

    Path logFile() {
        return logFile;
    }

    /** Stops the process and its descendants, and forgets the shutdown hook. */
    @Override
    public void close() {
        closedByOwner.countDown();
        stop();
        try {
            Runtime.getRuntime().removeShutdownHook(shutdownHook);
        } catch (final IllegalStateException alreadyShuttingDown) {
            // The hook is running or has run: nothing to remove.
        }
    }

    /**
     * The shutdown hook: on Ctrl-C or SIGTERM the owner usually closes its clients first and then this
     * process (a Kafka Streams application must close before its broker goes away), so the hook waits
     * a moment for that orderly close and stops the process itself only if it does not come.
     */
    private void stopUnlessOwnerCloses() {
        try {
            closedByOwner.await(OWNER_CLOSE_GRACE.toMillis(), TimeUnit.MILLISECONDS);
        } catch (final InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        stop();
    }

    private synchronized void stop() {
        final List<ProcessHandle> descendants = process.descendants().toList();
        // Through the handle, not Process#destroy(): that also closes the child's stdin at once, which
        // would fire the child's watchdog instead of letting it shut down on SIGTERM alone.
        process.toHandle().destroy();
        descendants.forEach(ProcessHandle::destroy);
        final long deadline = System.nanoTime() + STOP_GRACE.toNanos();
        if (!awaitExit(process.toHandle(), deadline)) {
            process.destroyForcibly();
        }
        for (final ProcessHandle descendant : descendants) {
            if (!awaitExit(descendant, deadline)) {
                descendant.destroyForcibly();
            }
        }
        final long forcedDeadline = System.nanoTime() + STOP_GRACE.toNanos();
        awaitExit(process.toHandle(), forcedDeadline);
        descendants.forEach(descendant -> awaitExit(descendant, forcedDeadline));
        closeQuietly(process.getOutputStream());
    }

    private static boolean awaitExit(final ProcessHandle handle, final long deadlineNanos) {
        if (!handle.isAlive()) {
            return true;
        }
        try {
            handle.onExit().get(Math.max(0, deadlineNanos - System.nanoTime()), TimeUnit.NANOSECONDS);
            return true;
        } catch (final TimeoutException | ExecutionException e) {
            return !handle.isAlive();
        } catch (final InterruptedException e) {
            Thread.currentThread().interrupt();
            return !handle.isAlive();
        }
    }

    private static void closeQuietly(final OutputStream stream) {
        try {
            stream.close();
        } catch (final IOException e) {
            // The child is gone; its stdin pipe may already be broken.
        }
    }

    static void pause(final Duration duration) throws IOException {
        try {
            Thread.sleep(duration.toMillis());
        } catch (final InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("Interrupted while waiting for a local server", e);
        }
    }

    @Override
    public String toString() {
        return name + " (pid " + process.pid() + ")";
    }
}
