package io.ddp.spring.server.method;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.UndeclaredThrowableException;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import io.ddp.spring.protocol.DdpException;
import io.ddp.spring.protocol.DdpFrames;
import io.ddp.spring.protocol.Ejson;
import io.ddp.spring.server.ClientConnection;
import io.ddp.spring.server.DdpServerObserver;
import io.ddp.spring.server.ratelimit.DdpRateLimiter;
import io.ddp.spring.server.ratelimit.RateLimitInput;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;
import tools.jackson.databind.node.ArrayNode;

/**
 * Runs DDP method calls that arrive from clients: looks the method up, runs it with its
 * invocation context, and produces the {@code result} frame: the value as EJSON, or the
 * sanitized error exactly as Meteor shapes it.
 *
 * <p>
 * Thread-safe. A call runs on the thread that dispatches it (the session's queue worker);
 * an asynchronous result completes on whichever thread completes its future.
 *
 * @since 0.1.0
 */
public final class MethodDispatcher {

	private static final Log logger = LogFactory.getLog(MethodDispatcher.class);

	// How long a client's error waits for the interceptors told of it: no call wedges
	private static final Duration REPLACEMENT_WAIT = Duration.ofSeconds(5);

	private final DdpMethodRegistry registry;

	private final Ejson ejson;

	private final DdpFrames frames;

	private final List<DdpErrorSanitizer> sanitizers;

	private final DdpRateLimiter rateLimiter;

	private final List<DdpMethodInterceptor> interceptors;

	/**
	 * Create a dispatcher with no rate limits.
	 * @param registry the methods
	 * @param ejson the EJSON codec for arguments and results
	 * @param sanitizers sanitizers asked in order for non-{@link DdpException} errors
	 */
	public MethodDispatcher(DdpMethodRegistry registry, Ejson ejson, List<DdpErrorSanitizer> sanitizers) {
		this(registry, ejson, sanitizers, new DdpRateLimiter());
	}

	/**
	 * Create a dispatcher.
	 * @param registry the methods
	 * @param ejson the EJSON codec for arguments and results
	 * @param sanitizers sanitizers asked in order for non-{@link DdpException} errors
	 * @param rateLimiter the rate limits of calls from DDP clients (server-side calls are
	 * not limited, as in Meteor); publications of the same server use it too
	 */
	public MethodDispatcher(DdpMethodRegistry registry, Ejson ejson, List<DdpErrorSanitizer> sanitizers,
			DdpRateLimiter rateLimiter) {
		this(registry, ejson, sanitizers, rateLimiter, List.of());
	}

	/**
	 * Create a dispatcher with interceptors of client calls.
	 * @param registry the methods
	 * @param ejson the EJSON codec for arguments and results
	 * @param sanitizers sanitizers asked in order for non-{@link DdpException} errors
	 * @param rateLimiter the rate limits of calls from DDP clients
	 * @param interceptors asked in order around each call from a client
	 */
	public MethodDispatcher(DdpMethodRegistry registry, Ejson ejson, List<DdpErrorSanitizer> sanitizers,
			DdpRateLimiter rateLimiter, List<DdpMethodInterceptor> interceptors) {
		this.registry = registry;
		this.ejson = ejson;
		this.frames = new DdpFrames(ejson);
		this.sanitizers = List.copyOf(sanitizers);
		this.rateLimiter = rateLimiter;
		this.interceptors = List.copyOf(interceptors);
	}

	/**
	 * Return the rate limiter of requests from DDP clients.
	 * @return the rate limiter
	 */
	public DdpRateLimiter rateLimiter() {
		return this.rateLimiter;
	}

	/**
	 * Return the method registry.
	 * @return the registry
	 */
	public DdpMethodRegistry registry() {
		return this.registry;
	}

	/**
	 * Return the EJSON codec.
	 * @return the codec
	 */
	public Ejson ejson() {
		return this.ejson;
	}

	/**
	 * Run one client call.
	 * @param context the calling session
	 * @param id the method id
	 * @param name the method name
	 * @param params the arguments
	 * @param randomSeed the client's seed or {@code null}
	 * @param unblocker lets the session's next message start (called at most once here,
	 * by {@link DdpMethodInvocation#unblock()})
	 * @param completion receives the call's {@code result} frame and fence, once
	 */
	public void dispatch(MethodCallContext context, String id, String name, ArrayNode params,
			@Nullable String randomSeed, Runnable unblocker, Completion completion) {
		dispatch(context, id, name, params, randomSeed, unblocker, completion, DdpServerObserver.NONE);
	}

