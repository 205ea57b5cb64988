package io.cartrescue.serde;

/**
 * How a Confluent wire format serde names subjects and registers schemas: whether it handles
 * record keys or values (TopicNameStrategy: {@code <topic>-key} or {@code <topic>-value}) and
 * whether the serializer may register a schema the registry does not know yet.
 *
 * <p>Auto-registration is on by default, as in Confluent's serializers. Operators who register
 * schemas through their own pipeline turn it off; the serializer then only looks schemas up.
 */
public final class SerdeSettings {
    private final boolean forKeys;
    private final boolean autoRegister;

    private SerdeSettings(final boolean forKeys, final boolean autoRegister) {
        this.forKeys = forKeys;
        this.autoRegister = autoRegister;
    }

    /** Settings for record values, with auto-registration on. */
    public static SerdeSettings forValues() {
        return new SerdeSettings(false, true);
    }

    /** Settings for record keys, with auto-registration on. */
    public static SerdeSettings forKeys() {
        return new SerdeSettings(true, true);
    }

    /** The same settings with auto-registration on or off. */
    public SerdeSettings withAutoRegister(final boolean register) {
        return new SerdeSettings(forKeys, register);
    }

    /** True for record keys, false for record values. */
    public boolean isForKeys() {
        return forKeys;
    }

    /** Whether the serializer registers schemas the registry does not know yet. */
    public boolean autoRegister() {
        return autoRegister;
    }

    /** The subject of the schemas on {@code topic}, by TopicNameStrategy. */
    public String subjectFor(final String topic) {
        return topic + (forKeys ? "-key" : "-value");
    }

    @Override
    public String toString() {
        return "SerdeSettings{" + (forKeys ? "keys" : "values") + ", autoRegister=" + autoRegister + '}';
    }
}
