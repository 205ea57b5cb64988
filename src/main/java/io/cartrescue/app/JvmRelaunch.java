package io.cartrescue.app;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Runs a command again in a JVM started with the options it needs, as a launcher script would have
 * started it: the same java, the same class path, the options of this JVM followed by the extra
 * ones, the same arguments, the same standard streams and working directory. The exit code is the
 * new JVM's; stopping this JVM (Ctrl-C, SIGTERM) stops the new one and waits for it.
 *
 * <p>Only a JVM started by {@link Main#main} may be replaced (a command run inside another program,
 * a test for one, stays where it is), only once, and only when it was started with no {@code -XX}
 * option, agent or flight recording: whoever chose one has chosen how this JVM runs.
 */
final class JvmRelaunch {
    /** Set in the new JVM's environment, so that it never starts a third. */
    static final String RELAUNCHED = "CART_RESCUE_RELAUNCHED";
    private static final long STOP_WAIT_SECONDS = 30;

    private static volatile List<String> processArguments;

    private JvmRelaunch() {
    }

    /** Called by {@link Main#main} with the process's arguments: this JVM may be replaced. */
    static void processStartedWith(final String[] args) {
        processArguments = List.of(args);
    }

    /** Whether this JVM may be replaced by one with other options. */
    static boolean possible() {
        return processArguments != null && possible(ManagementFactory.getRuntimeMXBean().getInputArguments(), System.getenv());
    }

    /** Whether a JVM started with {@code jvmArguments}, in {@code environment}, may be replaced. */
    static boolean possible(final List<String> jvmArguments, final Map<String, String> environment) {
        if (environment.containsKey(RELAUNCHED)) {
            return false;
        }
        return jvmArguments.stream().noneMatch(argument -> argument.startsWith("-XX:") || argument.startsWith("-agent")
                || argument.startsWith("-javaagent"));
    }

    /**
     * Runs the process's command again in a JVM with {@code extraOptions} added, and returns its exit code.
     *
     * @throws IllegalStateException when this JVM was not started by {@link Main#main}
     */
    static int run(final List<String> extraOptions) throws IOException, InterruptedException {
        if (processArguments == null) {
            throw new IllegalStateException("only a JVM started by Main.main can be replaced");
        }
        final ProcessBuilder builder = new ProcessBuilder(command(ManagementFactory.getRuntimeMXBean().getInputArguments(),
                extraOptions, processArguments)).inheritIO();
        builder.environment().put(RELAUNCHED, "1");
        final Process process = builder.start();
        final Thread stopIt = new Thread(() -> stop(process), "stop-relaunched-jvm");
        Runtime.getRuntime().addShutdownHook(stopIt);
        final int exit = process.waitFor();
        try {
            Runtime.getRuntime().removeShutdownHook(stopIt);
        } catch (IllegalStateException shuttingDown) {
            // the hook is running or about to: it finds the process ended
        }
        return exit;
    }

    /**
     * The command line of a JVM like this one, started with {@code jvmArguments} and then
     * {@code extraOptions}, that runs {@link Main} with {@code args}.
     */
    static List<String> command(final List<String> jvmArguments, final List<String> extraOptions,
                                final List<String> args) {
        final List<String> command = new ArrayList<>();
        command.add(ProcessHandle.current().info().command().orElse("java"));
        command.addAll(jvmArguments);
        command.addAll(extraOptions);
        command.add("-cp");
        command.add(System.getProperty("java.class.path"));
        command.add(Main.class.getName());
        command.addAll(args);
        return command;
    }

    private static void stop(final Process process) {
        if (!process.isAlive()) {
            return;
        }
        process.destroy();
        try {
            if (!process.waitFor(STOP_WAIT_SECONDS, TimeUnit.SECONDS)) {
                process.destroyForcibly();
            }
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
        }
    }
}
