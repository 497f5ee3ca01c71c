package io.ddp.spring.client;

import java.net.URI;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.function.Consumer;

import io.ddp.spring.protocol.DdpException;
import org.jspecify.annotations.Nullable;

import org.springframework.core.ParameterizedTypeReference;

/**
 * A live connection to a DDP server: Meteor's {@code DDP.connect(url)} for Java.
 *
 * <p>
 * The connection reconnects by itself with Meteor's backoff, resends calls that got no
 * result, resubscribes every subscription with the same id and logs in again with the
 * resume token after each reconnect. Arguments and results are EJSON, mapped to Java
 * types through Jackson.
 *
 * <p>
 * Thread-safe: every method may be called from any thread. Blocking methods
 * ({@code call}, {@code apply}, {@code login...}) throw {@link IllegalStateException}
 * when called from a callback of the same connection, which would otherwise deadlock.
 *
 * @since 0.1.0
 */
public interface DdpConnection extends AutoCloseable {

	/**
	 * Return the connection's name ({@code ddp.client.connections.<name>}).
	 * @return the name
	 */
	String name();

	/**
	 * Start connecting if not started yet. Returns at once; the status tells when the
	 * handshake completed. Calls and subscriptions made before are queued.
	 */
	void connect();

	/**
	 * Call a method and wait for its result (result received and its data visible).
	 * @param method the method name
	 * @param args the arguments
	 * @return the result decoded from EJSON into plain Java values (maps, lists, strings,
	 * numbers, booleans, {@link java.time.Instant} for dates, {@code byte[]}, ...)
	 * @throws DdpException the error the server answered, or {@code invocation-failed}
	 * and {@code timeout} errors raised locally
	 */
	@Nullable Object call(String method, @Nullable Object... args);

	/**
	 * Call a method and wait for its result, converted to the given type.
	 * @param <T> the result type
	 * @param method the method name
	 * @param resultType the result type
	 * @param args the arguments
	 * @return the result
	 */
	<T> @Nullable T call(String method, Class<T> resultType, @Nullable Object... args);

	/**
	 * Call a method and wait for its result, converted to the given generic type.
	 * @param <T> the result type
	 * @param method the method name
	 * @param resultType the result type
	 * @param args the arguments
	 * @return the result
	 */
	<T> @Nullable T call(String method, ParameterizedTypeReference<T> resultType, @Nullable Object... args);

	/**
	 * Call a method without waiting.
	 * @param method the method name
	 * @param args the arguments
	 * @return a future with the plain result, or failed with a {@link DdpException}
	 */
	CompletableFuture<@Nullable Object> callAsync(String method, @Nullable Object... args);

	/**
	 * Call a method without waiting, converting the result.
	 * @param <T> the result type
	 * @param method the method name
	 * @param resultType the result type
	 * @param args the arguments
	 * @return a future with the result
	 */
	<T> CompletableFuture<@Nullable T> callAsync(String method, Class<T> resultType, @Nullable Object... args);

	/**
	 * Call a method without waiting, converting the result to the given generic type.
	 * @param <T> the result type
	 * @param method the method name
	 * @param resultType the result type
	 * @param args the arguments
	 * @return a future with the result
	 * @since 0.1.0
	 */
	// NullAway (JSpecify mode) drops the @Nullable of a type argument substituted into
	// a generic method's result; the types match
	@SuppressWarnings("NullAway")
	default <T> CompletableFuture<@Nullable T> callAsync(String method, ParameterizedTypeReference<T> resultType,
			@Nullable Object... args) {
		return applyAsync(method, Arrays.asList(args), CallOptions.defaults(), resultType);
	}

	/**
	 * Call a method with options and wait for its result.
	 * @param <T> the result type
	 * @param method the method name
	 * @param args the arguments
	 * @param options the options
	 * @param resultType the result type
	 * @return the result
	 */
	<T> @Nullable T apply(String method, List<?> args, CallOptions options, Class<T> resultType);

	/**
	 * Call a method with options and wait for its result, converted to the given generic
	 * type (for example {@code new ParameterizedTypeReference<List<Todo>>() {}}). The
	 * default implementation waits for
	 * {@link #applyAsync(String, List, CallOptions, ParameterizedTypeReference)}.
	 * @param <T> the result type
	 * @param method the method name
	 * @param args the arguments
	 * @param options the options
	 * @param resultType the result type
	 * @return the result
	 * @throws DdpException the error the server answered, or one raised locally
	 * @since 0.1.0
	 */
	default <T> @Nullable T apply(String method, List<?> args, CallOptions options,
			ParameterizedTypeReference<T> resultType) {
		try {
			return applyAsync(method, args, options, resultType).get();
		}
		catch (ExecutionException ex) {
			if (ex.getCause() instanceof RuntimeException runtime) {
				throw runtime;
			}
			throw new IllegalStateException(ex.getCause());
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new DdpException("interrupted", "Interrupted while waiting for the result of '" + method + "'");
		}
	}

	/**
	 * Call a method with options without waiting, converting the result to the given
	 * class.
	 * @param <T> the result type
	 * @param method the method name
	 * @param args the arguments
	 * @param options the options
	 * @param resultType the result type
	 * @return a future with the result
	 * @since 0.1.0
	 */
	// NullAway (JSpecify mode) drops the @Nullable of a type argument substituted into
	// a generic method's result; the types match
	@SuppressWarnings("NullAway")
	default <T> CompletableFuture<@Nullable T> applyAsync(String method, List<?> args, CallOptions options,
			Class<T> resultType) {
		return applyAsync(method, args, options, ParameterizedTypeReference.<T>forType(resultType));
	}

