package io.cartrescue.testing;

import io.cartrescue.local.LocalInfra;
import io.cartrescue.local.LocalStack;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;

/**
 * Shares one real broker and schema registry among all integration tests of a test JVM: starting a
 * {@link LocalStack} takes seconds, so it is started on first use, kept in the root
 * {@link ExtensionContext} store and closed when the test run ends. Tests receive it as a parameter:
 *
 * <pre>{@code
 * @ExtendWith(LocalStackExtension.class)
 * class CheckoutIT {
 *     @Test
 *     void chatOfferFollowsSecondPaymentFailure(LocalStack stack) { ... }
 * }
 * }</pre>
 *
 * Tests that share the stack must not depend on its being empty: use distinct topic names, group ids
 * and application ids. Logs of the broker and the registry stay in {@code target/local-stacks/}.
 */
public final class LocalStackExtension implements ParameterResolver {

    private static final ExtensionContext.Namespace NAMESPACE =
            ExtensionContext.Namespace.create(LocalStackExtension.class);

    @Override
    public boolean supportsParameter(final ParameterContext parameter, final ExtensionContext context) {
        return parameter.getParameter().getType() == LocalStack.class;
    }

    @Override
    public Object resolveParameter(final ParameterContext parameter, final ExtensionContext context) {
        return stack(context);
    }

    /** The shared stack, started on first call. */
    public static LocalStack stack(final ExtensionContext context) {
        return context.getRoot().getStore(NAMESPACE)
                .getOrComputeIfAbsent(SharedStack.class, key -> SharedStack.start(), SharedStack.class)
                .stack();
    }

    /** Held in the root store; JUnit closes it at the end of the run. */
    private record SharedStack(LocalStack stack) implements AutoCloseable {

        static SharedStack start() {
            try {
                final Path parent = LocalInfra.locate().directory().resolveSibling("local-stacks");
                Files.createDirectories(parent);
                return new SharedStack(LocalStack.start(Files.createTempDirectory(parent, "stack-")));
            } catch (final IOException e) {
                throw new UncheckedIOException(e);
            }
        }

        @Override
        public void close() {
            stack.close();
        }
    }
}
