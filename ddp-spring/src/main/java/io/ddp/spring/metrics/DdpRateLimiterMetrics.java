package io.ddp.spring.metrics;

import io.ddp.spring.server.ratelimit.DdpRateLimiter;
import io.ddp.spring.server.ratelimit.RateLimitInput;
import io.ddp.spring.server.ratelimit.RateLimitResult;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.MeterBinder;

/**
 * Counts the requests the server's {@link DdpRateLimiter} rejected:
 * {@code ddp.server.rate.limited}, tagged with the request {@code type} ({@code method},
 * {@code subscription}), its {@code name} (only registered names reach the limiter, so
 * the tag stays low in cardinality) and the {@code rule} that rejected it.
 *
 * @since 0.1.0
 */
public class DdpRateLimiterMetrics implements MeterBinder {

	private final DdpRateLimiter limiter;

	/**
	 * Create the binder.
	 * @param limiter the limiter to count
	 */
	public DdpRateLimiterMetrics(DdpRateLimiter limiter) {
		this.limiter = limiter;
	}

	@Override
	public void bindTo(MeterRegistry registry) {
		this.limiter.addRejectionListener((input, result) -> counter(registry, input, result).increment());
	}

	private static Counter counter(MeterRegistry registry, RateLimitInput input, RateLimitResult result) {
		return Counter.builder("ddp.server.rate.limited")
			.description("Requests rejected by a rate limit rule")
			.tag("type", input.type().meteorName())
			.tag("name", input.name())
			.tag("rule", String.valueOf(result.ruleId()))
			.register(registry);
	}

}
