package io.ddp.spring.server.method;

import java.util.Arrays;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;

import io.ddp.spring.protocol.DdpException;
import io.ddp.spring.protocol.Ejson;
import org.jspecify.annotations.Nullable;
import tools.jackson.databind.JavaType;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;

import org.springframework.core.ParameterizedTypeReference;

/**
 * Calls registered DDP methods in-process, without the wire (Meteor's server-side
 * {@code Meteor.call}). Arguments and results are copied through EJSON, so the method
 * sees the same values a client call would give it. Called from inside a DDP method, the
 * inner call inherits the caller's connection and user (the current user), and its random
 * seed derives from the caller's (stream {@code /rpc/<name>}).
 *
 * <p>
 * Options are set on a copy: {@link #asUser(String)} runs the methods as a given user
 * (for example from a scheduled job or a REST controller, where no DDP user is current),
 * {@link #withRandomSeed(String)} gives them Meteor's {@code randomSeed}, so the ids they
 * draw are the ones a client stub with the same seed drew:
 *
 * <pre class="code">
 * String id = caller.asUser("alice-id").withRandomSeed(seed).call("todos/add", String.class, "milk");
 * </pre>
 *
 * <p>
 * Immutable and thread-safe. The method runs on the calling thread.
 *
 * @since 0.1.0
 */
public class DdpMethodCaller {

	private final DdpMethodRegistry registry;

	private final Ejson ejson;

	// whether the user is set by asUser, rather than inherited from the current call
	private final boolean userGiven;

	private final @Nullable String userId;

	private final @Nullable String randomSeed;

	/**
	 * Create a caller.
	 * @param registry the methods
	 * @param ejson the EJSON codec
	 */
	public DdpMethodCaller(DdpMethodRegistry registry, Ejson ejson) {
		this(registry, ejson, false, null, null);
	}

	private DdpMethodCaller(DdpMethodRegistry registry, Ejson ejson, boolean userGiven, @Nullable String userId,
			@Nullable String randomSeed) {
		this.registry = Objects.requireNonNull(registry, "'registry' must not be null");
		this.ejson = Objects.requireNonNull(ejson, "'ejson' must not be null");
		this.userGiven = userGiven;
		this.userId = userId;
		this.randomSeed = randomSeed;
	}

	/**
	 * Return a caller that runs methods as the given user, whatever the current call's
	 * user is. Such a call is server-initiated: {@code connection()} is {@code null} in
	 * the method and {@code setUserId} is refused, so it cannot change any session's
	 * user.
	 * @param userId the user id, {@code null} to run with no user
	 * @return the caller
	 */
	public DdpMethodCaller asUser(@Nullable String userId) {
		return new DdpMethodCaller(this.registry, this.ejson, true, userId, this.randomSeed);
	}

	/**
	 * Return a caller that gives methods this random seed (Meteor's {@code randomSeed}
	 * option) instead of one derived from the current call's, so the random ids they draw
	 * are those a client drew from the same seed.
	 * @param randomSeed the seed, {@code null} to derive it as without this option
	 * @return the caller
	 */
	public DdpMethodCaller withRandomSeed(@Nullable String randomSeed) {
		return new DdpMethodCaller(this.registry, this.ejson, this.userGiven, this.userId, randomSeed);
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
	@SuppressWarnings("unchecked")
	public <T> @Nullable T call(String name, Class<T> resultType, Object... args) {
		return (T) join(invoke(name, javaType(resultType), args));
	}

	/**
	 * Call a method and wait for its result converted to the given generic type.
	 * @param <T> the result type
	 * @param name the method name
	 * @param resultType the result type, e.g. {@code new
	 * ParameterizedTypeReference<List<Todo>>() {}}
	 * @param args the arguments
	 * @return the result, {@code null} when it returned nothing
	 * @throws DdpException 404 for an unknown method, or what the method threw
	 */
	@SuppressWarnings("unchecked")
	public <T> @Nullable T call(String name, ParameterizedTypeReference<T> resultType, Object... args) {
		return (T) join(invoke(name, javaType(resultType.getType()), args));
	}

	/**
	 * Call a method; the future completes with its result converted to the given type.
	 * @param <T> the result type
	 * @param name the method name
	 * @param resultType the result type
	 * @param args the arguments
	 * @return the result future
	 */
	@SuppressWarnings("unchecked")
	public <T> CompletableFuture<@Nullable T> callAsync(String name, Class<T> resultType, Object... args) {
		return (CompletableFuture<@Nullable T>) (CompletableFuture<?>) invoke(name, javaType(resultType), args);
	}

	/**
	 * Call a method; the future completes with its result converted to the given generic
	 * type.
	 * @param <T> the result type
	 * @param name the method name
	 * @param resultType the result type
	 * @param args the arguments
	 * @return the result future
	 */
	@SuppressWarnings("unchecked")
	public <T> CompletableFuture<@Nullable T> callAsync(String name, ParameterizedTypeReference<T> resultType,
			Object... args) {
		return (CompletableFuture<@Nullable T>) (CompletableFuture<?>) invoke(name, javaType(resultType.getType()),
				args);
	}

	// the future's value has the caller's type: copy converts it
	private CompletableFuture<@Nullable Object> invoke(String name, JavaType resultType, Object... args) {
		DdpMethodHandler handler = this.registry.find(name);
		if (handler == null) {
			return CompletableFuture.<@Nullable Object>failedFuture(MethodDispatcher.notFound(name));
		}
		ArrayNode params = (ArrayNode) this.ejson.toJson(Arrays.asList(args));
		Invocation parent = Invocation.current();
		// a call as a given user belongs to no session: it must not act on the caller's
		MethodCallContext context = (parent != null && !this.userGiven) ? parent.context() : null;
		String userId = this.userGiven ? this.userId : (parent != null) ? parent.userId() : null;
		String seed = (this.randomSeed != null) ? this.randomSeed
				: (parent != null) ? parent.randomStream("/rpc/" + name).hexString(20) : null;
		WriteFence fence = (parent != null) ? parent.fence() : new WriteFence();
		Invocation invocation = new Invocation(name, context, userId, seed, () -> {
		}, fence);
		Object result;
		try (Invocation.Scope scope = invocation.enter()) {
			result = handler.handle(invocation, new JsonMethodArguments(params, this.ejson));
		}
		catch (Exception ex) {
			return CompletableFuture.<@Nullable Object>failedFuture(ex);
		}
		if (result instanceof CompletionStage<?> stage) {
			return stage.toCompletableFuture().<@Nullable Object>thenApply((value) -> copy(value, resultType));
		}
		try {
			return CompletableFuture.<@Nullable Object>completedFuture(copy(result, resultType));
		}
		catch (RuntimeException ex) {
			return CompletableFuture.<@Nullable Object>failedFuture(ex);
		}
	}

	private static @Nullable Object join(CompletableFuture<@Nullable Object> future) {
		try {
			return future.join();
		}
		catch (CompletionException ex) {
			if (ex.getCause() instanceof RuntimeException runtime) {
				throw runtime;
			}
			throw ex;
		}
	}

	private @Nullable Object copy(@Nullable Object value, JavaType type) {
		if (value == null || value == DdpMethodHandler.NO_RESULT) {
			return null;
		}
		JsonNode json = this.ejson.toJson(value);
		if (type.getRawClass() == Object.class) {
			return this.ejson.fromJson(json);
		}
		return this.ejson.convert(json, type);
	}

	private JavaType javaType(java.lang.reflect.Type type) {
		return this.ejson.mapper().getTypeFactory().constructType(type);
	}

}
