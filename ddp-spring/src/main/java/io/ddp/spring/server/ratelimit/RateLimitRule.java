package io.ddp.spring.server.ratelimit;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Function;

import org.jspecify.annotations.Nullable;

/**
 * One rule's matcher, limit and current window of counts. The window is replaced as a
 * whole when it ends (a compare-and-set, so of two threads that see it end, one starts
 * the next and the other counts in it), which clears every count at once as Meteor's
 * {@code resetCounter} does.
 */
final class RateLimitRule {

	private static final VarHandle WINDOW;

	static {
		try {
			WINDOW = MethodHandles.lookup().findVarHandle(RateLimitRule.class, "window", Window.class);
		}
		catch (ReflectiveOperationException ex) {
			throw new ExceptionInInitializerError(ex);
		}
	}

	private final String id;

	private final RateLimitMatcher matcher;

	private final int numRequests;

	private final long intervalMillis;

	private volatile Window window;

	private final LongAdder rejected = new LongAdder();

	private volatile @Nullable Function<RateLimitResult, String> message;

	RateLimitRule(String id, RateLimitMatcher matcher, int numRequests, long intervalMillis, long now) {
		this.id = id;
		this.matcher = matcher;
		this.numRequests = numRequests;
		this.intervalMillis = intervalMillis;
		this.window = new Window(now);
	}

	/**
	 * Count a request when the rule matches it.
	 * @param input the request
	 * @param now the current time in milliseconds
	 * @return -1 when the request is within the limit (or not matched), else the
	 * milliseconds until this rule's window resets
	 */
	long increment(RateLimitInput input, long now) {
		if (!this.matcher.matches(input)) {
			return -1;
		}
		Window current = this.window;
		if (now - current.start > this.intervalMillis) {
			Window next = new Window(now);
			current = WINDOW.compareAndSet(this, current, next) ? next : this.window;
		}
		int count = current.counts.computeIfAbsent(this.matcher.bucket(input), (key) -> new AtomicInteger())
			.incrementAndGet();
		if (count <= this.numRequests) {
			return -1;
		}
		this.rejected.increment();
		return Math.max(0, this.intervalMillis - (now - current.start));
	}

	String id() {
		return this.id;
	}

	RateLimitMatcher matcher() {
		return this.matcher;
	}

	int numRequests() {
		return this.numRequests;
	}

	long intervalMillis() {
		return this.intervalMillis;
	}

	long rejected() {
		return this.rejected.sum();
	}

	@Nullable Function<RateLimitResult, String> message() {
		return this.message;
	}

	void setMessage(Function<RateLimitResult, String> message) {
		this.message = message;
	}

	private static final class Window {

		final long start;

		final ConcurrentHashMap<String, AtomicInteger> counts = new ConcurrentHashMap<>();

		Window(long start) {
			this.start = start;
		}

	}

}
