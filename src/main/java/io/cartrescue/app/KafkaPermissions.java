package io.cartrescue.app;

import io.cartrescue.topology.TopicNames;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.apache.kafka.common.acl.AclOperation;
import org.apache.kafka.common.config.types.Password;
import org.apache.kafka.common.errors.AuthenticationException;
import org.apache.kafka.common.errors.AuthorizationException;
import org.apache.kafka.common.errors.ClusterAuthorizationException;
import org.apache.kafka.common.errors.GroupAuthorizationException;
import org.apache.kafka.common.errors.TopicAuthorizationException;
import org.apache.kafka.common.errors.TransactionalIdAuthorizationException;

/**
 * The Kafka permissions cart-rescue needs, as {@code deploy/acls/create-acls.sh} grants them, and
 * how to say which one is missing: the resource, the operations it needs and the {@code kafka-acls}
 * command that grants them.
 *
 * <ul>
 *   <li>input topics: Read, Describe</li>
 *   <li>output topics (dead letters included): Write, Describe</li>
 *   <li>topics prefixed {@code <application.id>-} (repartition, changelog): All</li>
 *   <li>consumer groups prefixed {@code <application.id>}: All (Read is what consuming needs)</li>
 *   <li>transactional ids prefixed {@code <application.id>-} (exactly-once): Write, Describe</li>
 * </ul>
 */
final class KafkaPermissions {
    static final String ACL_SCRIPT = "deploy/acls/create-acls.sh";
    private static final Pattern JAAS_USERNAME = Pattern.compile("username\\s*=\\s*\"([^\"]*)\"");

    private final TopicNames topics;
    private final String applicationId;
    private final String principal;
    private final String bootstrapServers;

    KafkaPermissions(final TopicNames topics, final String applicationId, final String principal,
                     final String bootstrapServers) {
        this.topics = topics;
        this.applicationId = applicationId;
        this.principal = principal;
        this.bootstrapServers = bootstrapServers;
    }

    /**
     * The principal a JAAS configuration logs in as ({@code User:<username>} for SCRAM and PLAIN), or a
     * placeholder when it cannot be told (TLS client certificates, OAuth, Kerberos).
     */
    static String principalOf(final Object jaasConfig) {
        if (jaasConfig != null) {
            final Matcher m = JAAS_USERNAME.matcher(jaasConfig instanceof Password password ? password.value()
                    : String.valueOf(jaasConfig));
            if (m.find()) {
                return "User:" + m.group(1);
            }
        }
        return "User:<principal>";
    }

    /** Operations a topic needs; empty for a topic cart-rescue does not use. */
    Set<AclOperation> topicOperations(final String topic) {
        if (topics.inputs().contains(topic)) {
            return EnumSet.of(AclOperation.READ, AclOperation.DESCRIBE);
        }
        if (topics.outputs().contains(topic)) {
            return EnumSet.of(AclOperation.WRITE, AclOperation.DESCRIBE);
        }
        if (topic.startsWith(applicationId + "-")) {
            return EnumSet.of(AclOperation.ALL);
        }
        return EnumSet.noneOf(AclOperation.class);
    }

    /** The operations of {@code needed} that {@code granted} does not cover (ALL covers everything). */
    static Set<AclOperation> lacking(final Set<AclOperation> needed, final Set<AclOperation> granted) {
        if (granted.contains(AclOperation.ALL)) {
            return EnumSet.noneOf(AclOperation.class);
        }
        final Set<AclOperation> implied = EnumSet.copyOf(granted);
        // Kafka lets Read, Write, Delete and Alter imply Describe.
        if (granted.stream().anyMatch(op -> op == AclOperation.READ || op == AclOperation.WRITE
                || op == AclOperation.DELETE || op == AclOperation.ALTER)) {
            implied.add(AclOperation.DESCRIBE);
        }
        final Set<AclOperation> missing = EnumSet.noneOf(AclOperation.class);
        for (final AclOperation op : needed) {
            if (op == AclOperation.ALL ? !granted.contains(AclOperation.ALL) : !implied.contains(op)) {
                missing.add(op);
            }
        }
        return missing;
    }

