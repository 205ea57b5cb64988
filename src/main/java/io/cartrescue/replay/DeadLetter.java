package io.cartrescue.replay;

/**
 * An input line the replay could not use, as written to {@code dead-letters.jsonl}.
 *
 * @param input  which input: {@code events} or {@code profiles}
 * @param line   the line number in that file (1-based), or null when the record did not come from a line
 * @param stage  {@code read} when the line could not be read, {@code topology} when the topology
 *               dead-lettered the event (late, invalid time, ...), as it would live
 * @param reason the reason code
 * @param detail a sentence naming the value
 * @param topic  for {@code topology}: the topic the record was read from
 * @param offset for {@code topology}: its offset on that topic
 */
public record DeadLetter(String input, Long line, String stage, String reason, String detail, String topic, Long offset) {
}
