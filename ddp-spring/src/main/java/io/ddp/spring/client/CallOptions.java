package io.ddp.spring.client;

import java.time.Duration;
import java.util.function.BiConsumer;

import io.ddp.spring.protocol.DdpException;
import org.jspecify.annotations.Nullable;

/**
 * Options of one method call, as Meteor's {@code Meteor.apply(name, args, options)}.
 * Immutable; start from {@link #defaults()} and derive with the {@code with...} methods.
 *
 * @param waitForOthers Meteor's {@code wait: true}: the call is sent only after every
 * earlier call finished, and later calls wait for it
 * @param noRetry whether the call fails with {@code invocation-failed} instead of being
 * resent when the connection drops before its result arrived
 * @param onResultReceived called as soon as the {@code result} frame arrives, before the
 * method's data is visible (raw result decoded from EJSON, or the error); may be
 * {@code null}
 * @param timeout how long to wait for the call to finish, {@code null} for the
 * connection's default call timeout
 * @since 0.1.0
 */
public record CallOptions(boolean waitForOthers, boolean noRetry,
		@Nullable BiConsumer<@Nullable Object, @Nullable DdpException> onResultReceived, @Nullable Duration timeout) {

	private static final CallOptions DEFAULTS = new CallOptions(false, false, null, null);

	/**
	 * Return the default options: no wait, retried after reconnects, the connection's
	 * default timeout.
	 * @return the defaults
	 */
	public static CallOptions defaults() {
		return DEFAULTS;
	}

	/**
	 * Return a copy with Meteor's {@code wait} option set.
	 * @param wait the new value
	 * @return the copy
	 */
	public CallOptions withWait(boolean wait) {
		return new CallOptions(wait, this.noRetry, this.onResultReceived, this.timeout);
	}

	/**
	 * Return a copy with {@code noRetry} set.
	 * @param noRetry the new value
	 * @return the copy
	 */
	public CallOptions withNoRetry(boolean noRetry) {
		return new CallOptions(this.waitForOthers, noRetry, this.onResultReceived, this.timeout);
	}

	/**
	 * Return a copy with the given result callback.
	 * @param callback the callback
	 * @return the copy
	 */
	public CallOptions withOnResultReceived(@Nullable BiConsumer<@Nullable Object, @Nullable DdpException> callback) {
		return new CallOptions(this.waitForOthers, this.noRetry, callback, this.timeout);
	}

	/**
	 * Return a copy with the given timeout.
	 * @param timeout the timeout, {@code null} for the connection's default
	 * @return the copy
	 */
	public CallOptions withTimeout(@Nullable Duration timeout) {
		return new CallOptions(this.waitForOthers, this.noRetry, this.onResultReceived, timeout);
	}

}
