package io.cartrescue.local;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.concurrent.CountDownLatch;

/**
 * A stand-in for the demo: a separate JVM that starts a {@link LocalStack}, reports the children's
 * pids and ports in {@code <workDir>/ready}, and waits to be killed. {@link ChildCleanupIT} kills it in
 * different ways and checks that the broker and the registry do not outlive it.
 */
public final class LocalStackHolder {

    static final String READY_FILE = "ready";

    private LocalStackHolder() {
    }

    public static void main(final String[] args) throws Exception {
        final Path workDir = Path.of(args[0]);
        final LocalStack stack = LocalStack.start(workDir);
        final String ready = String.join(" ",
                String.valueOf(stack.kafka().pid()), String.valueOf(stack.registry().pid()),
                String.valueOf(stack.kafka().port()), String.valueOf(stack.kafka().controllerPort()),
                String.valueOf(stack.registry().port()), String.valueOf(stack.registry().managementPort()));
        final Path partial = workDir.resolve(READY_FILE + ".tmp");
        Files.writeString(partial, ready, StandardCharsets.UTF_8);
        Files.move(partial, workDir.resolve(READY_FILE), StandardCopyOption.ATOMIC_MOVE);
        new CountDownLatch(1).await();
    }
}
