package io.cartrescue.app;

import io.cartrescue.config.AppConfig;
import io.cartrescue.config.ConfigException;
import io.cartrescue.policy.Policy;
import io.cartrescue.policy.PolicyException;
import io.cartrescue.policy.PolicyLoader;
import io.cartrescue.serde.SchemaRegistryClient;
import io.cartrescue.serde.SchemaRegistryException;
import io.cartrescue.topology.TimeMode;
import io.cartrescue.topology.TopicPlan;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.NewTopic;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code cart-rescue run}: one instance of the application against the operator's cluster and registry. */
@Command(name = "run", mixinStandardHelpOptions = true,
        description = {"Run cart-rescue against a Kafka cluster and a schema registry.",
                "Settings: built-in defaults < --config FILE < environment (KAFKA_* for Kafka settings, CART_RESCUE_* "
                        + "for cart-rescue's own). Unknown settings stop start-up."})
final class RunCommand implements Callable<Integer> {
    /** Obtained when first used: building the command line (for any command) does not start logging. */
    private static Logger log() {
        return LoggerFactory.getLogger(RunCommand.class);
    }
    private static final Duration BROKER_TIMEOUT = Duration.ofSeconds(20);
    private static final Duration FAILURE_POLL = Duration.ofMillis(200);

    @Option(names = "--config", paramLabel = "FILE", description = "Properties file with Kafka and cart-rescue settings.")
    private Path configFile;

    @Option(names = "--print-config", description = "Print the effective settings (secrets redacted) with where each comes from, and exit.")
    private boolean printConfig;

    @CommandLine.Spec
    private CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        final PrintWriter err = spec.commandLine().getErr();
        final AppConfig config;
        final Policy policy;
        try {
            config = AppConfig.load(Optional.ofNullable(configFile), System.getenv());
            policy = config.policyFile().map(PolicyLoader::load).orElseGet(PolicyLoader::defaults);
        } catch (ConfigException | PolicyException e) {
            err.println(e.getMessage());
            err.flush();
            return Main.EXIT_CONFIG;
        }
        if (printConfig) {
            spec.commandLine().getOut().println(config.describe());
            spec.commandLine().getOut().flush();
            return 0;
        }
        config.warnings().forEach(log()::warn);
        final int ready = checkCluster(config, err);
        if (ready != 0) {
            return ready;
        }
        CartRescueRuntime.Settings settings = settings(config, policy);
        final int registryReady = checkRegistry(settings, err);
        if (registryReady != 0) {
            return registryReady;
        }
        if (config.timeMode() == TimeMode.REPLAY) {
            settings = settings.withTopology(settings.topology().withStreamPartitions(eventPartitions(config)));
        }
        final CountDownLatch stopped = new CountDownLatch(1);
        try (CartRescueRuntime runtime = CartRescueRuntime.start(settings)) {
            final Thread hook = new Thread(() -> {
                log().info("shutting down (signal received)");
                runtime.close();
                stopped.countDown();
            }, "cart-rescue-shutdown");
            Runtime.getRuntime().addShutdownHook(hook);
            while (!stopped.await(FAILURE_POLL.toMillis(), TimeUnit.MILLISECONDS)) {
                if (runtime.hasFailed()) {
                    Runtime.getRuntime().removeShutdownHook(hook);
                    log().error("stopping: Kafka Streams has stopped with an error it cannot recover from (see above)");
                    return runtime.notAuthorized() ? Main.EXIT_NOT_AUTHORIZED : Main.EXIT_FAILURE;
                }
            }
        }
        return 0;
    }

    /** 0 when the cluster answers and the topics exist; otherwise the exit code, after saying why. */
    private static int checkCluster(final AppConfig config, final PrintWriter err) throws Exception {
        final List<NewTopic> plan = TopicPlan.topics(config.topics(), config.topicPartitions(), config.topicReplicationFactor());
        try (KafkaCheck check = new KafkaCheck(config.kafkaProperties(), BROKER_TIMEOUT)) {
            check.requireReachable(BROKER_TIMEOUT);
            final KafkaPermissions permissions = CartRescueRuntime.permissions(config.applicationId(),
                    config.bootstrapServers(), config.topics(), config.kafkaProperties());
            final List<String> denied = check.deniedPermissions(permissions,
                    plan.stream().map(NewTopic::name).toList(), config.applicationId());
            if (!denied.isEmpty()) {
                err.println(permissions.report(denied));
                err.flush();
                return Main.EXIT_NOT_AUTHORIZED;
            }
            final List<NewTopic> missing = check.missing(plan);
            if (missing.isEmpty()) {
                return 0;
            }
            if (config.autoCreateTopics()) {
                log().info("creating missing topics {}", missing.stream().map(NewTopic::name).toList());
                check.create(missing);
                return 0;
            }
            err.println("missing topics: " + missing.stream().map(NewTopic::name).toList());
            err.println("create them (see deploy/topics/) or set cart-rescue.topics.auto.create=true "
                    + "(CART_RESCUE_TOPICS_AUTO_CREATE=true):");
            missing.forEach(t -> err.println("  " + KafkaCheck.createCommand(t, config.bootstrapServers())));
            err.flush();
            return Main.EXIT_CONFIG;
        } catch (KafkaCheck.NotAuthenticated e) {
            err.println("not authorized: " + e.getMessage());
            err.flush();
            return Main.EXIT_NOT_AUTHORIZED;
        } catch (IllegalStateException e) {
            err.println(e.getMessage());
            err.flush();
            return Main.EXIT_FAILURE;
        }
    }

    /**
     * The events topic's partition count, which stream-time mode needs: arbitration waits for the
     * progress of every session-detection task, one per partition.
     */
    private static int eventPartitions(final AppConfig config) throws Exception {
        try (KafkaCheck check = new KafkaCheck(config.kafkaProperties(), BROKER_TIMEOUT)) {
            return check.partitions(config.topics().events());
        }
    }

    /**
     * 0 when the registry accepts cart-rescue's credentials; {@link Main#EXIT_NOT_AUTHORIZED} after saying
     * so when it answers 401 or 403 (every record would fail the same way). Other failures (the registry
     * is down, for instance) are left to the running application, which waits them out.
     */
    private static int checkRegistry(final CartRescueRuntime.Settings settings, final PrintWriter err) {
        final String subject = settings.topology().topics().events() + "-value";
        try {
            new SchemaRegistryClient(settings.registry()).compatibility(subject);
            return 0;
        } catch (SchemaRegistryException e) {
            if (e.httpStatus() != 401 && e.httpStatus() != 403) {
                log().warn("schema registry check failed, starting anyway: {}", e.getMessage());
                return 0;
            }
            err.println("not authorized: the schema registry at " + settings.registry().baseUrls() + " answered HTTP "
                    + e.httpStatus() + (e.httpStatus() == 401
                    ? " (credentials missing or wrong): check cart-rescue.schema.registry.basic.auth.user.info"
                            + " (CART_RESCUE_SCHEMA_REGISTRY_BASIC_AUTH_USER_INFO)"
                    : " (forbidden): the registry user needs to read and register schemas (Apicurio: role sr-developer)"));
            err.flush();
            return Main.EXIT_NOT_AUTHORIZED;
        } catch (RuntimeException e) {
            log().warn("schema registry check failed, starting anyway: {}", e.getMessage());
            return 0;
        }
    }

    static CartRescueRuntime.Settings settings(final AppConfig config, final Policy policy) {
        return CartRescueRuntime.Settings.from(config, policy);
    }
}
