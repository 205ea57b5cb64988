package io.cartrescue.simulator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.math.BigDecimal;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class CatalogueTest {

    @Test
    void builtInCatalogueHasFortyDistinctProductsPricedInEuroCents() {
        // When
        final Catalogue catalogue = Catalogue.builtIn();

        // Then
        assertThat(catalogue.items()).hasSize(40)
                .extracting(Catalogue.Item::productId).doesNotHaveDuplicates();
        assertThat(catalogue.items()).allSatisfy(item -> {
            assertThat(item.price().scale()).isEqualTo(2);
            assertThat(item.price()).isPositive();
            assertThat(item.name()).isNotBlank();
            assertThat(item.brand()).isNotBlank();
            assertThat(catalogue.pathOf(item)).matches("/p/" + item.productId() + "-[a-z0-9-]+[a-z0-9]");
        });
        assertThat(catalogue.categories()).hasSizeGreaterThan(10);
    }

    @Test
    void scenariosFindBulkyAndCheapProducts() {
        // Given
        final Catalogue catalogue = Catalogue.builtIn();
        final SplittableRandom random = new SplittableRandom(1);

        // When / Then
        for (int i = 0; i < 200; i++) {
            assertThat(catalogue.pickBulky(random).bulky()).isTrue();
            final Catalogue.Item cheap = catalogue.pickCheap(random);
            assertThat(cheap.bulky()).isFalse();
            assertThat(cheap.price()).isLessThan(new BigDecimal("25.00"));
            final String category = catalogue.pickCategory(random);
            assertThat(catalogue.pickIn(category, random).category()).isEqualTo(category);
        }
    }

    @Test
    void pricesAreNormalisedToTwoDecimalsAndIdsMustBeUnique() {
        // Given
        final Catalogue.Item mug = new Catalogue.Item("X1", "Mug", "home.kitchen", "Alba", new BigDecimal("9.999"), false);

        // When / Then
        assertThat(mug.price()).isEqualTo(new BigDecimal("10.00"));
        assertThat(mug.priceCents()).isEqualTo(1000);
        assertThat(Catalogue.of(List.of(mug)).find("X1")).contains(mug);
        assertThatThrownBy(() -> Catalogue.of(List.of(mug, mug)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("X1");
    }
}
