package io.ddp.spring.client;

import java.util.List;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import org.slf4j.LoggerFactory;

/**
 * Captures what one Logback logger logs at or above a level, restoring the logger when
 * closed.
 */
final class LogCapture implements AutoCloseable {

	private final Logger logger;

	private final Level previousLevel;

	private final ListAppender<ILoggingEvent> appender = new ListAppender<>();

	LogCapture(String loggerName, Level level) {
		this.logger = (Logger) LoggerFactory.getLogger(loggerName);
		this.previousLevel = this.logger.getLevel();
		this.logger.setLevel(level);
		this.appender.start();
		this.logger.addAppender(this.appender);
	}

	/**
	 * The formatted messages logged at the given level so far.
	 * @param level the level
	 * @return the messages
	 */
	List<String> messages(Level level) {
		synchronized (this.appender) {
			return this.appender.list.stream()
				.filter((event) -> event.getLevel() == level)
				.map(ILoggingEvent::getFormattedMessage)
				.toList();
		}
	}

	@Override
	public void close() {
		this.logger.detachAppender(this.appender);
		this.logger.setLevel(this.previousLevel);
		this.appender.stop();
	}

}
