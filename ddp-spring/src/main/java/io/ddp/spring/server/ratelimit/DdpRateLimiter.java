package io.ddp.spring.server.ratelimit;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.BiConsumer;
import java.util.function.Function;
import java.util.function.LongSupplier;

import io.ddp.spring.protocol.DdpException;
import io.ddp.spring.protocol.MeteorRandom;
import org.jspecify.annotations.Nullable;

/**
 * Meteor's {@code DDPRateLimiter}: rules that limit how many method calls or
 * subscriptions a connection, a user or a client address may make in a fixed window. The
 * server asks it before running a registered method and before starting a registered
 * publication (after the duplicate-id check of {@code sub}, as Meteor); a rejected method
 * gets a {@code result} error and a rejected subscription a {@code nosub} error, both
 * {@code too-many-requests} with {@code details.timeToReset}.
 * <p>
 * The rules follow Meteor's: a request first <em>increments</em> the count of every rule
 * it matches, then is rejected when any of those counts is greater than the rule's number
 * of requests (so the {@code n+1}-th request in a window fails, and rejected requests
 * count). Windows are fixed per rule: the first request after a window has ended starts a
 * new one and clears every count of that rule.
 * <p>
 * Thread-safety: {@link #check} runs on the sessions' worker threads, many at once. Rules
 * sit in a copy-on-write list; a rule's counts are a concurrent map replaced as a whole
 * when its window ends, so a check takes no lock shared by all sessions. Adding and
 * removing rules may happen at any time.
 *
 * @since 0.1.0
 */
public class DdpRateLimiter {

	/**
	 * The error code of a rejected request.
	 */
	public static final String ERROR = "too-many-requests";

	private static final Function<RateLimitResult, String> DEFAULT_MESSAGE = (result) -> "Error, too many requests. "
			+ "Please slow down. You must wait " + (long) Math.ceil(result.timeToReset() / 1000.0)
			+ " seconds before trying again.";

	private final List<RateLimitRule> rules = new CopyOnWriteArrayList<>();

	private final List<BiConsumer<RateLimitInput, RateLimitResult>> rejectionListeners = new CopyOnWriteArrayList<>();

	private final LongSupplier clock;

	private volatile Function<RateLimitResult, String> errorMessage = DEFAULT_MESSAGE;

	/**
	 * Create a rate limiter with no rules, on the system clock.
	 */
	public DdpRateLimiter() {
		this(System::currentTimeMillis);
	}

	/**
	 * Create a rate limiter with no rules.
	 * @param clock the current time in milliseconds
	 */
	public DdpRateLimiter(LongSupplier clock) {
		this.clock = clock;
	}

	/**
	 * Add a rule with a generated id (Meteor's {@code DDPRateLimiter.addRule}).
	 * @param matcher the requests the rule counts
	 * @param numRequests how many requests a window allows
	 * @param interval the window
	 * @return the rule's id, for {@link #removeRule(String)}
	 */
	public String addRule(RateLimitMatcher matcher, int numRequests, Duration interval) {
		return addRule(MeteorRandom.secure().id(), matcher, numRequests, interval);
	}

	/**
	 * Add a rule under an id of the caller's choosing (the id also tags the rejection
	 * meter, so keep it stable and low in number).
	 * @param id the rule's id, unique among the rules
	 * @param matcher the requests the rule counts
	 * @param numRequests how many requests a window allows
	 * @param interval the window
	 * @return the id
	 * @throws IllegalArgumentException when the id is taken or the numbers are not
	 * positive
	 */
	public String addRule(String id, RateLimitMatcher matcher, int numRequests, Duration interval) {
		Objects.requireNonNull(id, "id must not be null");
		Objects.requireNonNull(matcher, "matcher must not be null");
		if (numRequests < 0) {
			throw new IllegalArgumentException("Rate limit rule '" + id + "': numRequests must not be negative");
		}
		if (interval.isNegative() || interval.isZero()) {
			throw new IllegalArgumentException("Rate limit rule '" + id + "': the interval must be positive");
		}
		synchronized (this.rules) {
			if (find(id) != null) {
				throw new IllegalArgumentException("A rate limit rule with id '" + id + "' exists already");
			}
			this.rules.add(new RateLimitRule(id, matcher, numRequests, interval.toMillis(), this.clock.getAsLong()));
		}
		return id;
	}

	/**
	 * Remove a rule.
	 * @param ruleId the id {@code addRule} returned
	 * @return whether there was such a rule
	 */
	public boolean removeRule(String ruleId) {
		return this.rules.removeIf((rule) -> rule.id().equals(ruleId));
	}

