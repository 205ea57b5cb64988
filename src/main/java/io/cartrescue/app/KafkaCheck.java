package io.cartrescue.app;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.DescribeConsumerGroupsOptions;
import org.apache.kafka.clients.admin.DescribeTopicsOptions;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.common.KafkaFuture;
import org.apache.kafka.common.acl.AclOperation;
import org.apache.kafka.common.errors.AuthenticationException;
import org.apache.kafka.common.errors.GroupAuthorizationException;
import org.apache.kafka.common.errors.GroupIdNotFoundException;
import org.apache.kafka.common.errors.TopicAuthorizationException;
import org.apache.kafka.common.errors.UnknownTopicOrPartitionException;

/**
 * What {@code run} checks before it starts: that the cluster answers, and that the topics exist
 * (created when auto-create is on, otherwise named with the command that creates them).
 */
final class KafkaCheck implements AutoCloseable {
    private static final String ADMIN_PREFIX = "admin.";

    private final Admin admin;
    private final String bootstrapServers;

    KafkaCheck(final Properties kafka, final Duration timeout) {
        this.bootstrapServers = String.valueOf(kafka.get(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG));
        final Properties adminProps = new Properties();
        final Set<String> known = AdminClientConfig.configNames();
        for (final Map.Entry<Object, Object> e : kafka.entrySet()) {
            final String key = String.valueOf(e.getKey());
            if (known.contains(key)) {
                adminProps.put(key, e.getValue());
            } else if (key.startsWith(ADMIN_PREFIX) && known.contains(key.substring(ADMIN_PREFIX.length()))) {
                adminProps.put(key.substring(ADMIN_PREFIX.length()), e.getValue());
            }
        }
        final int ms = (int) timeout.toMillis();
        adminProps.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, ms);
        adminProps.put(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, Math.min(ms, 15_000));
        this.admin = Admin.create(adminProps);
    }

    /** Fails with a message naming the bootstrap servers when the cluster does not answer in time. */
    void requireReachable(final Duration timeout) {
        try {
            admin.describeCluster().clusterId().get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof AuthenticationException) {
                throw new NotAuthenticated("the Kafka cluster at " + bootstrapServers + " rejected cart-rescue's "
                        + "credentials: check sasl.mechanism, sasl.jaas.config (KAFKA_SASL_MECHANISM, KAFKA_SASL_JAAS_CONFIG)"
                        + " and the TLS settings (" + rootMessage(e) + ")");
            }
            throw new IllegalStateException("cannot reach the Kafka cluster at " + bootstrapServers + ": check "
                    + "bootstrap.servers (KAFKA_BOOTSTRAP_SERVERS), the network and the security settings ("
                    + rootMessage(e) + ")");
        } catch (TimeoutException e) {
            throw new IllegalStateException("cannot reach the Kafka cluster at " + bootstrapServers + " within "
                    + timeout.toSeconds() + " s; check bootstrap.servers (KAFKA_BOOTSTRAP_SERVERS), the network and the "
                    + "security settings (" + rootMessage(e) + ")");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while contacting " + bootstrapServers, e);
        }
    }

    /**
     * What the cluster denies: one line per topic of {@code topicNames} that lacks an operation
     * {@code permissions} says it needs, and one for the consumer group {@code groupId} when it cannot
     * be read. Topics that do not exist are left to {@link #missing}. Empty when everything is granted.
     */
    List<String> deniedPermissions(final KafkaPermissions permissions, final Collection<String> topicNames,
                                   final String groupId) throws InterruptedException, ExecutionException {
        final List<String> denied = new ArrayList<>();
        final Map<String, KafkaFuture<TopicDescription>> described = admin.describeTopics(topicNames,
                new DescribeTopicsOptions().includeAuthorizedOperations(true)).topicNameValues();
        for (final String topic : topicNames) {
            final Set<AclOperation> needed = permissions.topicOperations(topic);
            try {
                final Set<AclOperation> lacking = KafkaPermissions.lacking(needed,
                        granted(described.get(topic).get().authorizedOperations()));
                if (!lacking.isEmpty()) {
                    denied.add(permissions.topicLine(topic, lacking));
                }
            } catch (final ExecutionException e) {
                if (e.getCause() instanceof TopicAuthorizationException) {
                    denied.add(permissions.topicLine(topic, needed));
                } else if (!(e.getCause() instanceof UnknownTopicOrPartitionException)) {
                    throw e;
                }
            }
        }
        final Set<AclOperation> groupNeeds = EnumSet.of(AclOperation.READ, AclOperation.DESCRIBE);
        try {
            final Set<AclOperation> lacking = KafkaPermissions.lacking(groupNeeds, granted(admin.describeConsumerGroups(
                    List.of(groupId), new DescribeConsumerGroupsOptions().includeAuthorizedOperations(true))
                    .describedGroups().get(groupId).get().authorizedOperations()));
            if (!lacking.isEmpty()) {
                denied.add(permissions.groupLine(lacking));
            }
        } catch (final ExecutionException e) {
            if (e.getCause() instanceof GroupAuthorizationException) {
                denied.add(permissions.groupLine(groupNeeds));
            } else if (!(e.getCause() instanceof GroupIdNotFoundException)) {
                throw e;
            }
            // A group that does not exist yet was allowed to be described; Read shows when it is joined.
        }
        return denied;
    }

    /** Authorized operations as the broker reports them; null (a broker that does not say) counts as all. */
    private static Set<AclOperation> granted(final Set<AclOperation> reported) {
        return reported == null ? EnumSet.of(AclOperation.ALL) : reported;
    }

    /** The cluster answered, but refused the credentials (authentication, not authorization). */
    static final class NotAuthenticated extends IllegalStateException {
        private static final long serialVersionUID = 1L;

        NotAuthenticated(final String message) {
            super(message);
        }
    }

    /** The topics of the plan that do not exist. */
    List<NewTopic> missing(final Collection<NewTopic> plan) throws ExecutionException, InterruptedException {
        final Set<String> existing = admin.listTopics().names().get();
        final List<NewTopic> missing = new ArrayList<>();
        for (final NewTopic topic : plan) {
            if (!existing.contains(topic.name())) {
                missing.add(topic);
            }
        }
        return missing;
    }

    /** How many partitions the (existing) topic has. */
    int partitions(final String topic) throws ExecutionException, InterruptedException {
        return admin.describeTopics(List.of(topic)).allTopicNames().get().get(topic).partitions().size();
    }

    void create(final Collection<NewTopic> topics) throws ExecutionException, InterruptedException {
        admin.createTopics(topics).all().get();
    }

    /** The command that creates a topic with Kafka's own CLI. */
    static String createCommand(final NewTopic topic, final String bootstrapServers) {
        final StringBuilder cmd = new StringBuilder("kafka-topics.sh --bootstrap-server ").append(bootstrapServers)
                .append(" --create --topic ").append(topic.name())
                .append(" --partitions ").append(topic.numPartitions());
        if (topic.replicationFactor() > 0) {
            cmd.append(" --replication-factor ").append(topic.replicationFactor());
        }
        if (topic.configs() != null) {
            topic.configs().forEach((k, v) -> cmd.append(" --config ").append(k).append('=').append(v));
        }
        return cmd.toString();
    }

    private static String rootMessage(final Throwable e) {
        Throwable t = e;
        while (t.getCause() != null) {
            t = t.getCause();
        }
        return t.getClass().getSimpleName() + (t.getMessage() == null ? "" : ": " + t.getMessage());
    }

    @Override
    public void close() {
        admin.close(Duration.ofSeconds(5));
    }
}
