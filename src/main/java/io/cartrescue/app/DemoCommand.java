package io.cartrescue.app;

import io.cartrescue.demo.Demo;
import io.cartrescue.policy.PolicyLoader;
import java.io.FileDescriptor;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.time.Duration;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code cart-rescue demo}: everything on this machine, shoppers included. */
@Command(name = "demo", mixinStandardHelpOptions = true,
        description = {"Start a local Kafka broker and schema registry, cart-rescue, and a storefront of simulated "
                + "shoppers; print each intervention as it is published and a summary at the end.",
                "Ctrl-C stops everything the demo started."})
final class DemoCommand implements Callable<Integer> {
    @Option(names = "--duration", paramLabel = "SECONDS", description = "Stop by itself after this many seconds (default: run until Ctrl-C).")
    private Integer durationSeconds;

    @Option(names = "--speed", defaultValue = "10", description = "How many times faster than real shoppers the simulated ones act (default: ${DEFAULT-VALUE}; the demo policy is scaled for 10).")
    private int speed;

    @Option(names = "--shoppers", defaultValue = "40", description = "Shoppers on the site at once (default: ${DEFAULT-VALUE}).")
    private int shoppers;

    @Option(names = "--seed", defaultValue = "7", description = "Seed of the simulated storefront (default: ${DEFAULT-VALUE}).")
    private long seed;

    @Option(names = "--policy", paramLabel = "FILE", description = "Policy to run instead of the demo policy.")
    private Path policyFile;

    @Option(names = "--verbose", description = "Show the Kafka clients' warnings too (hidden by default to keep the console readable).")
    private boolean verbose;

    @CommandLine.Spec
    private CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        if (speed < 1 || speed > 1000 || shoppers < 1 || shoppers > 100_000 || durationSeconds != null && durationSeconds < 1) {
            throw new CommandLine.ParameterException(spec.commandLine(),
                    "--speed must be 1..1000, --shoppers 1..100000, --duration at least 1");
        }
        if (!verbose) {
            ((ch.qos.logback.classic.Logger) org.slf4j.LoggerFactory.getLogger("org.apache.kafka"))
                    .setLevel(ch.qos.logback.classic.Level.ERROR);
        }
        final PrintStream out = new PrintStream(new FileOutputStream(FileDescriptor.out), true, StandardCharsets.UTF_8);
        final Path workDir = Files.createTempDirectory("cart-rescue-demo-");
        final AtomicBoolean stop = new AtomicBoolean();
        final CountDownLatch finished = new CountDownLatch(1);
        final Thread hook = new Thread(() -> {
            stop.set(true);
            try {
                finished.await(60, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }, "cart-rescue-demo-stop");
        Runtime.getRuntime().addShutdownHook(hook);
        try {
            final Demo demo = new Demo(new Demo.Options(durationSeconds == null ? null : Duration.ofSeconds(durationSeconds),
                    speed, shoppers, seed, workDir), policyFile == null ? PolicyLoader.demo() : PolicyLoader.load(policyFile),
                    out, stop);
            demo.run();
            return 0;
        } finally {
            deleteRecursively(workDir);
            finished.countDown();
            if (!stop.get()) {
                Runtime.getRuntime().removeShutdownHook(hook);
            }
        }
    }

    private static void deleteRecursively(final Path dir) {
        try {
            Files.walkFileTree(dir, new SimpleFileVisitor<>() {
                @Override
                public FileVisitResult visitFile(final Path file, final BasicFileAttributes attrs) throws IOException {
                    Files.deleteIfExists(file);
                    return FileVisitResult.CONTINUE;
                }

                @Override
                public FileVisitResult postVisitDirectory(final Path d, final IOException e) throws IOException {
                    Files.deleteIfExists(d);
                    return FileVisitResult.CONTINUE;
                }
            });
        } catch (IOException e) {
            throw new UncheckedIOException("could not remove the demo's work directory " + dir, e);
        }
    }
}
