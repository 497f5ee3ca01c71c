package io.ddp.spring.test.tester;

import java.net.URI;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;

import io.ddp.spring.protocol.Ejson;
import io.ddp.spring.server.session.DdpServer;
import io.ddp.spring.test.tester.TesterTransport.Identity;
import org.jspecify.annotations.Nullable;

import org.springframework.util.Assert;

/**
 * The {@link DdpTester}: each call and subscription on a {@link TesterConnection} of its
 * own.
 */
final class DefaultDdpTester implements DdpTester {

	private final DefaultBuilder settings;

	private final TesterTransport transport;

	private final Identity identity;

	private final Ejson ejson;

	private DefaultDdpTester(DefaultBuilder settings, TesterTransport transport, Ejson ejson) {
		this.settings = settings;
		this.transport = transport;
		this.identity = new Identity(settings.userId, settings.clientAddress, Map.copyOf(settings.headers));
		this.ejson = ejson;
	}

	@Override
	public CallSpec call(String method, @Nullable Object... args) {
		try (Connection connection = connect()) {
			return connection.call(method, args);
		}
	}

	@Override
	public SubscriptionSpec subscribe(String publication, @Nullable Object... args) {
		TesterConnection connection = connect();
		try {
			return connection.subscribe(publication, args, true);
		}
		catch (RuntimeException | Error ex) {
			connection.close();
			throw ex;
		}
	}

	@Override
	public TesterConnection connect() {
		return new TesterConnection(this.transport, this.identity, this.ejson, this.settings.timeout);
	}

	@Override
	public Builder mutate() {
		return new DefaultBuilder(this.settings);
	}

	@Override
	public String toString() {
		return "DdpTester for " + this.transport;
	}

	/**
	 * The builder; also the settings of the tester it built.
	 */
	static final class DefaultBuilder implements Builder {

		private @Nullable DdpServer server;

		private final @Nullable URI url;

		private @Nullable String userId;

		private @Nullable String clientAddress;

		private final Map<String, String> headers = new LinkedHashMap<>();

		private @Nullable Ejson ejson;

		private Duration timeout = Duration.ofSeconds(10);

		DefaultBuilder(@Nullable DdpServer server, @Nullable URI url) {
			this.server = server;
			this.url = url;
		}

		private DefaultBuilder(DefaultBuilder other) {
			this.server = other.server;
			this.url = other.url;
			this.userId = other.userId;
			this.clientAddress = other.clientAddress;
			this.headers.putAll(other.headers);
			this.ejson = other.ejson;
			this.timeout = other.timeout;
		}

		@Override
		public Builder userId(@Nullable String userId) {
			this.userId = userId;
			return this;
		}

		@Override
		public Builder clientAddress(@Nullable String clientAddress) {
			this.clientAddress = clientAddress;
			return this;
		}

		@Override
		public Builder header(String name, String value) {
			this.headers.put(name, value);
			return this;
		}

		@Override
		public Builder server(DdpServer server) {
			this.server = server;
			return this;
		}

		@Override
		public Builder ejson(Ejson ejson) {
			this.ejson = ejson;
			return this;
		}

		@Override
		public Builder timeout(Duration timeout) {
			Assert.isTrue(!timeout.isNegative() && !timeout.isZero(), "The timeout must be positive");
			this.timeout = timeout;
			return this;
		}

		@Override
		public DdpTester build() {
			Ejson ejson = (this.ejson != null) ? this.ejson : Ejson.createDefault();
			DefaultBuilder settings = new DefaultBuilder(this);
			URI url = this.url;
			DdpServer server = this.server;
			if (url != null) {
				Assert.state(this.userId == null || server != null,
						"A WebSocket DdpTester with a user id needs the DdpServer it connects to: set server(...)");
				return new DefaultDdpTester(settings,
						new WebSocketTransport(() -> url, server, ejson.mapper(), this.timeout), ejson);
			}
			Assert.state(server != null, "An in-process DdpTester needs a DdpServer");
			return new DefaultDdpTester(settings, new InProcessTransport(server, ejson.mapper()), ejson);
		}

	}

}
