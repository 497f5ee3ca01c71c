package io.ddp.spring.client;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;

import io.ddp.spring.protocol.DdpErrorObject;
import io.ddp.spring.protocol.DdpException;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;
import tools.jackson.databind.JavaType;

/**
 * The method calls of one connection (Meteor's method invokers and blocks): creating
 * them, sending them block by block, matching {@code result} and {@code updated} to them,
 * resending them after a reconnect, and failing them on timeout or when the connection
 * gives up.
 *
 * <p>
 * Threads: every {@code ...Locked} method runs holding the connection's lock, on a caller
 * thread (new calls), the I/O thread (results and {@code updated}), the timer thread
 * (timeouts) or the callback thread (the reset after a reconnect). A method that may send
 * takes the transport to send on, {@code null} when calls must wait (no link, or a reset
 * holding them back); it only queues the frames there, and the caller flushes that
 * transport once it released the lock. A blocking caller's future completes on the thread
 * that finishes the call (no hop); every other future and result callback on the callback
 * thread.
 *
 * @since 0.1.0
 */
final class MethodCalls {

	private static final Log logger = LogFactory.getLog(MethodCalls.class);

	/** Meteor's reason for a {@code noRetry} call cut by a dropped connection. */
	static final String NO_RETRY_REASON = "Method invocation might have failed due to dropped connection. "
			+ "Failing because `noRetry` option was passed to Meteor.apply.";

	private final String connectionName;

	private final ClientFrames frames;

	private final CallbackRunner callbacks;

	private final Quiescence quiescence;

	private final Duration defaultTimeout;

	private final AtomicLong nextMethodId = new AtomicLong();

	// read without the lock: by the parser (binding results) and by the timer's check
	private final ConcurrentHashMap<String, MethodInvoker> invokers = new ConcurrentHashMap<>();

	/** Finds the call of a method id, for binding its result while parsing. */
	final Function<String, @Nullable MethodInvoker> lookup = this.invokers::get;

	private final MethodBlocks blocks = new MethodBlocks();

	// calls made during a reset by anyone but the reconnect hooks: sent after the reset
	private final List<MethodInvoker> deferred = new ArrayList<>();

	private volatile DdpCallObserver observer = DdpCallObserver.NONE;

	private int sentCount;

	// While the I/O thread dispatches a frame, the blocked callers it finishes are woken
	// only once it released the lock: woken inside, a caller's next call met the lock
	// still held
	private boolean wakeAfterUnlock;

	private @Nullable List<MethodInvoker> toWake;

	MethodCalls(String connectionName, ClientFrames frames, CallbackRunner callbacks, Quiescence quiescence,
			Duration defaultTimeout) {
		this.connectionName = connectionName;
		this.frames = frames;
		this.callbacks = callbacks;
		this.quiescence = quiescence;
		this.defaultTimeout = defaultTimeout;
	}

	void setObserver(@Nullable DdpCallObserver observer) {
		this.observer = (observer != null) ? observer : DdpCallObserver.NONE;
	}

	int activeCount() {
		return this.invokers.size();
	}

	/**
	 * Create a call and tell the observer it started; on the caller's thread, no lock.
	 * @param method the method name
	 * @param args the arguments
	 * @param options the call options
	 * @param resultType the type to bind the result to
	 * @param randomSeed the seed, or {@code null}
	 * @param direct whether a blocked caller waits (complete on the I/O thread)
	 * @return the call
	 * @throws IllegalArgumentException if the arguments cannot be written as EJSON
	 */
	MethodInvoker create(String method, List<? extends @Nullable Object> args, CallOptions options, JavaType resultType,
			@Nullable String randomSeed, boolean direct) {
		Objects.requireNonNull(method, "'method' must not be null");
		Objects.requireNonNull(options, "'options' must not be null");
		String id = Long.toString(this.nextMethodId.incrementAndGet());
		String frame;
		try {
			frame = this.frames.method(id, method, (args != null) ? args : List.of(), randomSeed);
		}
		catch (RuntimeException ex) {
			throw new IllegalArgumentException(
					"Cannot write the arguments of '" + method + "' as EJSON: " + ex.getMessage(), ex);
		}
		Duration timeout = (options.timeout() != null) ? options.timeout() : this.defaultTimeout;
		long deadline = (timeout.isZero() || timeout.isNegative()) ? 0 : System.nanoTime() + timeout.toNanos();
		boolean plain = resultType.getRawClass() == Object.class;
		MethodInvoker invoker = new MethodInvoker(id, method, frame, options, resultType, plain, direct, deadline);
		invoker.observation = this.observer.callStarted(this.connectionName, method);
		return invoker;
	}

