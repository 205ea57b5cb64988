package io.cartrescue.topology;

import static org.assertj.core.api.Assertions.assertThat;

import io.cartrescue.policy.PolicyLoader;
import io.cartrescue.testing.PlainAvroSerdes;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/**
 * Keeps {@code topology/topology.txt} equal to the topology the application runs. A difference
 * means a node, store or internal topic was added, removed or renamed: check what that does to
 * running applications (see the upgrade section of the README), then regenerate the file with
 * {@code java -jar target/cart-rescue.jar topology > topology/topology.txt}.
 */
class TopologyDescriptionTest {
    @Test
    void descriptionInTheRepositoryMatchesTheBuiltTopology() throws IOException {
        final String built = CartRescueTopology.build(CartRescueTopology.Settings.defaults(TimeMode.LIVE),
                PolicyLoader.defaults(), new PlainAvroSerdes()).describe().toString();
        final String kept = Files.readString(Path.of("topology", "topology.txt"), StandardCharsets.UTF_8);
        assertThat(built).isEqualTo(kept);
    }

    @Test
    void descriptionDoesNotDependOnTheTimeMode() {
        final String live = CartRescueTopology.build(CartRescueTopology.Settings.defaults(TimeMode.LIVE),
                PolicyLoader.defaults(), new PlainAvroSerdes()).describe().toString();
        final String replay = CartRescueTopology.build(CartRescueTopology.Settings.defaults(TimeMode.REPLAY),
                PolicyLoader.defaults(), new PlainAvroSerdes()).describe().toString();
        assertThat(replay).isEqualTo(live);
    }
}
