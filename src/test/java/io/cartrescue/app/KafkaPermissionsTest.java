package io.cartrescue.app;

import static org.assertj.core.api.Assertions.assertThat;

import io.cartrescue.topology.TopicNames;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import org.apache.kafka.common.acl.AclOperation;
import org.apache.kafka.common.config.types.Password;
import org.apache.kafka.common.errors.GroupAuthorizationException;
import org.apache.kafka.common.errors.SaslAuthenticationException;
import org.apache.kafka.common.errors.TopicAuthorizationException;
import org.apache.kafka.common.errors.TransactionalIdAuthorizationException;
import org.apache.kafka.streams.errors.StreamsException;
import org.junit.jupiter.api.Test;

class KafkaPermissionsTest {
    private final KafkaPermissions permissions =
            new KafkaPermissions(TopicNames.defaults(), "cart-rescue", "User:app", "kafka:9093");

    @Test
    void eachTopicNeedsWhatTheAclScriptGrants() {
        assertThat(permissions.topicOperations("storefront.events")).containsExactlyInAnyOrder(AclOperation.READ,
                AclOperation.DESCRIBE);
        assertThat(permissions.topicOperations("cart-rescue.dead-letters")).containsExactlyInAnyOrder(
                AclOperation.WRITE, AclOperation.DESCRIBE);
        assertThat(permissions.topicOperations("cart-rescue-arbitration-input-repartition"))
                .containsExactly(AclOperation.ALL);
        assertThat(permissions.topicOperations("someone.elses")).isEmpty();
    }

    @Test
    void readAndWriteImplyDescribeAndAllCoversEverything() {
        final Set<AclOperation> readDescribe = EnumSet.of(AclOperation.READ, AclOperation.DESCRIBE);
        assertThat(KafkaPermissions.lacking(readDescribe, EnumSet.of(AclOperation.READ))).isEmpty();
        assertThat(KafkaPermissions.lacking(readDescribe, EnumSet.of(AclOperation.ALL))).isEmpty();
        assertThat(KafkaPermissions.lacking(readDescribe, EnumSet.of(AclOperation.DESCRIBE)))
                .containsExactly(AclOperation.READ);
        assertThat(KafkaPermissions.lacking(EnumSet.of(AclOperation.ALL), EnumSet.of(AclOperation.READ,
                AclOperation.WRITE, AclOperation.DESCRIBE))).containsExactly(AclOperation.ALL);
    }

    @Test
    void thePrincipalIsTheJaasUserNameAndNeverThePassword() {
        final String jaas = "org.apache.kafka.common.security.scram.ScramLoginModule required username=\"app\""
                + " password=\"s3cret\";";
        assertThat(KafkaPermissions.principalOf(new Password(jaas))).isEqualTo("User:app");
        assertThat(KafkaPermissions.principalOf(jaas)).isEqualTo("User:app");
        assertThat(KafkaPermissions.principalOf(null)).isEqualTo("User:<principal>");
    }

    @Test
    void aDeniedOutputTopicIsNamedWithTheCommandThatGrantsIt() {
        final List<String> lines = permissions.explain(new StreamsException("send failed",
                new TopicAuthorizationException(Set.of("decisions")))).orElseThrow();
        assertThat(lines).containsExactly("topic decisions: missing Write, Describe; grant with: kafka-acls.sh"
                + " --bootstrap-server kafka:9093 --add --allow-principal User:app --operation Write --operation Describe"
                + " --topic decisions");
    }

    @Test
    void aDeniedInternalTopicIsGrantedByPrefix() {
        final List<String> lines = permissions.explain(new TopicAuthorizationException(
                Set.of("cart-rescue-events-by-session-repartition"))).orElseThrow();
        assertThat(lines).singleElement().asString().endsWith(
                "--operation All --resource-pattern-type prefixed --topic cart-rescue-");
    }

    @Test
    void groupsTransactionalIdsAndCredentialsAreExplained() {
        assertThat(permissions.explain(new GroupAuthorizationException("denied", "cart-rescue")).orElseThrow())
                .singleElement().asString().startsWith("consumer group cart-rescue: missing Read, Describe");
        assertThat(permissions.explain(new StreamsException(new TransactionalIdAuthorizationException("denied")))
                .orElseThrow()).singleElement().asString().contains("--resource-pattern-type prefixed"
                + " --transactional-id cart-rescue-");
        assertThat(permissions.explain(new SaslAuthenticationException("invalid credentials")).orElseThrow())
                .singleElement().asString().startsWith("Kafka rejected the credentials of User:app");
        assertThat(permissions.explain(new IllegalStateException("a bug"))).isEmpty();
    }

    @Test
    void theReportNamesTheClusterThePrincipalAndTheScript() {
        assertThat(permissions.report(List.of("topic decisions: missing Write")))
                .startsWith("not authorized: the Kafka cluster at kafka:9093 denies User:app what cart-rescue needs:")
                .contains("  topic decisions: missing Write")
                .endsWith("every ACL cart-rescue needs is in deploy/acls/create-acls.sh (APP_ID=cart-rescue)");
    }

    @Test
    void operationsAreSpelledAsKafkaAclsWantsThem() {
        assertThat(KafkaPermissions.cliName(AclOperation.IDEMPOTENT_WRITE)).isEqualTo("IdempotentWrite");
        assertThat(KafkaPermissions.cliName(AclOperation.READ)).isEqualTo("Read");
    }
}