	/**
	 * Refuse a call that the connection cannot take.
	 * @param invoker the call
	 * @param error why
	 */
	static void refuse(MethodInvoker invoker, DdpException error) {
		invoker.observation.finished(error);
		invoker.future.completeExceptionally(error);
	}

	/**
	 * Hold a call back until the running reset ends.
	 * @param invoker the call
	 */
	void deferLocked(MethodInvoker invoker) {
		this.invokers.put(invoker.id, invoker);
		this.deferred.add(invoker);
	}

	/**
	 * Queue a call in its block, sending it at once when its block is the first.
	 * @param invoker the call
	 * @param sendOn the transport to send on, or {@code null}
	 */
	void addLocked(MethodInvoker invoker, @Nullable ClientTransport sendOn) {
		this.invokers.put(invoker.id, invoker);
		if (this.blocks.add(invoker) && sendOn != null) {
			sendLocked(invoker, sendOn);
		}
	}

	private void sendLocked(MethodInvoker invoker, ClientTransport transport) {
		invoker.sent = true;
		invoker.dataVisible = false;
		this.sentCount++;
		if (invoker.wait) {
			this.quiescence.blockOn(invoker.id);
		}
		// written by the caller's flush once it released the lock: a socket write under
		// the lock stalled the I/O thread (monitor waits of 10 ms and more on a busy
		// host)
		transport.queue(invoker.frame);
	}

	/**
	 * A {@code result} arrived (already decoded while parsing when its call was known).
	 * @param message the message
	 * @param sendOn the transport for the next block, or {@code null}
	 */
	void resultLocked(IncomingMessage message, @Nullable ClientTransport sendOn) {
		if (message.id == null) {
			return;
		}
		MethodInvoker invoker = this.blocks.removeFromFirst(message.id);
		if (invoker == null) {
			logger.debug("DDP connection '" + this.connectionName
					+ "': can't match method response to original method call " + message.id);
			return;
		}
		Object value = null;
		Object plain = null;
		Throwable failure = null;
		if (message.error != null) {
			failure = DdpErrorObject.read(message.error);
		}
		else if (message.hasResult) {
			IncomingMessage.DecodedResult decoded = message.decoded;
			if (decoded == null) {
				decoded = (message.resultTree != null) ? this.frames.decode(invoker, message.resultTree)
						: new IncomingMessage.DecodedResult(null, null, null);
			}
			value = decoded.value();
			plain = decoded.plain();
			failure = decoded.failure();
		}
		invoker.receiveResult(value, failure);
		if (invoker.onResultReceived != null) {
			var callback = invoker.onResultReceived;
			Object callbackValue = plain;
			DdpException callbackError = (failure instanceof DdpException ddp) ? ddp : null;
			this.callbacks.execute(() -> callback.accept(callbackValue, callbackError));
		}
		if (invoker.dataVisible) {
			finishLocked(invoker, sendOn);
		}
	}