	/**
	 * Set the reason of every rejection that has no message of its rule.
	 * @param message the reason
	 */
	public void setErrorMessage(String message) {
		Objects.requireNonNull(message, "message must not be null");
		setErrorMessage((result) -> message);
	}

	/**
	 * Set how the reason of a rejection is made, from its result.
	 * @param message makes the reason
	 */
	public void setErrorMessage(Function<RateLimitResult, String> message) {
		this.errorMessage = Objects.requireNonNull(message, "message must not be null");
	}

	/**
	 * Set the reason of the rejections a rule causes.
	 * @param ruleId the rule
	 * @param message the reason
	 * @throws IllegalArgumentException when there is no such rule
	 */
	public void setErrorMessageOnRule(String ruleId, String message) {
		Objects.requireNonNull(message, "message must not be null");
		setErrorMessageOnRule(ruleId, (result) -> message);
	}

	/**
	 * Set how the reason of the rejections a rule causes is made.
	 * @param ruleId the rule
	 * @param message makes the reason
	 * @throws IllegalArgumentException when there is no such rule
	 */
	public void setErrorMessageOnRule(String ruleId, Function<RateLimitResult, String> message) {
		RateLimitRule rule = find(ruleId);
		if (rule == null) {
			throw new IllegalArgumentException("No rate limit rule with id '" + ruleId + "'");
		}
		rule.setMessage(Objects.requireNonNull(message, "message must not be null"));
	}

	/**
	 * Be told of every rejected request (meters use it).
	 * @param listener called with the request and the result, on the checking thread
	 */
	public void addRejectionListener(BiConsumer<RateLimitInput, RateLimitResult> listener) {
		this.rejectionListeners.add(listener);
	}

	/**
	 * Count a request against every rule it matches, then decide.
	 * @param input the request
	 * @return whether it may run, and when the longest failing window resets
	 */
	public RateLimitResult check(RateLimitInput input) {
		if (this.rules.isEmpty()) {
			return RateLimitResult.ALLOWED;
		}
		long now = this.clock.getAsLong();
		long timeToReset = -1;
		String failedRule = null;
		for (RateLimitRule rule : this.rules) {
			long ruleReset = rule.increment(input, now);
			if (ruleReset >= 0) {
				failedRule = rule.id();
				timeToReset = Math.max(timeToReset, ruleReset);
			}
		}
		if (failedRule == null) {
			return RateLimitResult.ALLOWED;
		}
		RateLimitResult result = new RateLimitResult(false, timeToReset, failedRule);
		for (BiConsumer<RateLimitInput, RateLimitResult> listener : this.rejectionListeners) {
			listener.accept(input, result);
		}
		return result;
	}

	/**
	 * Count a request, and return the error to send when it is rejected.
	 * @param input the request
	 * @return {@code null} when the request may run, else Meteor's
	 * {@code too-many-requests} error
	 */
	public @Nullable DdpException reject(RateLimitInput input) {
		RateLimitResult result = check(input);
		if (result.allowed()) {
			return null;
		}
		return new DdpException(ERROR, errorMessage(result), Map.of("timeToReset", result.timeToReset()));
	}

	/**
	 * Return the reason a rejection is sent with.
	 * @param result a rejection
	 * @return the reason: its rule's message, else the limiter's
	 */
	public String errorMessage(RateLimitResult result) {
		RateLimitRule rule = (result.ruleId() != null) ? find(result.ruleId()) : null;
		Function<RateLimitResult, String> message = (rule != null) ? rule.message() : null;
		return ((message != null) ? message : this.errorMessage).apply(result);
	}

	/**
	 * Describe the rules, for operations.
	 * @return one description a rule, in the order they were added
	 */
	public List<RuleDescription> rules() {
		List<RuleDescription> descriptions = new ArrayList<>();
		for (RateLimitRule rule : this.rules) {
			descriptions.add(new RuleDescription(rule.id(), rule.matcher().toString(), rule.numRequests(),
					Duration.ofMillis(rule.intervalMillis()), rule.rejected()));
		}
		return descriptions;
	}

	private @Nullable RateLimitRule find(String id) {
		for (RateLimitRule rule : this.rules) {
			if (rule.id().equals(id)) {
				return rule;
			}
		}
		return null;
	}

	/**
	 * A rule as operations show it.
	 *
	 * @param id the rule's id
	 * @param matcher what it matches
	 * @param numRequests requests a window allows
	 * @param interval the window
	 * @param rejected requests it rejected so far
	 */
	public record RuleDescription(String id, String matcher, int numRequests, Duration interval, long rejected) {

	}

}
