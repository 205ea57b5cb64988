package io.cartrescue.demo;

import io.cartrescue.schema.ChatOffer;
import io.cartrescue.schema.DiscountOffer;
import io.cartrescue.schema.FreeShippingNotice;
import io.cartrescue.schema.GuestCheckoutHint;
import io.cartrescue.schema.InfoNotice;
import io.cartrescue.schema.Intervention;
import io.cartrescue.schema.LoyaltyReminder;
import io.cartrescue.schema.PaymentHelp;
import io.cartrescue.schema.RecoveryReminder;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.stream.Collectors;

/** One readable line per intervention: time, session, type, reason, the key detail. */
public final class InterventionLine {
    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("HH:mm:ss").withZone(ZoneId.systemDefault());
    private static final DateTimeFormatter DAY_TIME = DateTimeFormatter.ofPattern("MMM d HH:mm").withZone(ZoneId.systemDefault());

    private InterventionLine() {
    }

    public static String format(final Intervention i) {
        final String reasons = i.getReasons().stream().map(r -> r.getSignal().name()).collect(Collectors.joining("+"));
        return String.format("%s  %-9s %-20s session %-14s %-22s %s",
                TIME.format(i.getCreatedAt()), i.getChannel(), i.getType(), shorten(i.getSessionId()), reasons,
                detail(i));
    }

    static String detail(final Intervention i) {
        final Object offer = i.getOffer();
        if (offer instanceof ChatOffer chat) {
            return "queue " + chat.getQueue() + " · " + chat.getSummary();
        }
        if (offer instanceof DiscountOffer d) {
            final String amount = d.getPercent() != null ? d.getPercent() + "% off" : d.getAmount() + " " + d.getCurrency() + " off";
            return amount + " · code " + d.getCodeRef() + " · until " + later(i, i.getExpiresAt());
        }
        if (offer instanceof FreeShippingNotice f) {
            return f.getQualifies() ? "free delivery applies" : "add " + f.getRemaining() + " " + f.getCurrency() + " for free delivery";
        }
        if (offer instanceof PaymentHelp p) {
            return "after " + (p.getLastErrorCode() == null ? "a failed payment" : p.getLastErrorCode())
                    + " · try " + String.join(", ", p.getAlternatives());
        }
        if (offer instanceof GuestCheckoutHint g) {
            return "check out as a guest" + (g.getLastErrorKind() == null ? "" : " after " + g.getLastErrorKind());
        }
        if (offer instanceof InfoNotice n) {
            return n.getTopic().toLowerCase() + " information" + (n.getUrl() == null ? "" : " · " + n.getUrl());
        }
        if (offer instanceof LoyaltyReminder l) {
            return l.getTier() + ": " + l.getBenefit();
        }
        if (offer instanceof RecoveryReminder r) {
            return r.getMedium() + " at " + later(i, i.getSendAt())
                    + (r.getCart() == null ? "" : " · cart " + r.getCart().getValue() + " " + r.getCart().getCurrency());
        }
        return String.valueOf(offer);
    }

    /** A time after the intervention was made: with the day when it is not within the next hours. */
    private static String later(final Intervention i, final java.time.Instant t) {
        return java.time.Duration.between(i.getCreatedAt(), t).toHours() < 12 ? TIME.format(t) : DAY_TIME.format(t);
    }

    private static String shorten(final String id) {
        return id.length() <= 14 ? id : id.substring(0, 13) + "…";
    }
}
