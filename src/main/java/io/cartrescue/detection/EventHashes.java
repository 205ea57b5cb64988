package io.cartrescue.detection;

/** A 64-bit hash of event ids, so the duplicate window keeps 8 bytes per id instead of the id itself. */
final class EventHashes {
    private EventHashes() {
    }

    /** FNV-1a over the UTF-16 code units, finished with a 64-bit mix (from SplitMix64). */
    static long of(final String eventId) {
        long h = 0xcbf29ce484222325L;
        for (int i = 0; i < eventId.length(); i++) {
            h ^= eventId.charAt(i);
            h *= 0x100000001b3L;
        }
        h = (h ^ (h >>> 30)) * 0xbf58476d1ce4e5b9L;
        h = (h ^ (h >>> 27)) * 0x94d049bb133111ebL;
        return h ^ (h >>> 31);
    }
}
