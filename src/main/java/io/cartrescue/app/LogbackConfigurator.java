package io.cartrescue.app;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.encoder.PatternLayoutEncoder;
import ch.qos.logback.classic.spi.Configurator;
import ch.qos.logback.classic.spi.ConfiguratorRank;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.ConsoleAppender;
import ch.qos.logback.core.spi.ContextAwareBase;
import java.util.Map;

/**
 * cart-rescue's logging, set up in code rather than read from an XML file (which takes a quarter of
 * a second of every start): one line per event on standard error, so that what a command prints on
 * standard out (a topology, a replay's summary) can be piped; Kafka's loggers at
 * {@code CART_RESCUE_KAFKA_LOG_LEVEL} (default WARN), cart-rescue's at {@code CART_RESCUE_LOG_LEVEL}
 * (default INFO), everything else at WARN. A configuration file given with
 * {@code -Dlogback.configurationFile}, or a {@code logback-test.xml} on the class path, is used instead.
 */
@ConfiguratorRank(ConfiguratorRank.CUSTOM_HIGH_PRIORITY)
public final class LogbackConfigurator extends ContextAwareBase implements Configurator {
    static final String PATTERN = "%d{yyyy-MM-dd'T'HH:mm:ss.SSSXXX} %-5level [%thread] %logger{36} - %msg%n";

    @Override
    public ExecutionStatus configure(final LoggerContext context) {
        if (System.getProperty("logback.configurationFile") != null
                || LogbackConfigurator.class.getClassLoader().getResource("logback-test.xml") != null) {
            return ExecutionStatus.INVOKE_NEXT_IF_ANY;
        }
        configure(context, System.getenv());
        return ExecutionStatus.DO_NOT_INVOKE_NEXT_IF_ANY;
    }

    /** Sets up {@code context} with the levels named in {@code environment}. */
    static void configure(final LoggerContext context, final Map<String, String> environment) {
        final PatternLayoutEncoder encoder = new PatternLayoutEncoder();
        encoder.setContext(context);
        encoder.setPattern(PATTERN);
        encoder.start();
        final ConsoleAppender<ILoggingEvent> appender = new ConsoleAppender<>();
        appender.setContext(context);
        appender.setName("STDERR");
        appender.setTarget("System.err");
        appender.setEncoder(encoder);
        appender.start();
        final Logger root = context.getLogger(Logger.ROOT_LOGGER_NAME);
        root.setLevel(Level.WARN);
        root.addAppender(appender);
        context.getLogger("org.apache.kafka").setLevel(level(environment, "CART_RESCUE_KAFKA_LOG_LEVEL", Level.WARN));
        context.getLogger("io.cartrescue").setLevel(level(environment, "CART_RESCUE_LOG_LEVEL", Level.INFO));
    }

    private static Level level(final Map<String, String> environment, final String variable, final Level fallback) {
        final String value = environment.get(variable);
        return value == null || value.isBlank() ? fallback : Level.toLevel(value.trim(), fallback);
    }
}
