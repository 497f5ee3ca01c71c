package io.ddp.spring.server.method;

import io.ddp.spring.protocol.MeteorRandom;
import io.ddp.spring.server.ClientConnection;
import org.jspecify.annotations.Nullable;

/**
 * The context of one DDP method call (Meteor's {@code this} inside a method). Declare a
 * parameter of this type on a {@link DdpMethod} to receive it.
 *
 * <p>
 * Valid for the duration of the call, on the thread that runs it.
 *
 * @since 0.1.0
 */
public interface DdpMethodInvocation {

	/**
	 * Return the invocation of the DDP method running on the calling thread, for code
	 * that is not handed one, such as a collection generating the id of an insert from
	 * the method's random stream.
	 * @return the current invocation, or {@code null} outside a method
	 */
	static @Nullable DdpMethodInvocation current() {
		return Invocation.current();
	}

	/**
	 * Return the method name.
	 * @return the name
	 */
	String name();

	/**
	 * Return the user id of the connection when the call started.
	 * @return the user id or {@code null}
	 */
	@Nullable String userId();

	/**
	 * Change the connection's user: later calls see the new id and subscriptions rerun.
	 * @param userId the new user id, or {@code null} to log out
	 * @throws IllegalStateException after {@link #unblock()}, or for a server-initiated
	 * call
	 */
	void setUserId(@Nullable String userId);

	/**
	 * Return the calling client's connection, {@code null} for server-initiated calls.
	 * @return the connection or {@code null}
	 */
	@Nullable ClientConnection connection();

	/**
	 * Let the connection's next message start now instead of after this call
	 * (idempotent).
	 */
	void unblock();

	/**
	 * Whether this is a client-side simulation; always {@code false} on the server.
	 * @return {@code false}
	 */
	default boolean isSimulation() {
		return false;
	}

	/**
	 * Return the client's {@code randomSeed}, or {@code null} if it sent none.
	 * @return the seed or {@code null}
	 */
	@Nullable String randomSeed();

	/**
	 * Return the seeded random stream of the given name; it produces the same values as
	 * the client's stub ({@code DDP.randomStream(name)}), and keeps advancing across
	 * calls within this invocation.
	 * @param name the stream name, e.g. {@code /collection/tasks}
	 * @return the stream
	 */
	MeteorRandom randomStream(String name);

}
