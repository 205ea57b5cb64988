package io.cartrescue.http;

import com.fasterxml.jackson.core.io.JsonStringEncoder;
import java.nio.charset.StandardCharsets;

/**
 * One HTTP answer, independent of the server that sends it, so that every endpoint's logic is a
 * plain function that tests call without a socket.
 *
 * @param status      HTTP status code
 * @param contentType value of the Content-Type header
 * @param body        the body, UTF-8
 */
public record Reply(int status, String contentType, String body) {
    /** Content type of JSON answers. */
    public static final String JSON = "application/json; charset=utf-8";

    /** A JSON answer. */
    public static Reply json(final int status, final String body) {
        return new Reply(status, JSON, body);
    }

    /** A JSON error answer: {@code {"error": message}}. */
    public static Reply error(final int status, final String message) {
        return json(status, "{\"error\":\"" + new String(JsonStringEncoder.getInstance().quoteAsString(message)) + "\"}");
    }

    /** The body as bytes to send. */
    public byte[] bytes() {
        return body.getBytes(StandardCharsets.UTF_8);
    }
}
