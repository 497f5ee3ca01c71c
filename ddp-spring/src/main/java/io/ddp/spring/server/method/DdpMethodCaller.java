package io.ddp.spring.server.method;

import java.util.Arrays;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;

import io.ddp.spring.protocol.DdpException;
import io.ddp.spring.protocol.Ejson;
import org.jspecify.annotations.Nullable;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;

/**
 * Calls registered DDP methods in-process, without the wire (Meteor's server-side
 * {@code Meteor.call}). Arguments and results are copied through EJSON, so the method
 * sees the same values a client call would give it. Called from inside a DDP method, the
 * inner call inherits the caller's connection and user, and its random seed derives from
 * the caller's (stream {@code /rpc/<name>}).
 *
 * <p>
 * Thread-safe. The method runs on the calling thread.
 *
 * @since 0.1.0
 */
public class DdpMethodCaller {

	private final DdpMethodRegistry registry;

	private final Ejson ejson;

	/**
	 * Create a caller.
	 * @param registry the methods
	 * @param ejson the EJSON codec
	 */
	public DdpMethodCaller(DdpMethodRegistry registry, Ejson ejson) {
		this.registry = registry;
		this.ejson = ejson;
	}

	/**
	 * Call a method and wait for its result as a plain EJSON value.
	 * @param name the method name
	 * @param args the arguments
	 * @return the result, {@code null} when it returned nothing
	 * @throws DdpException 404 for an unknown method, or what the method threw
	 */
	public @Nullable Object call(String name, Object... args) {
		return call(name, Object.class, args);
	}

	/**
	 * Call a method and wait for its result converted to the given type.
	 * @param <T> the result type
	 * @param name the method name
	 * @param resultType the result type
	 * @param args the arguments
	 * @return the result, {@code null} when it returned nothing
	 * @throws DdpException 404 for an unknown method, or what the method threw
	 */
	public <T> @Nullable T call(String name, Class<T> resultType, Object... args) {
		try {
			return callAsync(name, resultType, args).join();
		}
		catch (CompletionException ex) {
			if (ex.getCause() instanceof RuntimeException runtime) {
				throw runtime;
			}
			throw ex;
		}
	}

	/**
	 * Call a method; the future completes with its result converted to the given type.
	 * @param <T> the result type
	 * @param name the method name
	 * @param resultType the result type
	 * @param args the arguments
	 * @return the result future
	 */
	public <T> CompletableFuture<@Nullable T> callAsync(String name, Class<T> resultType, Object... args) {
		DdpMethodHandler handler = this.registry.find(name);
		if (handler == null) {
			return CompletableFuture.<@Nullable T>failedFuture(MethodDispatcher.notFound(name));
		}
		ArrayNode params = (ArrayNode) this.ejson.toJson(Arrays.asList(args));
		Invocation parent = Invocation.current();
		MethodCallContext context = (parent != null) ? parent.context() : null;
		String userId = (parent != null) ? parent.userId() : null;
		String seed = (parent != null) ? parent.randomStream("/rpc/" + name).hexString(20) : null;
		WriteFence fence = (parent != null) ? parent.fence() : new WriteFence();
		Invocation invocation = new Invocation(name, context, userId, seed, () -> {
		}, fence);
		Object result;
		try (Invocation.Scope scope = invocation.enter()) {
			result = handler.handle(invocation, new JsonMethodArguments(params, this.ejson));
		}
		catch (Exception ex) {
			return CompletableFuture.<@Nullable T>failedFuture(ex);
		}
		if (result instanceof CompletionStage<?> stage) {
			return stage.toCompletableFuture().<@Nullable T>thenApply((value) -> copy(value, resultType));
		}
		try {
			return CompletableFuture.<@Nullable T>completedFuture(copy(result, resultType));
		}
		catch (RuntimeException ex) {
			return CompletableFuture.<@Nullable T>failedFuture(ex);
		}
	}

	private <T> @Nullable T copy(@Nullable Object value, Class<T> type) {
		if (value == null || value == DdpMethodHandler.NO_RESULT) {
			return null;
		}
		JsonNode json = this.ejson.toJson(value);
		if (type == Object.class) {
			return type.cast(this.ejson.fromJson(json));
		}
		return this.ejson.convert(json, type);
	}

}
