package io.ddp.spring.health;

import io.ddp.spring.server.session.DdpServer;

import org.springframework.boot.health.contributor.AbstractHealthIndicator;
import org.springframework.boot.health.contributor.Health;

/**
 * Health of a DDP server: {@code UP} while it accepts connections, {@code OUT_OF_SERVICE}
 * once a graceful shutdown began; details: {@code accepting}, {@code sessions},
 * {@code sockets} (including those that have not sent {@code connect}) and
 * {@code runningMethods}.
 *
 * @since 0.1.0
 */
public class DdpServerHealthIndicator extends AbstractHealthIndicator {

	private final DdpServer server;

	/**
	 * Create an indicator.
	 * @param server the server
	 */
	public DdpServerHealthIndicator(DdpServer server) {
		super("DDP server health check failed");
		this.server = server;
	}

	@Override
	protected void doHealthCheck(Health.Builder builder) {
		boolean accepting = this.server.isAccepting();
		(accepting ? builder.up() : builder.outOfService()).withDetail("accepting", accepting)
			.withDetail("sessions", this.server.sessionCount())
			.withDetail("sockets", this.server.openSocketCount())
			.withDetail("runningMethods", this.server.runningMethodCount());
	}

}