    /** One line: what a topic lacks, and the command that grants what it needs. */
    String topicLine(final String topic, final Set<AclOperation> missing) {
        final boolean internal = topic.startsWith(applicationId + "-") && topicOperations(topic).contains(AclOperation.ALL);
        final String resource = internal ? "--resource-pattern-type prefixed --topic " + applicationId + "-"
                : "--topic " + topic;
        return "topic " + topic + ": missing " + names(missing) + "; grant with: "
                + command(topicOperations(topic), resource);
    }

    /** One line: what the consumer group lacks. */
    String groupLine(final Set<AclOperation> missing) {
        return "consumer group " + applicationId + ": missing " + names(missing) + "; grant with: "
                + command(EnumSet.of(AclOperation.ALL), "--resource-pattern-type prefixed --group " + applicationId);
    }

    /** One line: the transactional ids exactly-once processing uses. */
    String transactionalIdLine() {
        return "transactional ids " + applicationId + "-*: missing Write, Describe; grant with: "
                + command(EnumSet.of(AclOperation.WRITE, AclOperation.DESCRIBE),
                "--resource-pattern-type prefixed --transactional-id " + applicationId + "-");
    }

    /**
     * What a Kafka authorization or authentication failure anywhere in {@code error}'s causes means for
     * the operator, or empty when {@code error} is not one.
     */
    Optional<List<String>> explain(final Throwable error) {
        for (Throwable t = error; t != null; t = t.getCause()) {
            if (t instanceof AuthenticationException) {
                return Optional.of(List.of("Kafka rejected the credentials of " + principal + " ("
                        + t.getClass().getSimpleName() + ": " + t.getMessage() + "); check sasl.jaas.config "
                        + "(KAFKA_SASL_JAAS_CONFIG), sasl.mechanism and the TLS settings"));
            }
            if (t instanceof TopicAuthorizationException topicDenied) {
                final List<String> lines = new ArrayList<>();
                for (final String topic : topicDenied.unauthorizedTopics()) {
                    final Set<AclOperation> needed = topicOperations(topic);
                    lines.add(needed.isEmpty() ? "topic " + topic + ": access denied (not a topic cart-rescue is configured for)"
                            : topicLine(topic, needed));
                }
                if (lines.isEmpty()) {
                    lines.add("a topic: " + t.getMessage());
                }
                return Optional.of(lines);
            }
            if (t instanceof GroupAuthorizationException) {
                return Optional.of(List.of(groupLine(EnumSet.of(AclOperation.READ, AclOperation.DESCRIBE))));
            }
            if (t instanceof TransactionalIdAuthorizationException) {
                return Optional.of(List.of(transactionalIdLine()));
            }
            if (t instanceof ClusterAuthorizationException) {
                return Optional.of(List.of("cluster: " + t.getMessage() + "; grant with: "
                        + command(EnumSet.of(AclOperation.IDEMPOTENT_WRITE), "--cluster")));
            }
            if (t instanceof AuthorizationException) {
                return Optional.of(List.of(t.getClass().getSimpleName() + ": " + t.getMessage()));
            }
        }
        return Optional.empty();
    }

    /** The message for the operator: who was denied what, and where the full list of ACLs is. */
    String report(final List<String> lines) {
        final StringBuilder text = new StringBuilder("not authorized: the Kafka cluster at ").append(bootstrapServers)
                .append(" denies ").append(principal).append(" what cart-rescue needs:");
        lines.forEach(line -> text.append(System.lineSeparator()).append("  ").append(line));
        text.append(System.lineSeparator()).append("every ACL cart-rescue needs is in ").append(ACL_SCRIPT)
                .append(" (APP_ID=").append(applicationId).append(')');
        return text.toString();
    }

    private String command(final Set<AclOperation> operations, final String resource) {
        return "kafka-acls.sh --bootstrap-server " + bootstrapServers + " --add --allow-principal " + principal + " "
                + operations.stream().map(op -> "--operation " + cliName(op)).collect(Collectors.joining(" "))
                + " " + resource;
    }

    private static String names(final Set<AclOperation> operations) {
        return operations.stream().map(KafkaPermissions::cliName).collect(Collectors.joining(", "));
    }

    /** The operation as kafka-acls spells it: Read, Describe, IdempotentWrite, All. */
    static String cliName(final AclOperation op) {
        final StringBuilder name = new StringBuilder();
        for (final String part : op.name().split("_")) {
            name.append(part.charAt(0)).append(part.substring(1).toLowerCase(Locale.ROOT));
        }
        return name.toString();
    }
}