	/**
	 * Run one client call, reporting it to an observer.
	 * @param context the calling session
	 * @param id the method id
	 * @param name the method name
	 * @param params the arguments
	 * @param randomSeed the client's seed or {@code null}
	 * @param unblocker lets the session's next message start
	 * @param completion receives the call's {@code result} frame and fence, once
	 * @param observer told when the call starts and how it ends; the handler runs in its
	 * scope
	 */
	public void dispatch(MethodCallContext context, String id, String name, ArrayNode params,
			@Nullable String randomSeed, Runnable unblocker, Completion completion, DdpServerObserver observer) {
		// The result waits for the flush of the call's writes; so does its outcome
		WriteFence fence = WriteFence.deferringFlush();
		DdpMethodHandler handler = this.registry.find(name);
		DdpServerObserver.Operation operation = observer.methodCall(context.connection(), name, handler != null);
		OpenCall open = new OpenCall(id, context, operation, fence, completion);
		if (handler == null) {
			DdpException notFound = notFound(name);
			finish(open, this.frames.resultError(id, notFound), notFound, null);
			return;
		}
		DdpException limited = rateLimited(context, name);
		if (limited != null) {
			// As a thrown error: Meteor rejects the call's promise before running it.
			finish(open, this.frames.resultError(id, limited), limited, null);
			return;
		}
		DdpMethodCall call = (!this.interceptors.isEmpty() && context.connection() != null)
				? new DdpMethodCall(id, name, params, randomSeed) : null;
		if (call != null) {
			String answer;
			try {
				answer = intercepted(context, call);
			}
			catch (RuntimeException ex) {
				finish(open, this.frames.resultError(id, sanitize(ex, "interceptor of method '" + name + "'")), ex,
						null);
				return;
			}
			if (answer != null) {
				finish(open, answer, null, null);
				return;
			}
		}
		// Interceptors see the result as the method produced it, on the thread that
		// produced it, before the wait for the flush
		Answer answered = (frame, failure) -> {
			if (call != null) {
				afterCall(context, call, frame);
			}
			finish(open, frame, failure, call);
		};
		Invocation invocation = new Invocation(name, context, context.userId(), randomSeed, unblocker, fence);
		Object result;
		try (DdpServerObserver.Scope observed = operation.openScope(); Invocation.Scope scope = invocation.enter()) {
			result = handler.handle(invocation, new JsonMethodArguments(params, this.ejson));
		}
		catch (Throwable ex) {
			answered.with(this.frames.resultError(id, sanitize(ex, "method '" + name + "'")), unwrap(ex));
			return;
		}
		if (result instanceof CompletionStage<?> stage) {
			stage.whenComplete((value, error) -> {
				if (error != null) {
					answered.with(this.frames.resultError(id, sanitize(error, "method '" + name + "'")), unwrap(error));
				}
				else {
					answerWithValue(id, value, name, answered);
				}
			});
		}
		else {
			answerWithValue(id, result, name, answered);
		}
	}

	private @Nullable String intercepted(MethodCallContext context, DdpMethodCall call) {
		for (DdpMethodInterceptor interceptor : this.interceptors) {
			String answer = interceptor.beforeCall(context, call);
			if (answer != null) {
				return answer;
			}
		}
		return null;
	}

	private CompletableFuture<?> resultReplaced(MethodCallContext context, DdpMethodCall call, String resultFrame) {
		CompletableFuture<?>[] done = new CompletableFuture<?>[this.interceptors.size()];
		for (int i = 0; i < done.length; i++) {
			DdpMethodInterceptor interceptor = this.interceptors.get(i);
			CompletableFuture<?> one;
			try {
				// A copy: the timeout must not complete the interceptor's own future
				one = interceptor.resultReplaced(context, call, resultFrame)
					.toCompletableFuture()
					.copy()
					.orTimeout(REPLACEMENT_WAIT.toMillis(), TimeUnit.MILLISECONDS);
			}
			catch (RuntimeException ex) {
				one = CompletableFuture.failedFuture(ex);
			}
			done[i] = one.handle((ignored, ex) -> {
				if (ex instanceof TimeoutException) {
					logger.warn("A DDP method interceptor took more than " + REPLACEMENT_WAIT
							+ " on the error that replaced the result of method '" + call.name()
							+ "' after its writes failed to flush; the error is sent. Check "
							+ interceptor.getClass().getName());
				}
				else if (ex != null) {
					logger.error("A DDP method interceptor failed on the error that replaced the result of method '"
							+ call.name() + "' after its writes failed to flush; the error is sent anyway. Check "
							+ interceptor.getClass().getName(), ex);
				}
				return Boolean.TRUE;
			});
		}
		return CompletableFuture.allOf(done);
	}

