package io.ddp.spring.server.ratelimit;

import org.jspecify.annotations.Nullable;

/**
 * The outcome of checking one request against every matching rule.
 *
 * @param allowed whether the request may run
 * @param timeToReset milliseconds until the longest window among the failing rules resets
 * (0 when allowed)
 * @param ruleId the last failing rule, {@code null} when allowed
 * @since 0.1.0
 */
public record RateLimitResult(boolean allowed, long timeToReset, @Nullable String ruleId) {

	static final RateLimitResult ALLOWED = new RateLimitResult(true, 0, null);

}
