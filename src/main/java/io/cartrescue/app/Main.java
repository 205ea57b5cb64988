package io.cartrescue.app;

import org.slf4j.LoggerFactory;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * The {@code cart-rescue} command line. Exit codes: 0 success; 1 failure while running;
 * 2 bad command line; 3 bad configuration or policy; 4 not authorized by the Kafka cluster.
 */
@Command(name = "cart-rescue",
        mixinStandardHelpOptions = true,
        versionProvider = VersionProvider.class,
        description = "Detects shoppers who hesitate on the way to checkout and publishes interventions.",
        subcommands = {RunCommand.class, DemoCommand.class, ReplayCommand.class, ValidatePolicyCommand.class, TopologyCommand.class,
                CommandLine.HelpCommand.class},
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {"0:success", "1:failure while running", "2:bad command line", "3:bad configuration or policy",
                "4:not authorized by the Kafka cluster (ACLs or credentials)"})
public final class Main implements Runnable {
    public static final int EXIT_FAILURE = 1;
    public static final int EXIT_USAGE = 2;
    public static final int EXIT_CONFIG = 3;
    public static final int EXIT_NOT_AUTHORIZED = 4;

    @CommandLine.Spec
    private CommandLine.Model.CommandSpec spec;

    public static void main(final String[] args) {
        JvmRelaunch.processStartedWith(args);
        System.exit(commandLine().execute(args));
    }

    /** The command line with every subcommand, as {@link #main} runs it. */
    public static CommandLine commandLine() {
        return new CommandLine(new Main())
                .setExitCodeExceptionMapper(e -> EXIT_FAILURE)
                .setExecutionExceptionHandler((e, commandLine, parseResult) -> {
                    LoggerFactory.getLogger(Main.class).debug("command failed", e);
                    commandLine.getErr().println("cart-rescue " + commandLine.getCommandName() + ": " + e.getMessage());
                    commandLine.getErr().flush();
                    return EXIT_FAILURE;
                });
    }

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }
}
