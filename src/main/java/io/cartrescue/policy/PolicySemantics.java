package io.cartrescue.policy;

import io.cartrescue.policy.ArbitrationPolicy.Rung;
import io.cartrescue.schema.Channel;
import io.cartrescue.schema.InterventionType;
import io.cartrescue.schema.SignalType;
import java.time.DateTimeException;
import java.time.LocalTime;
import java.time.ZoneId;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** Checks that need more than one value or a format: rung channels, cart bounds, times and zones. */
final class PolicySemantics {
    private PolicySemantics() {
    }

    static List<PolicyError> check(final Policy policy) {
        final List<PolicyError> errors = new ArrayList<>();
        if (policy.version().isBlank()) {
            errors.add(new PolicyError("version", "is empty", "non-empty text", "name this policy, e.g. \"shop-2026-05-1\""));
        }
        final ArbitrationPolicy arbitration = policy.arbitration();
        text(errors, "arbitration.holdout.salt", arbitration.holdout().salt());
        text(errors, "arbitration.chat.defaultQueue", arbitration.chat().defaultQueue());
        arbitration.chat().queueByLocale().forEach((locale, queue) -> text(errors, "arbitration.chat.queueByLocale." + locale, queue));
        localTime(errors, "arbitration.marketing.quietHoursStart", arbitration.marketing().quietHoursStart());
        localTime(errors, "arbitration.marketing.quietHoursEnd", arbitration.marketing().quietHoursEnd());
        zone(errors, "arbitration.marketing.defaultTimeZone", arbitration.marketing().defaultTimeZone());
        for (final Map.Entry<SignalType, List<Rung>> ladder : arbitration.ladders().entrySet()) {
            for (int i = 0; i < ladder.getValue().size(); i++) {
                rung(errors, "arbitration.ladders." + ladder.getKey() + "[" + i + "]", ladder.getValue().get(i));
            }
        }
        return errors;
    }

    private static void rung(final List<PolicyError> errors, final String path, final Rung rung) {
        final List<Channel> allowed = channelsFor(rung.type());
        if (!allowed.contains(rung.channel())) {
            errors.add(new PolicyError(path + ".channel", rung.channel() + " cannot carry " + rung.type(),
                    allowed.stream().map(Channel::name).reduce((a, b) -> a + ", " + b).orElse(""),
                    "set channel: " + allowed.get(0)));
        }
        if (rung.minCartValue() != null && rung.maxCartValue() != null
                && rung.minCartValue().compareTo(rung.maxCartValue()) >= 0) {
            errors.add(new PolicyError(path + ".maxCartValue", rung.maxCartValue().toPlainString()
                    + " is not above minCartValue " + rung.minCartValue().toPlainString(),
                    "more than " + rung.minCartValue().toPlainString(), "raise maxCartValue or lower minCartValue"));
        }
    }

    /** The channels an intervention type can be delivered on; the first is the usual one. */
    static List<Channel> channelsFor(final InterventionType type) {
        return switch (type) {
            case CHAT_OFFER -> List.of(Channel.CHAT);
            case RECOVERY_REMINDER -> List.of(Channel.MARKETING);
            case DISCOUNT -> List.of(Channel.ONSITE, Channel.MARKETING);
            default -> List.of(Channel.ONSITE);
        };
    }

    private static void text(final List<PolicyError> errors, final String key, final String value) {
        if (value.isBlank()) {
            errors.add(new PolicyError(key, "is empty", "non-empty text", "give it a value"));
        }
    }

    private static void localTime(final List<PolicyError> errors, final String key, final String value) {
        try {
            LocalTime.parse(value);
        } catch (DateTimeParseException e) {
            errors.add(new PolicyError(key, "'" + value + "' is not a time of day", "HH:mm, 00:00..23:59",
                    "write it as \"21:00\""));
        }
    }

    private static void zone(final List<PolicyError> errors, final String key, final String value) {
        try {
            ZoneId.of(value);
        } catch (DateTimeException e) {
            errors.add(new PolicyError(key, "'" + value + "' is not a time zone", "IANA time zone ids",
                    "use an id such as \"Europe/Berlin\" or \"UTC\""));
        }
    }
}
