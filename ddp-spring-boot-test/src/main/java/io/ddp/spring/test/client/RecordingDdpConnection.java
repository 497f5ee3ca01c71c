package io.ddp.spring.test.client;

import java.lang.reflect.Type;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import java.util.function.Function;

import io.ddp.spring.client.CallOptions;
import io.ddp.spring.client.ConnectionState;
import io.ddp.spring.client.DdpClientListener;
import io.ddp.spring.client.DdpClientOptions;
import io.ddp.spring.client.DdpConnection;
import io.ddp.spring.client.DdpConnectionStatus;
import io.ddp.spring.client.DdpLogin;
import io.ddp.spring.client.DdpSubscription;
import io.ddp.spring.client.RemoteCollection;
import io.ddp.spring.protocol.DdpException;
import io.ddp.spring.protocol.Ejson;
import org.jspecify.annotations.Nullable;

import org.springframework.core.ParameterizedTypeReference;

/**
 * A hand-written {@link DdpConnection} for tests: records what is asked of it and answers
 * calls through a responder, converting the answer to the requested type through EJSON as
 * a real connection does. Not connected to anything.
 */
public class RecordingDdpConnection implements DdpConnection {

	private static final Ejson EJSON = Ejson.createDefault();

	private final String name;

	private final @Nullable DdpClientOptions options;

	private final List<Invocation> invocations = new CopyOnWriteArrayList<>();

	private final List<String> lifecycle = new CopyOnWriteArrayList<>();

	private final AtomicInteger connects = new AtomicInteger();

	private volatile Function<Invocation, @Nullable Object> responder = (invocation) -> null;

	private volatile ConnectionState state = ConnectionState.CONNECTING;

	public RecordingDdpConnection(String name) {
		this(name, null);
	}

	public RecordingDdpConnection(String name, @Nullable DdpClientOptions options) {
		this.name = name;
		this.options = options;
	}

	/**
	 * @return the options the connection was created with, if any
	 */
	public @Nullable DdpClientOptions options() {
		return this.options;
	}

	/**
	 * Answer calls with the given function; throwing a {@link DdpException} fails the
	 * call.
	 * @param responder the responder
	 * @return this connection
	 */
	public RecordingDdpConnection respondWith(Function<Invocation, @Nullable Object> responder) {
		this.responder = responder;
		return this;
	}

	/**
	 * @return every call and subscription, in order
	 */
	public List<Invocation> invocations() {
		return List.copyOf(this.invocations);
	}

	/**
	 * @return connect, reconnect, disconnect and close, in order
	 */
	public List<String> lifecycle() {
		return List.copyOf(this.lifecycle);
	}

	/**
	 * @return how often connect() was called
	 */
	public int connects() {
		return this.connects.get();
	}

	@Override
	public String name() {
		return this.name;
	}

	@Override
	public void connect() {
		this.connects.incrementAndGet();
		this.lifecycle.add("connect");
		this.state = ConnectionState.CONNECTED;
	}

	private @Nullable Object respond(String kind, String method, List<?> args, CallOptions options, Type type) {
		Invocation invocation = new Invocation(kind, method, new ArrayList<>(args), options, type);
		this.invocations.add(invocation);
		Object raw = this.responder.apply(invocation);
		return EJSON.convert(EJSON.toJson(raw), EJSON.mapper().getTypeFactory().constructType(type));
	}

	@SuppressWarnings("unchecked")
	private <T> CompletableFuture<@Nullable T> respondAsync(String method, List<?> args, CallOptions options,
			Type type) {
		try {
			return CompletableFuture.completedFuture((T) respond("callAsync", method, args, options, type));
		}
		catch (DdpException ex) {
			return CompletableFuture.failedFuture(ex);
		}
	}

	@Override
	public @Nullable Object call(String method, @Nullable Object... args) {
		return respond("call", method, Arrays.asList(args), CallOptions.defaults(), Object.class);
	}

	@Override
	@SuppressWarnings("unchecked")
	public <T> @Nullable T call(String method, Class<T> resultType, @Nullable Object... args) {
		return (T) respond("call", method, Arrays.asList(args), CallOptions.defaults(), resultType);
	}