	private void afterCall(MethodCallContext context, DdpMethodCall call, String resultFrame) {
		for (DdpMethodInterceptor interceptor : this.interceptors) {
			try {
				interceptor.afterCall(context, call, resultFrame);
			}
			catch (RuntimeException ex) {
				logger.error("A DDP method interceptor failed after method '" + call.name()
						+ "'; the result is sent anyway. Check " + interceptor.getClass().getName(), ex);
			}
		}
	}

	private @Nullable DdpException rateLimited(MethodCallContext context, String name) {
		ClientConnection connection = context.connection();
		if (connection == null) {
			return null;
		}
		return this.rateLimiter.reject(new RateLimitInput(RateLimitInput.Type.METHOD, name, context.userId(),
				connection.id(), connection.clientAddress()));
	}

	private void answerWithValue(String id, @Nullable Object value, String name, Answer answered) {
		if (value == DdpMethodHandler.NO_RESULT) {
			answered.with(this.frames.resultWithoutValue(id), null);
			return;
		}
		String frame;
		try {
			frame = this.frames.result(id, value);
		}
		catch (RuntimeException ex) {
			// A value EJSON cannot write is a server bug; the client gets the usual 500.
			answered.with(this.frames.resultError(id, sanitize(ex, "method '" + name + "'")), ex);
			return;
		}
		answered.with(frame, null);
	}

	// The call is over when its result can leave: once the writes it committed are on
	// disk. A failed flush turns any result into the usual 500 (whether those writes are
	// on disk is unknown, so the client must neither trust nor lose the call), and the
	// observer hears the outcome the client gets, timed to that moment. Interceptors that
	// saw the result before the flush are told of the error first: a deduplicator must
	// not replay a result the client never got.
	private void finish(OpenCall call, String frame, @Nullable Throwable failure, @Nullable DdpMethodCall intercepted) {
		call.fence().whenFlushed((flushFailure) -> {
			String answer = frame;
			if (flushFailure != null) {
				answer = this.frames.resultError(call.id(),
						sanitize(flushFailure, "flush after method call '" + call.id() + "'"));
				call.operation().failed(unwrap(flushFailure));
			}
			else if (failure != null) {
				call.operation().failed(failure);
			}
			else {
				call.operation().succeeded();
			}
			if (flushFailure != null && intercepted != null) {
				String replaced = answer;
				resultReplaced(call.context(), intercepted, replaced)
					.whenComplete((ignored, ex) -> call.completion().complete(replaced, call.fence()));
			}
			else {
				call.completion().complete(answer, call.fence());
			}
		});
	}

	// What finishing a call needs, from its start to its result
	private record OpenCall(String id, MethodCallContext context, DdpServerObserver.Operation operation,
			WriteFence fence, Completion completion) {

	}

	static DdpException notFound(String name) {
		return new DdpException(404, "Method '" + name + "' not found");
	}

	/**
	 * Return the error a client may see for an exception thrown by a method or
	 * publication: a {@link DdpException} as is, a sanitizer's answer, or {@code 500
	 * Internal server error} (the original logged here).
	 * @param error the exception
	 * @param source what threw it, for the log, e.g. {@code method 'x'}
	 * @return the client-safe error
	 */
	public DdpException sanitize(Throwable error, String source) {
		Throwable cause = unwrap(error);
		if (cause instanceof DdpException ddp) {
			if (ddp.getCause() != null && logger.isDebugEnabled()) {
				logger.debug("DDP " + source + " failed: " + ddp.getMessage(), ddp.getCause());
			}
			return ddp;
		}
		for (DdpErrorSanitizer sanitizer : this.sanitizers) {
			DdpException sanitized = sanitizer.sanitize(cause);
			if (sanitized != null) {
				return sanitized;
			}
		}
		logger.error("Exception in DDP " + source, cause);
		return new DdpException(500, "Internal server error");
	}

	private static Throwable unwrap(Throwable error) {
		Throwable current = error;
		while ((current instanceof CompletionException || current instanceof ExecutionException
				|| current instanceof InvocationTargetException || current instanceof UndeclaredThrowableException)
				&& current.getCause() != null) {
			current = current.getCause();
		}
		return current;
	}

	// The result frame of a call whose method ran, and the failure the observer hears
	@FunctionalInterface
	private interface Answer {

		void with(String frame, @Nullable Throwable failure);

	}

	/**
	 * Receives the outcome of a call.
	 */
	@FunctionalInterface
	public interface Completion {

		/**
		 * Called once, when the call's writes are on disk, with its {@code result} frame
		 * (the usual 500 error when their flush failed) and its write fence, which the
		 * session arms to send {@code updated}. Runs on the thread that ran the call,
		 * completed its future, or flushed its writes.
		 * @param resultFrame the {@code result} frame
		 * @param fence the write fence
		 */
		void complete(String resultFrame, WriteFence fence);

	}

}
