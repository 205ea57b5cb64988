package io.cartrescue.arbitration;

import io.cartrescue.schema.InterventionType;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Locale;

/**
 * Deterministic ids and buckets: the same candidate gives the same ids on replay and after
 * failover, so consumers can de-duplicate.
 */
public final class Ids {
    private Ids() {
    }

    /** The decision on a candidate. */
    public static String decisionId(final String candidateId) {
        return "d-" + hex("decision|" + candidateId, 16);
    }

    /** The intervention of a given type made for a candidate. */
    public static String interventionId(final String candidateId, final InterventionType type) {
        return "i-" + hex(candidateId + "|" + type.name(), 16);
    }

    /** Reference of the single-use discount code the coupon service mints for an intervention. */
    public static String codeRef(final String interventionId) {
        return "CR-" + hex("code|" + interventionId, 8).toUpperCase(Locale.ROOT);
    }

    /** The customer's holdout bucket, 0 to 99, stable for a salt. */
    public static int bucket(final String customerKey, final String salt) {
        final long value = ByteBuffer.wrap(sha256(customerKey + salt)).getLong();
        return (int) Math.floorMod(value, 100L);
    }

    private static String hex(final String text, final int bytes) {
        return HexFormat.of().formatHex(sha256(text), 0, bytes);
    }

    private static byte[] sha256(final String text) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is required by the Java platform", e);
        }
    }
}
