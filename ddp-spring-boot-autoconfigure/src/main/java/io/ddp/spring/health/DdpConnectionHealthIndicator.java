package io.ddp.spring.health;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;

import io.ddp.spring.client.ConnectionState;
import io.ddp.spring.client.DdpClientListener;
import io.ddp.spring.client.DdpConnection;
import io.ddp.spring.client.DdpConnectionStatus;
import org.jspecify.annotations.Nullable;

import org.springframework.boot.health.contributor.AbstractHealthIndicator;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.Status;

/**
 * Health of one DDP client connection. A reconnecting client is not a dead application,
 * so the status follows these rules:
 * <ul>
 * <li>{@code UP} once the DDP handshake completed on the current transport;
 * <li>{@code UP} too while it reconnects after having been connected, for at most the
 * grace period since the link was lost (details tell it is reconnecting);
 * <li>{@code OUT_OF_SERVICE} before the first handshake (within the grace period since
 * the indicator was created), and while {@link DdpConnection#disconnect()} keeps it
 * offline on purpose;
 * <li>{@code DOWN} once the connection failed for good ({@link ConnectionState#FAILED}),
 * or stayed without a handshake past the grace period.
 * </ul>
 * Details: {@code state}, {@code retryCount}, {@code nextRetry}, {@code lastFailure},
 * {@code version}, {@code sessionId}, {@code connectedSince}, {@code downSince}.
 *
 * @since 0.1.0
 */
public class DdpConnectionHealthIndicator extends AbstractHealthIndicator {

	private final DdpConnection connection;

	private final Duration gracePeriod;

	private final Clock clock;

	private final Instant created;

	private final Object monitor = new Object();

	private @Nullable Instant connectedSince;

	private @Nullable Instant downSince;

	private @Nullable String lastClose;

	/**
	 * Create an indicator with the system clock.
	 * @param connection the connection
	 * @param gracePeriod how long a lost connection may reconnect and stay {@code UP}
	 */
	public DdpConnectionHealthIndicator(DdpConnection connection, Duration gracePeriod) {
		this(connection, gracePeriod, Clock.systemUTC());
	}

	/**
	 * Create an indicator.
	 * @param connection the connection
	 * @param gracePeriod how long a lost connection may reconnect and stay {@code UP}
	 * @param clock the clock
	 */
	public DdpConnectionHealthIndicator(DdpConnection connection, Duration gracePeriod, Clock clock) {
		super("DDP connection health check failed");
		this.connection = connection;
		this.gracePeriod = gracePeriod;
		this.clock = clock;
		this.created = clock.instant();
		// A test double (@MockitoBean) may report no status at all
		DdpConnectionStatus initial = connection.status();
		if (initial != null && initial.connected()) {
			this.connectedSince = this.created;
		}
		connection.addListener(new Tracker());
	}

	@Override
	protected void doHealthCheck(Health.Builder builder) {
		DdpConnectionStatus status = this.connection.status();
		if (status == null) {
			builder.unknown().withDetail("state", "unknown");
			return;
		}
		Instant now = this.clock.instant();
		Instant connectedSince;
		Instant downSince;
		String lastClose;
		synchronized (this.monitor) {
			if (!status.connected() && this.downSince == null) {
				// Down before this indicator saw it go down (or never connected): count
				// from now on.
				this.downSince = (this.connectedSince != null) ? now : this.created;
			}
			connectedSince = status.connected() ? this.connectedSince : null;
			downSince = status.connected() ? null : this.downSince;
			lastClose = this.lastClose;
		}
		builder.status(statusOf(status, downSince, now));
		builder.withDetail("state", status.state().meteorName());
		builder.withDetail("retryCount", status.retryCount());
		if (status.retryTime() != null) {
			builder.withDetail("nextRetry", status.retryTime());
		}
		String failure = (status.reason() != null && !status.reason().isEmpty()) ? status.reason() : lastClose;
		if (failure != null) {
			builder.withDetail("lastFailure", failure);
		}
		String version = this.connection.version();
		if (version != null) {
			builder.withDetail("version", version);
		}
		String sessionId = this.connection.sessionId();
		if (sessionId != null) {
			builder.withDetail("sessionId", sessionId);
		}
		if (connectedSince != null) {
			builder.withDetail("connectedSince", connectedSince);
		}
		if (downSince != null) {
			builder.withDetail("downSince", downSince);
			builder.withDetail("gracePeriod", this.gracePeriod);
		}
	}

	private Status statusOf(DdpConnectionStatus status, @Nullable Instant downSince, Instant now) {
		if (status.connected()) {
			return Status.UP;
		}
		ConnectionState state = status.state();
		if (state == ConnectionState.FAILED) {
			return Status.DOWN;
		}
		if (state == ConnectionState.OFFLINE) {
			return Status.OUT_OF_SERVICE;
		}
		boolean withinGrace = downSince != null && now.isBefore(downSince.plus(this.gracePeriod));
		if (!withinGrace) {
			return Status.DOWN;
		}
		boolean everConnected;
		synchronized (this.monitor) {
			everConnected = this.connectedSince != null;
		}
		return everConnected ? Status.UP : Status.OUT_OF_SERVICE;
	}

	/**
	 * Records when the connection went up and down.
	 */
	private final class Tracker implements DdpClientListener {

		@Override
		public void connected(String sessionId, String version, boolean reconnect) {
			synchronized (DdpConnectionHealthIndicator.this.monitor) {
				DdpConnectionHealthIndicator.this.connectedSince = DdpConnectionHealthIndicator.this.clock.instant();
				DdpConnectionHealthIndicator.this.downSince = null;
			}
		}

		@Override
		public void socketClosed(int code, String reason) {
			synchronized (DdpConnectionHealthIndicator.this.monitor) {
				if (DdpConnectionHealthIndicator.this.downSince == null) {
					DdpConnectionHealthIndicator.this.downSince = DdpConnectionHealthIndicator.this.clock.instant();
				}
				DdpConnectionHealthIndicator.this.lastClose = "socket closed (" + code
						+ (reason.isEmpty() ? "" : ", " + reason) + ")";
			}
		}

	}

}
