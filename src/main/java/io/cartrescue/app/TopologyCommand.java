package io.cartrescue.app;

import io.cartrescue.policy.PolicyLoader;
import io.cartrescue.serde.ConfluentAvroSerde;
import io.cartrescue.topology.CartRescueTopology;
import io.cartrescue.topology.TimeMode;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** Prints the topology description, the same text as {@code topology/topology.txt}. */
@Command(name = "topology", mixinStandardHelpOptions = true,
        description = "Print the Kafka Streams topology description (nodes, stores, internal topics).")
final class TopologyCommand implements Callable<Integer> {
    @CommandLine.Spec
    private CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() {
        final String description = CartRescueTopology.build(CartRescueTopology.Settings.defaults(TimeMode.LIVE),
                PolicyLoader.defaults(), ConfluentAvroSerde::new).describe().toString();
        spec.commandLine().getOut().print(description);
        spec.commandLine().getOut().flush();
        return 0;
    }
}
