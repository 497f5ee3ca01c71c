package io.ddp.sample.client;

import java.net.URI;

import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.BeforeAll;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * The client conformance suite against the genuine Meteor 1.9.3 server of
 * {@code shared/meteor-reference}, at the URL of the system property
 * {@code ddp.meteor.url} (for example {@code ws://127.0.0.1:3999/websocket}; start it
 * with {@code interop/meteor.sh start 3999}). Skipped when the property is absent. The
 * account tests beyond the fixture's {@code login} ({@code logout}, the login rate limit)
 * run on our own Meteor fixture {@code interop/meteor/rate-limit-app.js}, at the URL of
 * {@code ddp.meteor.ratelimit-url} (started by {@code interop/meteor.sh start-ratelimit
 * 4011}); they are skipped without it.
 */
class MeteorClientConformanceTests extends ClientConformanceSuite {

	static final String PROPERTY = "ddp.meteor.url";

	static final String RATE_LIMIT_PROPERTY = "ddp.meteor.ratelimit-url";

	private static URI url;

	private static @Nullable URI rateLimitUrl;

	@BeforeAll
	static void meteorUrl() {
		String value = System.getProperty(PROPERTY);
		String skipped = "Skipped: no genuine Meteor server; set -D" + PROPERTY
				+ "=ws://127.0.0.1:3999/websocket after 'interop/meteor.sh start 3999'";
		if (value == null || value.isBlank()) {
			System.err.println("MeteorClientConformanceTests: " + skipped);
		}
		assumeTrue(value != null && !value.isBlank(), skipped);
		url = URI.create(value);
		String rateLimit = System.getProperty(RATE_LIMIT_PROPERTY);
		rateLimitUrl = (rateLimit != null && !rateLimit.isBlank()) ? URI.create(rateLimit) : null;
	}

	@Override
	String host() {
		return url.getHost();
	}

	@Override
	int port() {
		return url.getPort();
	}

	@Override
	String path() {
		return url.getPath();
	}

	@Override
	Server server() {
		return Server.METEOR;
	}

	@Override
	int accountsPort() {
		URI rateLimit = rateLimitUrl;
		assumeTrue(rateLimit != null, "Skipped: no Meteor accounts fixture; set -D" + RATE_LIMIT_PROPERTY
				+ "=ws://127.0.0.1:4011/websocket after 'interop/meteor.sh start-ratelimit 4011'");
		return rateLimit.getPort();
	}

}
