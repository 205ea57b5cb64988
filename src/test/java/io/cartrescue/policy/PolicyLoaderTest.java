package io.cartrescue.policy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.InstanceOfAssertFactories.list;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.cartrescue.schema.Channel;
import io.cartrescue.schema.InterventionType;
import io.cartrescue.schema.LoyaltyTier;
import io.cartrescue.schema.SignalType;
import java.io.IOException;
import java.io.InputStream;
import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PolicyLoaderTest {

    @Test
    void builtInPolicyLoadsWithEveryLadderAndGuardrail() {
        // When
        final Policy policy = PolicyLoader.defaults();

        // Then
        final ArbitrationPolicy arbitration = policy.arbitration();
        assertThat(policy.version()).isEqualTo("default-1");
        assertThat(policy.detection().graceSeconds()).isEqualTo(30);
        assertThat(arbitration.holdout().percent()).isEqualTo(10);
        assertThat(arbitration.discount().percentFor(LoyaltyTier.SILVER)).isEqualTo(10);
        assertThat(arbitration.discount().percentFor(LoyaltyTier.UNKNOWN)).isEqualTo(5);
        assertThat(arbitration.ladders().keySet()).containsExactlyInAnyOrder(
                SignalType.STALLED_CHECKOUT_STEP, SignalType.PAYMENT_FAILURES, SignalType.CHECKOUT_ERRORS,
                SignalType.SHIPPING_COST_SHOCK, SignalType.PRICE_HESITATION, SignalType.PRODUCT_DOUBT,
                SignalType.POLICY_CONCERN, SignalType.EXIT_INTENT, SignalType.ABANDONMENT);
        assertThat(arbitration.ladder(SignalType.PAYMENT_FAILURES)).extracting(ArbitrationPolicy.Rung::type)
                .containsExactly(InterventionType.CHAT_OFFER, InterventionType.PAYMENT_HELP);
        assertThat(arbitration.ladder(SignalType.ABANDONMENT).get(0).channel()).isEqualTo(Channel.MARKETING);
    }

    @Test
    void everyNumberInTheBuiltInPolicyHasARange() throws IOException {
        // Given
        final JsonNode builtIn;
        try (InputStream in = getClass().getResourceAsStream("/policy/default-policy.yaml")) {
            builtIn = new ObjectMapper(new YAMLFactory()).readTree(in);
        }

        // When
        final List<String> numericKeysWithoutRange = new ArrayList<>();
        collectUnranged(builtIn, "", "", numericKeysWithoutRange);

        // Then
        assertThat(numericKeysWithoutRange).isEmpty();
    }

    @Test
    void userFileMergesOverTheDefaultsMapsMergeAndListsReplace() {
        // Given
        final String yaml = """
                version: shop-1
                arbitration:
                  discount:
                    percentByTier:
                      GOLD: 12
                  ladders:
                    EXIT_INTENT:
                      - {type: LOYALTY_REMINDER, channel: ONSITE}
                """;

        // When
        final Policy policy = PolicyLoader.fromYaml(yaml, "shop.yaml");

        // Then
        final ArbitrationPolicy.Discount discount = policy.arbitration().discount();
        assertThat(policy.version()).isEqualTo("shop-1");
        assertThat(discount.percentFor(LoyaltyTier.GOLD)).isEqualTo(12);
        assertThat(discount.percentFor(LoyaltyTier.SILVER)).isEqualTo(10);
        assertThat(policy.arbitration().ladder(SignalType.EXIT_INTENT)).singleElement()
                .extracting(ArbitrationPolicy.Rung::type).isEqualTo(InterventionType.LOYALTY_REMINDER);
        assertThat(policy.arbitration().ladder(SignalType.PRICE_HESITATION)).hasSize(3);
        assertThat(policy.detection().stalledStep().forStep(4).toSeconds()).isEqualTo(90);
    }

    @Test
    void misspelledKeyIsNamedWithItsFullPathAndTheClosestValidKey() {
        // Given
        final String yaml = """
                version: shop-1
                arbitration:
                  frequncy:
                    minGapSeconds: 60
                """;

        // When / Then
        assertThatThrownBy(() -> PolicyLoader.fromYaml(yaml, "shop.yaml"))
                .isInstanceOfSatisfying(PolicyException.class, e -> assertThat(e.errors()).singleElement()
                        .satisfies(error -> {
                            assertThat(error.key()).isEqualTo("arbitration.frequncy");
                            assertThat(error.problem()).isEqualTo("unknown key");
                            assertThat(error.fix()).isEqualTo("did you mean 'arbitration.frequency'?");
                        }));
    }

    @Test
    void misspelledEnumNameSuggestsTheClosestName() {
        // Given
        final String yaml = """
                version: shop-1
                arbitration:
                  ladders:
                    EXIT_INTENT:
                      - {type: DISCOUNT, channel: ONSTIE}
                """;

        // When / Then
        assertThatThrownBy(() -> PolicyLoader.fromYaml(yaml, "shop.yaml"))
                .isInstanceOfSatisfying(PolicyException.class, e -> assertThat(e.errors()).singleElement()
                        .hasToString("arbitration.ladders.EXIT_INTENT[0].channel: 'ONSTIE' is not a valid name "
                                + "(allowed: CHAT, ONSITE, MARKETING) — did you mean 'ONSITE'?"));
    }

    @Test
    void outOfRangeValueNamesItsKeyAndTheAllowedRange() {
        // Given
        final String yaml = """
                version: shop-1
                arbitration:
                  holdout:
                    percent: 80
                """;

        // When / Then
        assertThatThrownBy(() -> PolicyLoader.fromYaml(yaml, "shop.yaml"))
                .isInstanceOfSatisfying(PolicyException.class, e -> assertThat(e.errors()).singleElement()
                        .hasToString("arbitration.holdout.percent: 80 is out of range (allowed: 0..50) — "
                                + "use a whole number from 0 to 50: percent of customers in the control group"));
    }

    @Test
    void detectionThresholdsAreCheckedToo() {
        // Given
        final String yaml = """
                version: shop-1
                detection:
                  graceSeconds: 7200
                  paymentFailures:
                    threshold: 0
                  stalledStep:
                    secondsByStep:
                      25: 60
                """;

        // When / Then
        assertThatThrownBy(() -> PolicyLoader.fromYaml(yaml, "shop.yaml"))
                .isInstanceOf(PolicyException.class)
                .extracting(e -> ((PolicyException) e).errors(), list(PolicyError.class))
                .extracting(PolicyError::key, PolicyError::allowed)
                .containsExactlyInAnyOrder(
                        org.assertj.core.groups.Tuple.tuple("detection.graceSeconds", "0..3600"),
                        org.assertj.core.groups.Tuple.tuple("detection.paymentFailures.threshold", "1..20"),
                        org.assertj.core.groups.Tuple.tuple("detection.stalledStep.secondsByStep.25", "1..20"));
    }

    @Test
    void severalErrorsAreReportedAtOnce() {
        // Given
        final String yaml = """
                version: shop-1
                arbitration:
                  holdout:
                    percent: -1
                  discount:
                    maxPercnt: 20
                    periodDays: 2.5
                  marketing:
                    quietHoursStart: "25:00"
                  freeShipping:
                    threshold: 49.999
                """;

        // When / Then
        assertThatThrownBy(() -> PolicyLoader.fromYaml(yaml, "shop.yaml"))
                .isInstanceOfSatisfying(PolicyException.class, e -> {
                    assertThat(e.errors()).extracting(PolicyError::key).containsExactlyInAnyOrder(
                            "arbitration.holdout.percent", "arbitration.discount.maxPercnt",
                            "arbitration.discount.periodDays", "arbitration.freeShipping.threshold");
                    assertThat(e.getMessage()).startsWith("policy shop.yaml has 4 errors:");
                });
    }

    @Test
    void inconsistentRungIsReportedAfterTheShapeIsRight() {
        // Given
        final String yaml = """
                version: shop-1
                arbitration:
                  ladders:
                    PRODUCT_DOUBT:
                      - {type: CHAT_OFFER, channel: ONSITE}
                      - {type: RETURNS_INFO, channel: ONSITE, minCartValue: 80.00, maxCartValue: 20.00}
                  marketing:
                    defaultTimeZone: "Mars/Olympus"
                """;

        // When / Then
        assertThatThrownBy(() -> PolicyLoader.fromYaml(yaml, "shop.yaml"))
                .isInstanceOfSatisfying(PolicyException.class, e -> assertThat(e.errors())
                        .extracting(PolicyError::key, PolicyError::fix)
                        .containsExactlyInAnyOrder(
                                org.assertj.core.groups.Tuple.tuple("arbitration.marketing.defaultTimeZone",
                                        "use an id such as \"Europe/Berlin\" or \"UTC\""),
                                org.assertj.core.groups.Tuple.tuple("arbitration.ladders.PRODUCT_DOUBT[0].channel", "set channel: CHAT"),
                                org.assertj.core.groups.Tuple.tuple("arbitration.ladders.PRODUCT_DOUBT[1].maxCartValue",
                                        "raise maxCartValue or lower minCartValue")));
    }

    @Test
    void rungWithoutTypeIsReportedAsMissing() {
        // Given
        final String yaml = """
                version: shop-1
                arbitration:
                  ladders:
                    EXIT_INTENT:
                      - {channel: ONSITE, minCartValue: 10}
                """;

        // When / Then
        assertThatThrownBy(() -> PolicyLoader.fromYaml(yaml, "shop.yaml"))
                .isInstanceOfSatisfying(PolicyException.class, e -> assertThat(e.errors()).singleElement()
                        .satisfies(error -> {
                            assertThat(error.key()).isEqualTo("arbitration.ladders.EXIT_INTENT[0].type");
                            assertThat(error.problem()).isEqualTo("is missing");
                        }));
    }

    @Test
    void changedPolicyWithoutItsOwnVersionIsRejected() {
        // When / Then
        assertThatThrownBy(() -> PolicyLoader.fromYaml("arbitration:\n  holdout:\n    percent: 5\n", "shop.yaml"))
                .isInstanceOfSatisfying(PolicyException.class, e -> assertThat(e.errors())
                        .extracting(PolicyError::key).containsExactly("version"));
    }

    @Test
    void invalidYamlIsReportedWithItsLine() {
        // When / Then
        assertThatThrownBy(() -> PolicyLoader.fromYaml("version: a\narbitration: [\n", "shop.yaml"))
                .isInstanceOfSatisfying(PolicyException.class, e -> assertThat(e.errors()).singleElement()
                        .satisfies(error -> assertThat(error.problem()).contains("line")));
    }

    @Test
    void fileIsLoadedFromDisk(@TempDir final Path dir) throws IOException {
        // Given
        final Path file = Files.writeString(dir.resolve("policy.yaml"),
                "version: shop-2\narbitration:\n  freeShipping:\n    threshold: 75.00\n");

        // When
        final Policy policy = PolicyLoader.load(file);

        // Then
        assertThat(policy.version()).isEqualTo("shop-2");
        assertThat(policy.arbitration().freeShipping().threshold()).isEqualByComparingTo(new BigDecimal("75.00"));
    }

    private static void collectUnranged(final JsonNode node, final String path, final String pattern, final List<String> out) {
        if (node.isNumber() && PolicyRanges.ofValue(pattern).isEmpty()) {
            out.add(path);
        }
        if (node.isArray()) {
            for (int i = 0; i < node.size(); i++) {
                collectUnranged(node.get(i), path + "[" + i + "]", pattern + "[]", out);
            }
        }
        node.properties().forEach(field -> {
            final boolean mapKey = isMap(pattern);
            final String key = field.getKey();
            collectUnranged(field.getValue(), join(path, key), join(pattern, mapKey ? "*" : key), out);
        });
    }

    private static boolean isMap(final String pattern) {
        return List.of("detection.stalledStep.secondsByStep", "arbitration.discount.percentByTier",
                "arbitration.expiry.minutesByType", "arbitration.ladders", "arbitration.chat.queueByLocale",
                "arbitration.content.loyaltyBenefits").contains(pattern);
    }

    private static String join(final String path, final String key) {
        return path.isEmpty() ? key : path + "." + key;
    }
}
