package io.ddp.sample.remote;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

import io.ddp.spring.client.DdpClient;
import io.ddp.spring.client.DdpConnection;
import io.ddp.spring.client.DdpConnectionStatus;
import io.ddp.spring.server.method.DdpMethod;

import org.springframework.stereotype.Component;

/**
 * Methods that go through the DDP client's {@code remote} connection
 * ({@code ddp.client.connections.remote}): this application itself by default, the Meteor
 * reference server with the {@code meteor} profile. Served in every profile;
 * {@code remote.echo} needs a remote server with {@code echo} (this application's
 * {@code conformance} profile, or Meteor's fixture).
 */
@Component
public class RemoteMethods {

	private final DdpConnection remote;

	public RemoteMethods(@DdpClient("remote") DdpConnection remote) {
		this.remote = remote;
	}

	/**
	 * Call {@code echo} on the remote server with the same arguments.
	 * @param args the arguments
	 * @return the remote result; a future, so no server thread waits for the remote call
	 */
	@DdpMethod("remote.echo")
	public CompletableFuture<Object> echo(Object... args) {
		return this.remote.callAsync("echo", args);
	}

	/**
	 * Return the remote connection's status as Meteor's {@code Meteor.status()} shapes
	 * it.
	 * @return {@code status} (Meteor's lower-case name), {@code connected},
	 * {@code retryCount}, and {@code retryTime} (epoch ms) and {@code reason} when
	 * present
	 */
	@DdpMethod("remote.status")
	public Map<String, Object> status() {
		DdpConnectionStatus status = this.remote.status();
		Map<String, Object> result = new LinkedHashMap<>();
		result.put("status", status.state().meteorName());
		result.put("connected", status.connected());
		result.put("retryCount", status.retryCount());
		Instant retryTime = status.retryTime();
		if (retryTime != null) {
			result.put("retryTime", retryTime.toEpochMilli());
		}
		if (status.reason() != null) {
			result.put("reason", status.reason());
		}
		return result;
	}

}