	/**
	 * The writes of these calls are visible ({@code updated}, or quiescence ended).
	 * @param ids the method ids
	 * @param sendOn the transport for the next block, or {@code null}
	 */
	void updatedLocked(List<String> ids, @Nullable ClientTransport sendOn) {
		for (String id : ids) {
			MethodInvoker invoker = this.invokers.get(id);
			if (invoker != null) {
				dataVisibleLocked(invoker, sendOn);
			}
		}
	}

	void dataVisibleLocked(MethodInvoker invoker, @Nullable ClientTransport sendOn) {
		invoker.dataVisible = true;
		if (invoker.gotResult) {
			finishLocked(invoker, sendOn);
		}
	}

	private void finishLocked(MethodInvoker invoker, @Nullable ClientTransport sendOn) {
		if (invoker.finished) {
			return;
		}
		invoker.finished = true;
		this.invokers.remove(invoker.id);
		if (invoker.sent) {
			invoker.sent = false;
			this.sentCount--;
		}
		complete(invoker);
		// Meteor's _outstandingMethodFinished: the next block starts when nothing sent
		// is unfinished
		if (this.sentCount == 0 && this.blocks.dropFirstIfEmpty() && sendOn != null) {
			for (MethodInvoker next : this.blocks.first()) {
				if (!next.sent) {
					sendLocked(next, sendOn);
				}
			}
		}
	}

	private void complete(MethodInvoker invoker) {
		invoker.observation.finished(invoker.failure);
		if (!invoker.completeDirectly) {
			// the invoker is its own task (no lambda per call); value and failure are
			// final once finished, and the runner's queue publishes them
			this.callbacks.execute(invoker);
		}
		else if (!this.wakeAfterUnlock) {
			invoker.run();
		}
		else if (this.toWake == null) {
			this.toWake = new ArrayList<>(List.of(invoker));
		}
		else {
			this.toWake.add(invoker);
		}
	}

	/**
	 * The I/O thread starts dispatching a frame; holding the lock.
	 */
	void frameStartedLocked() {
		this.wakeAfterUnlock = true;
	}

	/**
	 * The I/O thread dispatched the frame; holding the lock.
	 * @return the calls of blocked callers it finished, to {@link #wake} once the lock is
	 * released, or {@code null}
	 */
	@Nullable List<MethodInvoker> frameDispatchedLocked() {
		this.wakeAfterUnlock = false;
		List<MethodInvoker> toWake = this.toWake;
		this.toWake = null;
		return toWake;
	}

	/**
	 * Complete the futures of blocked callers; without the lock.
	 * @param finished what {@link #frameDispatchedLocked()} returned
	 */
	static void wake(@Nullable List<MethodInvoker> finished) {
		if (finished != null) {
			for (MethodInvoker invoker : finished) {
				invoker.run();
			}
		}
	}

	static void completeNow(CompletableFuture<@Nullable Object> future, @Nullable Object value,
			@Nullable Throwable failure) {
		if (failure != null) {
			future.completeExceptionally(failure);
		}
		else {
			future.complete(value);
		}
	}

	// ---- the connection's life

	/**
	 * The sent calls and the calls waiting only for their data, for quiescence on
	 * {@code connected}.
	 * @param sent collects the ids of sent calls
	 * @param halfFinished collects calls that have their result but not their data
	 */
	void collectUnfinishedLocked(List<String> sent, List<MethodInvoker> halfFinished) {
		for (MethodInvoker invoker : this.invokers.values()) {
			if (invoker.gotResult && !invoker.dataVisible) {
				halfFinished.add(invoker);
			}
			else if (invoker.sent) {
				sent.add(invoker.id);
			}
		}
	}

	/**
	 * Start of a reset (Meteor's {@code onReset}): take every block aside so the
	 * reconnect hooks' calls go first.
	 * @return the blocks to restore after the hooks
	 */
	Deque<MethodBlocks.Block> beginResetLocked() {
		// calls that have all their results but await data are not resent
		this.blocks.dropFirstIfEmpty();
		markAllUnsentLocked();
		return this.blocks.takeAll();
	}

