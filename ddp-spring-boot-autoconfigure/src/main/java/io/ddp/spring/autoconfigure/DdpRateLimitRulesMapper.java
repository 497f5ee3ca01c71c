package io.ddp.spring.autoconfigure;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.BiFunction;
import java.util.function.Function;

import io.ddp.spring.autoconfigure.DdpServerProperties.RateLimit;
import io.ddp.spring.server.ratelimit.DdpRateLimitRule;
import io.ddp.spring.server.ratelimit.RateLimitInput;
import io.ddp.spring.server.ratelimit.RateLimitMatcher;
import org.jspecify.annotations.Nullable;

/**
 * Turns the {@code ddp.server.rate-limit.rules.*} properties into rules.
 */
final class DdpRateLimitRulesMapper {

	/**
	 * The value that matches anything and counts each value on its own.
	 */
	static final String EACH = "*";

	private DdpRateLimitRulesMapper() {
	}

	static List<DdpRateLimitRule> rules(RateLimit properties) {
		List<DdpRateLimitRule> rules = new ArrayList<>();
		for (Map.Entry<String, RateLimit.Rule> entry : properties.getRules().entrySet()) {
			rules.add(rule(entry.getKey(), entry.getValue()));
		}
		return rules;
	}

	private static DdpRateLimitRule rule(String id, RateLimit.Rule rule) {
		String prefix = "ddp.server.rate-limit.rules." + id + ".";
		if (rule.getRequests() < 0) {
			throw new IllegalStateException(prefix + "requests must not be negative, was " + rule.getRequests());
		}
		if (rule.getInterval().isNegative() || rule.getInterval().isZero()) {
			throw new IllegalStateException(prefix + "interval must be positive, was " + rule.getInterval());
		}
		RateLimitMatcher matcher = RateLimitMatcher.any();
		if (rule.getType() != null) {
			matcher = matcher.type((rule.getType() == RateLimit.RequestType.METHOD) ? RateLimitInput.Type.METHOD
					: RateLimitInput.Type.SUBSCRIPTION);
		}
		matcher = key(matcher, rule.getName(), RateLimitMatcher::name, (m) -> m.name((String name) -> true));
		matcher = key(matcher, rule.getUserId(), RateLimitMatcher::userId, RateLimitMatcher::perUser);
		matcher = key(matcher, rule.getConnectionId(), RateLimitMatcher::connectionId, RateLimitMatcher::perConnection);
		matcher = key(matcher, rule.getClientAddress(), RateLimitMatcher::clientAddress,
				RateLimitMatcher::perClientAddress);
		return new DdpRateLimitRule(id, matcher, rule.getRequests(), rule.getInterval(), rule.getMessage());
	}

	private static RateLimitMatcher key(RateLimitMatcher matcher, @Nullable String value,
			BiFunction<RateLimitMatcher, String, RateLimitMatcher> literal,
			Function<RateLimitMatcher, RateLimitMatcher> each) {
		if (value == null) {
			return matcher;
		}
		return EACH.equals(value) ? each.apply(matcher) : literal.apply(matcher, value);
	}

}
