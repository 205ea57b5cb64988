package io.cartrescue.replay;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.cartrescue.schema.EventType;
import io.cartrescue.schema.StorefrontEvent;
import java.math.BigDecimal;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class Rees46ParserTest {
    private static final String HEADER = "event_time,event_type,product_id,category_id,category_code,brand,price,user_id,user_session";
    private final Rees46Parser parser = new Rees46Parser("USD");

    @Test
    void headerCarriesNoEventAndEachRowMapsToTheSegmentVocabulary() throws Exception {
        // Given
        assertThat(parser.parse(HEADER)).isEmpty();

        // When
        final StorefrontEvent view = parser.parse("2019-11-01 00:00:00 UTC,view,1003461,2053013555631882655,"
                + "electronics.smartphone,xiaomi,489.07,520088904,4d3b30da").orElseThrow();
        final StorefrontEvent cart = parser.parse("2019-11-01 00:00:05 UTC,cart,1003461,2053013555631882655,,,489.07,520088904,4d3b30da").orElseThrow();
        final StorefrontEvent removed = parser.parse("2019-11-01 00:00:06 UTC,remove_from_cart,1003461,20530,,,489.07,520088904,4d3b30da").orElseThrow();
        final StorefrontEvent purchase = parser.parse("2019-11-01 00:01:00 UTC,purchase,1003461,20530,,,489.07,520088904,4d3b30da").orElseThrow();

        // Then
        assertThat(view.getEventType()).isEqualTo(EventType.PRODUCT_VIEWED);
        assertThat(view.getEventTime()).isEqualTo(Instant.parse("2019-11-01T00:00:00Z"));
        assertThat(view.getSessionId()).isEqualTo("4d3b30da");
        assertThat(view.getAnonymousId()).isEqualTo("520088904");
        assertThat(view.getCustomerId()).isEqualTo("520088904");
        assertThat(view.getProduct().getCategory()).isEqualTo("electronics.smartphone");
        assertThat(view.getProduct().getBrand()).isEqualTo("xiaomi");
        assertThat(view.getProduct().getPrice()).isEqualTo(new BigDecimal("489.07"));
        assertThat(cart.getEventType()).isEqualTo(EventType.PRODUCT_ADDED);
        assertThat(cart.getProduct().getCategory()).as("category id when there is no code").isEqualTo("2053013555631882655");
        assertThat(removed.getEventType()).isEqualTo(EventType.PRODUCT_REMOVED);
        assertThat(purchase.getEventType()).isEqualTo(EventType.ORDER_COMPLETED);
        assertThat(purchase.getOrder().getTotal()).isEqualTo(new BigDecimal("489.07"));
        assertThat(purchase.getOrder().getCurrency()).isEqualTo("USD");
    }

    @Test
    void aRepeatedRowGetsTheSameEventIdSoTheTopologyDropsItAsADuplicate() throws Exception {
        final String row = "2019-11-01 00:00:00 UTC,view,1,2,,,1.00,3,s";
        assertThat(parser.parse(row).orElseThrow().getEventId()).isEqualTo(parser.parse(row).orElseThrow().getEventId());
        assertThat(parser.parse(row).orElseThrow().getEventId()).isNotEqualTo(parser.parse(row.replace("1.00", "2.00")).orElseThrow().getEventId());
    }

    @Test
    void headerMayOrderTheColumnsDifferentlyAndCellsMayBeQuoted() throws Exception {
        // Given
        parser.parse("user_session,user_id,event_type,event_time,product_id,category_id,category_code,brand,price");

        // When
        final StorefrontEvent event = parser.parse("s9,u9,cart,2019-11-01 00:00:00 UTC,p9,c9,,\"Acme, \"\"Inc\"\"\",1.50").orElseThrow();

        // Then
        assertThat(event.getSessionId()).isEqualTo("s9");
        assertThat(event.getAnonymousId()).isEqualTo("u9");
        assertThat(event.getEventType()).isEqualTo(EventType.PRODUCT_ADDED);
        assertThat(event.getProduct().getProductId()).isEqualTo("p9");
        assertThat(event.getProduct().getBrand()).isEqualTo("Acme, \"Inc\"");
        assertThat(event.getProduct().getPrice()).isEqualTo(new BigDecimal("1.50"));
    }

    @Test
    void unknownEventTypeShortRowAndBadTimeAreMalformed() throws Exception {
        parser.parse(HEADER);
        assertThatThrownBy(() -> parser.parse("2019-11-01 00:00:00 UTC,wishlist,1,2,,,1.00,3,s"))
                .isInstanceOfSatisfying(MalformedLineException.class, e -> assertThat(e.reason()).isEqualTo("unknown-event-type"));
        assertThatThrownBy(() -> parser.parse("2019-11-01 00:00:00 UTC,view,1"))
                .isInstanceOfSatisfying(MalformedLineException.class, e -> assertThat(e.reason()).isEqualTo("invalid-csv"));
        assertThatThrownBy(() -> parser.parse("1 Nov 2019,view,1,2,,,1.00,3,s"))
                .isInstanceOfSatisfying(MalformedLineException.class, e -> assertThat(e.reason()).isEqualTo("invalid-time"));
    }
}