	@Override
	@SuppressWarnings("unchecked")
	public <T> @Nullable T call(String method, ParameterizedTypeReference<T> resultType, @Nullable Object... args) {
		return (T) respond("call", method, Arrays.asList(args), CallOptions.defaults(), resultType.getType());
	}

	@Override
	public CompletableFuture<@Nullable Object> callAsync(String method, @Nullable Object... args) {
		return respondAsync(method, Arrays.asList(args), CallOptions.defaults(), Object.class);
	}

	@Override
	public <T> CompletableFuture<@Nullable T> callAsync(String method, Class<T> resultType, @Nullable Object... args) {
		return respondAsync(method, Arrays.asList(args), CallOptions.defaults(), resultType);
	}

	@Override
	@SuppressWarnings("unchecked")
	public <T> @Nullable T apply(String method, List<?> args, CallOptions options, Class<T> resultType) {
		return (T) respond("apply", method, args, options, resultType);
	}

	@Override
	public <T> CompletableFuture<@Nullable T> applyAsync(String method, List<?> args, CallOptions options,
			ParameterizedTypeReference<T> resultType) {
		return respondAsync(method, args, options, resultType.getType());
	}

	@Override
	public DdpSubscription subscribe(String name, @Nullable Object... args) {
		List<@Nullable Object> params = new ArrayList<>(Arrays.asList(args));
		this.invocations.add(new Invocation("subscribe", name, params, CallOptions.defaults(), DdpSubscription.class));
		return new RecordedSubscription("sub" + this.invocations.size(), name, params);
	}

	@Override
	public <T> RemoteCollection<T> collection(String name, Class<T> documentType) {
		throw new UnsupportedOperationException("not recorded");
	}

	@Override
	public DdpConnectionStatus status() {
		return new DdpConnectionStatus(this.state, this.state == ConnectionState.CONNECTED, 0, null, null);
	}

	@Override
	public @Nullable String version() {
		return null;
	}

	@Override
	public @Nullable String sessionId() {
		return null;
	}

	@Override
	public AutoCloseable addListener(DdpClientListener listener) {
		return () -> {
		};
	}

	@Override
	public AutoCloseable onReconnect(Consumer<DdpConnection> hook) {
		return () -> {
		};
	}

	@Override
	public void reconnect() {
		this.lifecycle.add("reconnect");
		this.state = ConnectionState.CONNECTED;
	}

	@Override
	public void disconnect() {
		this.lifecycle.add("disconnect");
		this.state = ConnectionState.OFFLINE;
	}

	@Override
	public void close() {
		this.lifecycle.add("close");
		this.state = ConnectionState.FAILED;
	}

	@Override
	public @Nullable String userId() {
		return null;
	}

	@Override
	public DdpLogin loginWithToken(String token) {
		this.invocations.add(new Invocation("login", "login", List.of(token), CallOptions.defaults(), DdpLogin.class));
		return new DdpLogin("user", token, null);
	}

	@Override
	public DdpLogin loginWithPassword(String user, String password) {
		throw new UnsupportedOperationException("not recorded");
	}

	@Override
	public void logout() {
		throw new UnsupportedOperationException("not recorded");
	}

	@Override
	public String toString() {
		return "RecordingDdpConnection '" + this.name + "'";
	}

	/**
	 * One recorded call or subscription.
	 *
	 * @param kind call, callAsync, apply or subscribe
	 * @param name the method or publication name
	 * @param args the arguments
	 * @param options the call options
	 * @param resultType the requested result type
	 */
	public record Invocation(String kind, String name, List<@Nullable Object> args, CallOptions options,
			Type resultType) {
	}

	private record RecordedSubscription(String id, String name,
			List<@Nullable Object> params) implements DdpSubscription {

		@Override
		public CompletableFuture<Void> ready() {
			return CompletableFuture.completedFuture(null);
		}

		@Override
		public boolean isReady() {
			return true;
		}

		@Override
		public void stop() {
		}

		@Override
		public void onStop(Consumer<@Nullable DdpException> callback) {
		}

	}

}
