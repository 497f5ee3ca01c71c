package io.ddp.spring.server.ratelimit;

import java.time.Duration;

import org.jspecify.annotations.Nullable;

/**
 * A rate limit rule to add to the server's {@link DdpRateLimiter}: declare one as a bean
 * and the auto-configuration adds it at startup.
 *
 * @param id the rule's id (also the {@code rule} tag of the rejection meter)
 * @param matcher the requests it counts
 * @param numRequests how many requests a window allows
 * @param interval the window
 * @param message the reason of its rejections, {@code null} for the limiter's
 * @since 0.1.0
 */
public record DdpRateLimitRule(String id, RateLimitMatcher matcher, int numRequests, Duration interval,
		@Nullable String message) {

	/**
	 * Add this rule to a limiter.
	 * @param limiter the limiter
	 */
	public void addTo(DdpRateLimiter limiter) {
		limiter.addRule(this.id, this.matcher, this.numRequests, this.interval);
		if (this.message != null) {
			limiter.setErrorMessageOnRule(this.id, this.message);
		}
	}

}
