package io.cartrescue.config;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class SuggestionsTest {
    private static final List<String> KEYS = List.of("linger.ms", "producer.linger.ms", "cart-rescue.http.port",
            "cart-rescue.http.host", "acks");

    @Test
    void swappedNeighboursCountAsOneEdit() {
        // Given / When / Then
        assertThat(Suggestions.distance("cart-rescue.htpt.port", "cart-rescue.http.port")).isEqualTo(1);
        assertThat(Suggestions.closest("cart-rescue.htpt.port", KEYS)).contains("cart-rescue.http.port");
    }

    @Test
    void closestKeyWinsOverOthersOfTheSameFamily() {
        // Given / When / Then
        assertThat(Suggestions.closest("producer.lingr.ms", KEYS)).contains("producer.linger.ms");
        assertThat(Suggestions.closest("cart-rescue.http.hots", KEYS)).contains("cart-rescue.http.host");
    }

    @Test
    void nothingIsSuggestedWhenNoKeyIsClose() {
        // Given / When / Then
        assertThat(Suggestions.closest("ack", List.of("acks"))).contains("acks");
        assertThat(Suggestions.closest("axe", List.of("acks"))).isEmpty();
        assertThat(Suggestions.closest("default.commit.interval.ms", KEYS)).isEmpty();
    }
}