	/**
	 * After the hooks: put the old blocks back behind theirs and resend the first.
	 * @param old the blocks taken by {@link #beginResetLocked()}
	 * @param sendOn the live transport, or {@code null} when it dropped meanwhile
	 */
	void restoreLocked(Deque<MethodBlocks.Block> old, @Nullable ClientTransport sendOn) {
		List<MethodInvoker> toSend = this.blocks.restore(old);
		if (sendOn != null) {
			for (MethodInvoker invoker : toSend) {
				if (!invoker.sent) {
					sendLocked(invoker, sendOn);
				}
			}
		}
	}

	/**
	 * The reset ended: queue the calls it held back.
	 * @param sendOn the transport, or {@code null}
	 */
	void releaseDeferredLocked(@Nullable ClientTransport sendOn) {
		for (MethodInvoker invoker : this.deferred) {
			addLocked(invoker, sendOn);
		}
		this.deferred.clear();
	}

	/**
	 * The link dropped: fail sent {@code noRetry} calls and mark the rest for resending.
	 * @param duringReset whether a reset was running (its held-back calls are kept)
	 */
	void linkDroppedLocked(boolean duringReset) {
		if (duringReset) {
			for (MethodInvoker invoker : this.deferred) {
				this.blocks.add(invoker);
			}
			this.deferred.clear();
		}
		for (MethodInvoker invoker : new ArrayList<>(this.blocks.first())) {
			if (invoker.sent && invoker.noRetry) {
				failLocked(invoker, new DdpException("invocation-failed", NO_RETRY_REASON), null);
			}
		}
		markAllUnsentLocked();
	}

	private void markAllUnsentLocked() {
		for (MethodInvoker invoker : this.invokers.values()) {
			invoker.sent = false;
		}
		this.sentCount = 0;
	}

	void failAllLocked(DdpException error) {
		for (MethodInvoker invoker : new ArrayList<>(this.invokers.values())) {
			failLocked(invoker, error, null);
		}
		this.deferred.clear();
	}

	private void failLocked(MethodInvoker invoker, DdpException error, @Nullable ClientTransport sendOn) {
		this.blocks.remove(invoker);
		this.deferred.remove(invoker);
		this.quiescence.forget(invoker.id);
		invoker.receiveResult(null, error);
		dataVisibleLocked(invoker, sendOn);
	}

	boolean isEmpty() {
		return this.invokers.isEmpty();
	}

	/**
	 * Fail the calls past their deadline; on the timer thread.
	 * @param now {@link System#nanoTime()}
	 * @param sendOn the transport for the next block, or {@code null}
	 */
	void expireLocked(long now, @Nullable ClientTransport sendOn) {
		for (MethodInvoker invoker : new ArrayList<>(this.invokers.values())) {
			if (invoker.deadlineNanos != 0 && now - invoker.deadlineNanos >= 0 && !invoker.finished) {
				failLocked(invoker,
						new DdpException("timeout",
								"Method '" + invoker.method + "' timed out: no result within the call timeout"),
						sendOn);
			}
		}
	}

	/**
	 * Wait for a call's result on the caller's thread.
	 * @param invoker the call
	 * @return the result
	 * @throws DdpException the call's error, thrown afresh so the caller's stack shows
	 */
	static @Nullable Object await(MethodInvoker invoker) {
		try {
			return invoker.future.get();
		}
		catch (ExecutionException ex) {
			Throwable cause = ex.getCause();
			if (cause instanceof DdpException ddp) {
				throw new DdpException(ddp.getError(), ddp.getReason(), ddp.getDetails(), ddp);
			}
			if (cause instanceof RuntimeException runtime) {
				throw runtime;
			}
			throw new IllegalStateException(cause);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new DdpException("interrupted",
					"Interrupted while waiting for the result of '" + invoker.method + "'");
		}
	}

}
