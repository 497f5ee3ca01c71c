package io.ddp.sample.client;

import java.net.URI;

import org.junit.jupiter.api.BeforeAll;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * The client conformance suite against the genuine Meteor 1.9.3 server of
 * {@code shared/meteor-reference}, at the URL of the system property
 * {@code ddp.meteor.url} (for example {@code ws://127.0.0.1:3999/websocket}; start it
 * with {@code interop/meteor.sh start 3999}). Skipped when the property is absent.
 */
class MeteorClientConformanceTests extends ClientConformanceSuite {

	static final String PROPERTY = "ddp.meteor.url";

	private static URI url;

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

}
