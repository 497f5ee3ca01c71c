package io.ddp.spring.health;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.BooleanSupplier;
import java.util.function.LongSupplier;

import org.springframework.boot.health.contributor.AbstractHealthIndicator;
import org.springframework.boot.health.contributor.Health;

/**
 * Health of the PostgreSQL connections on which an instance listens for changes made
 * elsewhere: {@code UP} while every one listens, {@code OUT_OF_SERVICE} while one is
 * reconnecting (the instance serves what it has but misses other instances' changes until
 * it is back); a listener with nothing to listen for yet counts as up. Details, per
 * listener: {@code listening} and {@code reconnects}.
 *
 * @since 0.1.0
 */
public class DdpJdbcHealthIndicator extends AbstractHealthIndicator {

	private final List<Listener> listeners;

	/**
	 * Create an indicator.
	 * @param listeners the listening connections
	 */
	public DdpJdbcHealthIndicator(List<Listener> listeners) {
		super("DDP PostgreSQL listener health check failed");
		this.listeners = List.copyOf(listeners);
	}

	@Override
	protected void doHealthCheck(Health.Builder builder) {
		boolean all = true;
		for (Listener listener : this.listeners) {
			boolean listening = listener.listening().getAsBoolean();
			all &= listener.healthy().getAsBoolean();
			Map<String, Object> details = new LinkedHashMap<>();
			details.put("listening", listening);
			details.put("reconnects", listener.reconnects().getAsLong());
			builder.withDetail(listener.name(), details);
		}
		if (all) {
			builder.up();
		}
		else {
			builder.outOfService();
		}
	}

	/**
	 * One listening connection.
	 *
	 * @param name what it listens for, e.g. {@code postgres}
	 * @param healthy whether it listens, or has nothing to listen for yet
	 * @param listening whether it listens now
	 * @param reconnects how many times it connected again after losing its connection
	 * @param notifications how many notifications it received, or -1 if it does not count
	 * them
	 */
	public record Listener(String name, BooleanSupplier healthy, BooleanSupplier listening, LongSupplier reconnects,
			LongSupplier notifications) {
	}

}
