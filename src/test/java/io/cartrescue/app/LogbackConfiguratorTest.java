package io.cartrescue.app;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.encoder.PatternLayoutEncoder;
import ch.qos.logback.core.ConsoleAppender;
import java.util.Map;
import org.junit.jupiter.api.Test;

class LogbackConfiguratorTest {

    @Test
    void linesGoToStandardErrorWithKafkaAtWarnAndCartRescueAtInfoByDefault() {
        final LoggerContext context = configured(Map.of());
        final Logger root = context.getLogger(Logger.ROOT_LOGGER_NAME);
        assertThat(root.getLevel()).isEqualTo(Level.WARN);
        assertThat(context.getLogger("org.apache.kafka.streams.KafkaStreams").getEffectiveLevel()).isEqualTo(Level.WARN);
        assertThat(context.getLogger("io.cartrescue.replay.Replay").getEffectiveLevel()).isEqualTo(Level.INFO);
        assertThat(context.getLogger("org.eclipse.jetty").getEffectiveLevel()).isEqualTo(Level.WARN);
        final ConsoleAppender<?> appender = (ConsoleAppender<?>) root.getAppender("STDERR");
        assertThat(appender.getTarget()).isEqualTo("System.err");
        assertThat(appender.isStarted()).isTrue();
        assertThat(((PatternLayoutEncoder) appender.getEncoder()).getPattern()).isEqualTo(LogbackConfigurator.PATTERN);
    }

    @Test
    void theTwoVariablesSetTheLevels() {
        final LoggerContext context = configured(Map.of("CART_RESCUE_LOG_LEVEL", "debug",
                "CART_RESCUE_KAFKA_LOG_LEVEL", " ERROR "));
        assertThat(context.getLogger("io.cartrescue.processor.DeadLetters").getEffectiveLevel()).isEqualTo(Level.DEBUG);
        assertThat(context.getLogger("org.apache.kafka.clients.NetworkClient").getEffectiveLevel()).isEqualTo(Level.ERROR);
    }

    @Test
    void anUnknownOrBlankLevelKeepsTheDefault() {
        final LoggerContext context = configured(Map.of("CART_RESCUE_LOG_LEVEL", "loud", "CART_RESCUE_KAFKA_LOG_LEVEL", " "));
        assertThat(context.getLogger("io.cartrescue").getLevel()).isEqualTo(Level.INFO);
        assertThat(context.getLogger("org.apache.kafka").getLevel()).isEqualTo(Level.WARN);
    }

    private static LoggerContext configured(final Map<String, String> environment) {
        final LoggerContext context = new LoggerContext();
        LogbackConfigurator.configure(context, environment);
        return context;
    }
}
