package io.cartrescue.local;

import java.io.IOException;
import java.io.InputStream;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * A Java agent loaded into every server process the project starts (broker, registry), so that the
 * child dies with its parent even when the parent is killed with {@code kill -9} and cannot run its
 * shutdown hooks. Being an agent, it works with any launch style ({@code -cp ... kafka.Kafka} as well
 * as {@code -jar quarkus-run.jar}) without changing the child's main class.
 *
 * <p>The child's stdin is a pipe from the parent: end-of-file on it means the parent is gone. As a
 * second signal, the agent watches the parent's process id given as the agent argument. Either way it
 * calls {@link System#exit(int)} so the server's own shutdown hooks run, and halts the process if they
 * take longer than {@value #HALT_AFTER_SECONDS} seconds.
 *
 * <p>This class must only use the JDK: it is loaded from a tiny jar next to the child's class path.
 */
public final class ParentWatchdog {

    static final int HALT_AFTER_SECONDS = 20;
    static final String MESSAGE = "cart-rescue parent watchdog: parent process is gone, stopping";

    private static final AtomicBoolean STOPPING = new AtomicBoolean();

    private ParentWatchdog() {
    }

    /**
     * Agent entry point.
     *
     * @param parentPid the process id of the parent JVM, may be empty to watch stdin only
     */
    public static void premain(final String parentPid) {
        daemon("cart-rescue-stdin-watchdog", () -> {
            drain(System.in);
            parentGone("its stdin pipe reached end-of-file");
        });
        if (parentPid != null && !parentPid.isBlank()) {
            final long pid = Long.parseLong(parentPid.trim());
            final var parent = ProcessHandle.of(pid);
            if (parent.isEmpty()) {
                parentGone("process " + pid + " does not exist");
            } else {
                parent.get().onExit().thenRun(() -> parentGone("process " + pid + " exited"));
            }
        }
    }

    private static void drain(final InputStream in) {
        final byte[] buffer = new byte[256];
        try {
            while (in.read(buffer) >= 0) {
                // Nothing is expected on stdin: it only exists to close when the parent dies.
            }
        } catch (final IOException e) {
            // A broken pipe means the same as end-of-file: the parent is gone.
        }
    }

    private static void parentGone(final String reason) {
        if (!STOPPING.compareAndSet(false, true)) {
            return;
        }
        System.err.println(MESSAGE + " (" + reason + ")");
        System.err.flush();
        daemon("cart-rescue-halt-watchdog", () -> {
            try {
                TimeUnit.SECONDS.sleep(HALT_AFTER_SECONDS);
            } catch (final InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            Runtime.getRuntime().halt(137);
        });
        daemon("cart-rescue-exit-watchdog", () -> System.exit(143));
    }

    private static void daemon(final String name, final Runnable body) {
        final Thread thread = new Thread(body, name);
        thread.setDaemon(true);
        thread.start();
    }
}
