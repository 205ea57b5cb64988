package io.cartrescue.testing;

import static org.assertj.core.api.Assertions.assertThat;

import io.cartrescue.local.LocalStack;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

@ExtendWith(LocalStackExtension.class)
class LocalStackExtensionIT {

    private static LocalStack first;

    @Test
    void injectsARunningStack(final LocalStack stack) throws Exception {
        remember(stack);
        stack.createTopics(List.of(new NewTopic("extension-it", 1, (short) 1)));

        try (Admin admin = Admin.create(Map.<String, Object>of(
                AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, stack.bootstrapServers()))) {
            assertThat(admin.listTopics().names().get()).contains("extension-it");
        }
    }

    @Test
    void injectsTheSameStackEverywhere(final LocalStack stack) {
        remember(stack);
        assertThat(stack).isSameAs(first);
    }

    @Nested
    class InANestedClass {
        @Test
        void injectsTheSameStack(final LocalStack stack) {
            remember(stack);
            assertThat(stack).isSameAs(first);
        }
    }

    private static synchronized void remember(final LocalStack stack) {
        if (first == null) {
            first = stack;
        }
    }
}
