package io.cartrescue.arbitration;

import io.cartrescue.policy.ArbitrationPolicy;
import java.util.Locale;

/** Picks the chat queue for a locale: the full locale, then its language, then the default queue. */
final class ChatQueues {
    private ChatQueues() {
    }

    static String queueFor(final String locale, final ArbitrationPolicy.Chat chat) {
        if (locale == null || locale.isBlank()) {
            return chat.defaultQueue();
        }
        final String normal = locale.replace('_', '-');
        for (final var entry : chat.queueByLocale().entrySet()) {
            if (entry.getKey().equalsIgnoreCase(normal)) {
                return entry.getValue();
            }
        }
        final String language = normal.split("-", 2)[0].toLowerCase(Locale.ROOT);
        for (final var entry : chat.queueByLocale().entrySet()) {
            if (entry.getKey().equalsIgnoreCase(language)) {
                return entry.getValue();
            }
        }
        return chat.defaultQueue();
    }
}
