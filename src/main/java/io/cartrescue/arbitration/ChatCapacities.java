package io.cartrescue.arbitration;

import io.cartrescue.schema.ChatCapacity;
import java.util.Optional;

/** The latest capacity of each chat queue; absent when the chat service never reported the queue. */
@FunctionalInterface
public interface ChatCapacities {
    Optional<ChatCapacity> of(String queue);
}
