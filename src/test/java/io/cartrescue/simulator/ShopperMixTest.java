package io.cartrescue.simulator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import io.cartrescue.schema.EventType;
import io.cartrescue.schema.InterventionType;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class ShopperMixTest {

    @Test
    void defaultMixHasThirtyPercentHesitatingShoppers() {
        // When
        final ShopperMix mix = ShopperMix.defaultMix();

        // Then
        final double hesitating = Arrays.stream(ShopperArchetype.values()).filter(ShopperArchetype::hesitates)
                .mapToDouble(mix::share).sum();
        assertThat(hesitating).isCloseTo(0.30, within(1e-9));
        assertThat(mix.share(ShopperArchetype.BROWSER)).isCloseTo(0.45, within(1e-9));
        assertThat(mix.share(ShopperArchetype.BUYER)).isCloseTo(0.25, within(1e-9));
        assertThat(mix.weights()).hasSize(ShopperArchetype.values().length);
    }

    @Test
    void picksFollowTheWeights() {
        // Given
        final ShopperMix mix = ShopperMix.parse("buyer=1, ABANDONER=3");
        final SplittableRandom random = new SplittableRandom(3);
        final Map<ShopperArchetype, Integer> picks = new EnumMap<>(ShopperArchetype.class);

        // When
        for (int i = 0; i < 40_000; i++) {
            picks.merge(mix.pick(random), 1, Integer::sum);
        }

        // Then
        assertThat(picks.keySet()).containsExactlyInAnyOrder(ShopperArchetype.BUYER, ShopperArchetype.ABANDONER);
        assertThat(picks.get(ShopperArchetype.ABANDONER)).isBetween(29_400, 30_600);
    }

    @Test
    void parseRoundTripsAndRejectsMistakes() {
        // Given
        final ShopperMix mix = ShopperMix.defaultMix().with(ShopperArchetype.DISMISSER, 0);

        // When / Then
        assertThat(ShopperMix.parse(mix.toString())).isEqualTo(mix);
        assertThat(ShopperMix.parse("default")).isEqualTo(ShopperMix.defaultMix());
        assertThat(mix.weights()).doesNotContainKey(ShopperArchetype.DISMISSER);
        assertThatThrownBy(() -> ShopperMix.parse("BYUER=1")).hasMessageContaining("BYUER");
        assertThatThrownBy(() -> ShopperMix.parse("BUYER=lots")).hasMessageContaining("lots");
        assertThatThrownBy(() -> ShopperMix.parse("BUYER=1,BUYER=2")).hasMessageContaining("twice");
        assertThatThrownBy(() -> ShopperMix.parse("BUYER=0")).hasMessageContaining("positive");
        assertThatThrownBy(() -> ShopperMix.parse("BUYER=-1")).hasMessageContaining(">= 0");
    }

    @Test
    void hesitatingShoppersWelcomeTheHelpThatFitsAndOthersIgnoreInterventions() {
        assertThat(ShopperArchetype.PAYMENT_TROUBLE.reactionTo(InterventionType.PAYMENT_HELP))
                .contains(EventType.INTERVENTION_ACCEPTED);
        assertThat(ShopperArchetype.SHIPPING_SHOCK.reactionTo(InterventionType.FREE_SHIPPING_NOTICE))
                .contains(EventType.INTERVENTION_ACCEPTED);
        assertThat(ShopperArchetype.ACCOUNT_TROUBLE.reactionTo(InterventionType.GUEST_CHECKOUT_HINT))
                .contains(EventType.INTERVENTION_ACCEPTED);
        assertThat(ShopperArchetype.COUPON_HUNTER.reactionTo(InterventionType.RETURNS_INFO))
                .contains(EventType.INTERVENTION_DISMISSED);
        assertThat(Arrays.stream(InterventionType.values()).map(ShopperArchetype.DISMISSER::reactionTo))
                .allSatisfy(r -> assertThat(r).contains(EventType.INTERVENTION_DISMISSED));
        assertThat(ShopperArchetype.BUYER.reactionTo(InterventionType.DISCOUNT)).isEmpty();
        assertThat(ShopperArchetype.BROWSER.reactionTo(InterventionType.CHAT_OFFER)).isEmpty();
    }
}