	/**
	 * Call a method with options without waiting.
	 * @param <T> the result type
	 * @param method the method name
	 * @param args the arguments
	 * @param options the options
	 * @param resultType the result type
	 * @return a future with the result
	 */
	<T> CompletableFuture<@Nullable T> applyAsync(String method, List<?> args, CallOptions options,
			ParameterizedTypeReference<T> resultType);

	/**
	 * Subscribe to a publication. The {@code sub} frame is sent at once when connected,
	 * otherwise when the handshake completes.
	 * @param name the publication name
	 * @param args the parameters
	 * @return the subscription
	 */
	DdpSubscription subscribe(String name, @Nullable Object... args);

	/**
	 * Return the local collection of the given name, typed.
	 * @param <T> the document type
	 * @param name the collection name
	 * @param documentType the document type
	 * @return the collection view (the same data for every type asked for)
	 */
	<T> RemoteCollection<T> collection(String name, Class<T> documentType);

	/**
	 * Return the current status.
	 * @return the status
	 */
	DdpConnectionStatus status();

	/**
	 * Return the negotiated DDP version, {@code null} before the first handshake.
	 * @return the version
	 */
	@Nullable String version();

	/**
	 * Return the server's session id of the current handshake, {@code null} when not
	 * connected.
	 * @return the session id
	 */
	@Nullable String sessionId();

	/**
	 * Register a listener.
	 * @param listener the listener
	 * @return a handle that removes it when closed
	 */
	AutoCloseable addListener(DdpClientListener listener);

	/**
	 * Register a listener of every raw frame sent and received (Meteor's
	 * {@code _stream.on('message')}, both ways). The frames are also logged at TRACE
	 * under {@code io.ddp.spring.client.frames.<name>}. The default implementation throws
	 * {@link UnsupportedOperationException}.
	 * @param listener the listener, called on the connection's callback thread
	 * @return a handle that removes it when closed
	 * @since 0.1.0
	 */
	default AutoCloseable addFrameListener(DdpFrameListener listener) {
		throw new UnsupportedOperationException("Frame listeners are not supported by " + getClass().getName());
	}

	/**
	 * Register a hook that runs on every reconnect before outstanding methods are resent
	 * (Meteor's {@code DDP.onReconnect}); calls it makes are sent ahead of them.
	 * @param hook the hook, given this connection
	 * @return a handle that removes it when closed
	 */
	AutoCloseable onReconnect(Consumer<DdpConnection> hook);

	/**
	 * Retry at once (Meteor's {@code reconnect()}); from {@code OFFLINE} it resumes
	 * automatic retries. Does nothing while connected.
	 */
	void reconnect();

	/**
	 * Connect to another server URL (Meteor's {@code reconnect({url})}): the current link
	 * is dropped at once, even when connected, and the connection goes on at the new URL
	 * with the same transport kind and options. Calls without a result are sent again
	 * there (those with {@code noRetry} fail, as on any lost link), every subscription is
	 * sent again with its id, and the resume token logs in again. Retries after this go
	 * to the new URL. The default implementation throws
	 * {@link UnsupportedOperationException}.
	 * @param url the new server URL
	 * @throws IllegalArgumentException if the URL cannot be used with the transport
	 * @throws IllegalStateException if the connection is closed
	 * @since 0.1.0
	 */
	default void reconnect(URI url) {
		throw new UnsupportedOperationException("reconnect(URI) is not supported by " + getClass().getName());
	}

	/**
	 * Drop the transport and stay {@link ConnectionState#OFFLINE} until
	 * {@link #reconnect()}.
	 */
	void disconnect();

	/**
	 * Close for good ({@link ConnectionState#FAILED}); pending calls fail.
	 */
	@Override
	void close();

	/**
	 * Return the logged-in user id, {@code null} when logged out.
	 * @return the user id
	 */
	@Nullable String userId();

	/**
	 * Set the user id this client considers logged in, without telling the server
	 * (Meteor's {@code Connection.setUserId}, which its accounts package calls after a
	 * login it made itself); listeners get
	 * {@link DdpClientListener#userIdChanged(String)}. The resume token is kept. The
	 * default implementation throws {@link UnsupportedOperationException}.
	 * @param userId the user id, {@code null} for none
	 * @since 0.1.0
	 */
	default void setUserId(@Nullable String userId) {
		throw new UnsupportedOperationException("setUserId is not supported by " + getClass().getName());
	}

	/**
	 * Log in with a resume token ({@code login} with {@code {"resume": token}}), waiting
	 * for the result. The token is used again on every reconnect.
	 * @param token the token
	 * @return the login result
	 */
	DdpLogin loginWithToken(String token);

	/**
	 * Log in with a user name (or an e-mail address when it contains {@code @}) and a
	 * password, sent as its SHA-256 digest. The returned token is used on every
	 * reconnect.
	 * @param user the user name or e-mail address
	 * @param password the password
	 * @return the login result
	 */
	DdpLogin loginWithPassword(String user, String password);

	/**
	 * Log out ({@code logout}), waiting for the result, and forget the resume token.
	 */
	void logout();

	/**
	 * Log out every other client of this user, as Meteor's
	 * {@code Meteor.logoutOtherClients()}: {@code getNewToken} (the returned token
	 * replaces this connection's resume token), then {@code removeOtherTokens}, each
	 * waiting for the result. The server closes the connections that were logged in with
	 * the removed tokens. The default implementation throws
	 * {@link UnsupportedOperationException}.
	 * @return the login with the new token
	 * @since 0.1.0
	 */
	default DdpLogin logoutOtherClients() {
		throw new UnsupportedOperationException("logoutOtherClients is not supported by " + getClass().getName());
	}

}
