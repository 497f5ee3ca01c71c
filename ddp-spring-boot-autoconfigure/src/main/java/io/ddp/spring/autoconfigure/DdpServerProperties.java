package io.ddp.spring.autoconfigure;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import io.ddp.spring.server.DdpInputLimits;
import io.ddp.spring.server.publication.PublicationStrategy;
import org.jspecify.annotations.Nullable;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.util.unit.DataSize;

/**
 * Configuration properties of the DDP server.
 *
 * @since 0.1.0
 */
@ConfigurationProperties("ddp.server")
public class DdpServerProperties {

	/**
	 * Whether to serve DDP.
	 */
	private boolean enabled = true;

	/**
	 * Origin patterns allowed to open DDP connections; Meteor allows every origin.
	 */
	private List<String> allowedOriginPatterns = new ArrayList<>(List.of("*"));

	/**
	 * Largest inbound DDP message; a larger one closes the socket with 1009.
	 */
	private DataSize maxMessageSize = DataSize.ofMegabytes(16);

	/**
	 * Time a socket may stay open without sending 'connect'.
	 */
	private Duration connectTimeout = Duration.ofSeconds(45);

	/**
	 * Number of proxies in front of the server that append to X-Forwarded-For; 0 uses the
	 * socket's remote address as the client address.
	 */
	private int forwardedCount = 0;

	/**
	 * Publication strategy per collection name (SERVER_MERGE, NO_MERGE_NO_HISTORY,
	 * NO_MERGE, NO_MERGE_MULTI); collections not listed use SERVER_MERGE.
	 */
	private Map<String, PublicationStrategy> publicationStrategies = new LinkedHashMap<>();

	private final Heartbeat heartbeat = new Heartbeat();

	private final WebSocket websocket = new WebSocket();

	private final SockJs sockjs = new SockJs();

	private final Limits limits = new Limits();

	private final Send send = new Send();

	private final Shutdown shutdown = new Shutdown();

	private final RateLimit rateLimit = new RateLimit();

	public boolean isEnabled() {
		return this.enabled;
	}

	public void setEnabled(boolean enabled) {
		this.enabled = enabled;
	}

	public List<String> getAllowedOriginPatterns() {
		return this.allowedOriginPatterns;
	}

	public void setAllowedOriginPatterns(List<String> allowedOriginPatterns) {
		this.allowedOriginPatterns = allowedOriginPatterns;
	}

	public DataSize getMaxMessageSize() {
		return this.maxMessageSize;
	}

	public void setMaxMessageSize(DataSize maxMessageSize) {
		this.maxMessageSize = maxMessageSize;
	}

	public Duration getConnectTimeout() {
		return this.connectTimeout;
	}

	public void setConnectTimeout(Duration connectTimeout) {
		this.connectTimeout = connectTimeout;
	}

	public int getForwardedCount() {
		return this.forwardedCount;
	}

	public void setForwardedCount(int forwardedCount) {
		this.forwardedCount = forwardedCount;
	}

	public Map<String, PublicationStrategy> getPublicationStrategies() {
		return this.publicationStrategies;
	}

	public void setPublicationStrategies(Map<String, PublicationStrategy> publicationStrategies) {
		this.publicationStrategies = publicationStrategies;
	}

	public Heartbeat getHeartbeat() {
		return this.heartbeat;
	}

	public WebSocket getWebsocket() {
		return this.websocket;
	}

	public SockJs getSockjs() {
		return this.sockjs;
	}

	public Send getSend() {
		return this.send;
	}

	public Limits getLimits() {
		return this.limits;
	}

	public Shutdown getShutdown() {
		return this.shutdown;
	}

	public RateLimit getRateLimit() {
		return this.rateLimit;
	}

	/**
	 * DDP heartbeats.
	 *
	 * @since 0.1.0
	 */
	public static class Heartbeat {

		/**
		 * Time a session may be silent before the server pings it; 0 disables heartbeats.
		 */
		private Duration interval = Duration.ofSeconds(15);

		/**
		 * Time to wait for any message after a ping before closing the session.
		 */
		private Duration timeout = Duration.ofSeconds(15);

		public Duration getInterval() {
			return this.interval;
		}

		public void setInterval(Duration interval) {
			this.interval = interval;
		}

		public Duration getTimeout() {
			return this.timeout;
		}

		public void setTimeout(Duration timeout) {
			this.timeout = timeout;
		}

	}

	/**
	 * The raw WebSocket endpoint.
	 *
	 * @since 0.1.0
	 */
	public static class WebSocket {

		/**
		 * Whether to serve DDP over raw WebSocket.
		 */
		private boolean enabled = true;

		/**
		 * Path of the raw WebSocket endpoint; the path with a trailing slash is served
		 * too.
		 */
		private String path = "/websocket";

		/**
		 * Size of every per-connection buffer of the servlet container (Tomcat): the
		 * WebSocket message buffers, the frame buffers and the connector's socket
		 * buffers. The raw endpoint joins larger messages itself, so the
		 * 'max-message-size' limit still holds. The default, 1KB, takes an idle
		 * connection from about 68 KiB (Tomcat's own 8 KiB buffers) to about 16 KiB of
		 * heap; 8KB restores Tomcat's sizes.
		 */
		private DataSize connectionBufferSize = DataSize.ofKilobytes(1);

		/**
		 * Connections the servlet container (Tomcat) accepts at once, each DDP session
		 * holding one; Tomcat's own default is 8192. An explicit
		 * 'server.tomcat.max-connections' wins. The process also needs as many file
		 * descriptors (ulimit -n).
		 */
		private int maxConnections = DdpInputLimits.DEFAULT_MAX_SESSIONS;

		/**
		 * Whether a write that the socket takes at once reports its completion on the
		 * thread that wrote (Tomcat), instead of through another thread of Tomcat's
		 * worker pool: one thread wake-up less per write, a quarter to a third of the CPU
		 * of a fan-out frame in this project's benchmark. Tomcat's worker pool is then
		 * created by the starter with the same settings ('server.tomcat.threads.*');
		 * nothing changes where Tomcat is given an executor (virtual threads).
		 */
		private boolean inlineWriteCompletions = true;

		public boolean isEnabled() {
			return this.enabled;
		}

		public void setEnabled(boolean enabled) {
			this.enabled = enabled;
		}

		public String getPath() {
			return this.path;
		}

		public void setPath(String path) {
			this.path = path;
		}

		public DataSize getConnectionBufferSize() {
			return this.connectionBufferSize;
		}

		public void setConnectionBufferSize(DataSize connectionBufferSize) {
			this.connectionBufferSize = connectionBufferSize;
		}

		public int getMaxConnections() {
			return this.maxConnections;
		}

		public void setMaxConnections(int maxConnections) {
			this.maxConnections = maxConnections;
		}

		public boolean isInlineWriteCompletions() {
			return this.inlineWriteCompletions;
		}

		public void setInlineWriteCompletions(boolean inlineWriteCompletions) {
			this.inlineWriteCompletions = inlineWriteCompletions;
		}

	}

	/**
	 * The SockJS endpoint, with Meteor's settings.
	 *
	 * @since 0.1.0
	 */
	public static class SockJs {

		/**
		 * Whether to serve DDP over SockJS.
		 */
		private boolean enabled = true;

		/**
		 * Path prefix of the SockJS endpoint.
		 */
		private String path = "/sockjs";

		/**
		 * Interval of SockJS heartbeat frames.
		 */
		private Duration heartbeat = Duration.ofSeconds(45);

		/**
		 * Time a SockJS session without a receiving connection is kept before it closes.
		 */
		private Duration disconnectDelay = Duration.ofSeconds(60);

		/**
		 * Bytes sent over one HTTP streaming response before it is recycled.
		 */
		private DataSize streamBytesLimit = DataSize.ofKilobytes(128);

		/**
		 * URL of the sockjs-client script that the SockJS iframe page ('iframe.html', for
		 * the iframe-based transports) loads, such as '/assets/sockjs.min.js' served by
		 * the application itself. When not set, Spring's default: sockjs-client 1.x from
		 * the jsdelivr CDN, fetched from the internet by the browser. Its version must be
		 * the one the page's own sockjs-client has. Spring serves the iframe page only
		 * when 'ddp.server.allowed-origin-patterns' is empty (same origin only).
		 */
		private @Nullable String clientLibraryUrl;

		public boolean isEnabled() {
			return this.enabled;
		}

		public void setEnabled(boolean enabled) {
			this.enabled = enabled;
		}

		public String getPath() {
			return this.path;
		}

		public void setPath(String path) {
			this.path = path;
		}

		public Duration getHeartbeat() {
			return this.heartbeat;
		}

		public void setHeartbeat(Duration heartbeat) {
			this.heartbeat = heartbeat;
		}

		public Duration getDisconnectDelay() {
			return this.disconnectDelay;
		}

		public void setDisconnectDelay(Duration disconnectDelay) {
			this.disconnectDelay = disconnectDelay;
		}

		public DataSize getStreamBytesLimit() {
			return this.streamBytesLimit;
		}

		public void setStreamBytesLimit(DataSize streamBytesLimit) {
			this.streamBytesLimit = streamBytesLimit;
		}

		public @Nullable String getClientLibraryUrl() {
			return this.clientLibraryUrl;
		}

		public void setClientLibraryUrl(@Nullable String clientLibraryUrl) {
			this.clientLibraryUrl = clientLibraryUrl;
		}

	}

	/**
	 * Bounds on what clients may make the server hold; Meteor has none of them.
	 *
	 * @since 0.1.0
	 */
	public static class Limits {

		/**
		 * Open sockets the server accepts; one more is closed at once with 1013 "Try
		 * again later".
		 */
		private int maxSessions = DdpInputLimits.DEFAULT_MAX_SESSIONS;

		/**
		 * Live subscriptions of one session; one more is answered with 'nosub' and a 429
		 * error.
		 */
		private int maxSubscriptionsPerSession = 10_000;

		/**
		 * Messages of one session waiting for their turn; a client that sends more
		 * without waiting for answers is closed with 1008.
		 */
		private int maxQueuedMessagesPerSession = 10_000;

		/**
		 * Methods of one session that called unblock() and have not sent their result;
		 * past it an unblock() waits until one finishes, so the session's next message
		 * waits its turn.
		 */
		private int maxMethodsInFlightPerSession = 1_000;

		/**
		 * Documents one session's merge box holds; a subscription that would add one more
		 * is stopped with 'nosub' and a 429 error, and the session keeps working.
		 */
		private int maxDocumentsPerSession = 100_000;

		public int getMaxSessions() {
			return this.maxSessions;
		}

		public void setMaxSessions(int maxSessions) {
			this.maxSessions = maxSessions;
		}

		public int getMaxSubscriptionsPerSession() {
			return this.maxSubscriptionsPerSession;
		}

		public void setMaxSubscriptionsPerSession(int maxSubscriptionsPerSession) {
			this.maxSubscriptionsPerSession = maxSubscriptionsPerSession;
		}

		public int getMaxQueuedMessagesPerSession() {
			return this.maxQueuedMessagesPerSession;
		}

		public void setMaxQueuedMessagesPerSession(int maxQueuedMessagesPerSession) {
			this.maxQueuedMessagesPerSession = maxQueuedMessagesPerSession;
		}

		public int getMaxMethodsInFlightPerSession() {
			return this.maxMethodsInFlightPerSession;
		}

		public void setMaxMethodsInFlightPerSession(int maxMethodsInFlightPerSession) {
			this.maxMethodsInFlightPerSession = maxMethodsInFlightPerSession;
		}

		public int getMaxDocumentsPerSession() {
			return this.maxDocumentsPerSession;
		}

		public void setMaxDocumentsPerSession(int maxDocumentsPerSession) {
			this.maxDocumentsPerSession = maxDocumentsPerSession;
		}

	}

	/**
	 * Limits for peers that read slower than the server writes.
	 *
	 * @since 0.1.0
	 */
	public static class Send {

		/**
		 * Longest time one write to a client may take; past it the session is closed with
		 * 1008, noticed within a quarter of a second even when nothing more is sent to
		 * it. A stalled client's write then also waits no longer for its close frame.
		 */
		private Duration timeLimit = Duration.ofSeconds(30);

		/**
		 * Outbound characters (bytes for ASCII text) that may wait for one client,
		 * counting the write in progress; past it the session is closed with 1008. Sends
		 * never wait for a client: a slow one costs its own memory up to this limit.
		 */
		private DataSize bufferSizeLimit = DataSize.ofMegabytes(16);

		public Duration getTimeLimit() {
			return this.timeLimit;
		}

		public void setTimeLimit(Duration timeLimit) {
			this.timeLimit = timeLimit;
		}

		public DataSize getBufferSizeLimit() {
			return this.bufferSizeLimit;
		}

		public void setBufferSizeLimit(DataSize bufferSizeLimit) {
			this.bufferSizeLimit = bufferSizeLimit;
		}

	}

	/**
	 * Graceful shutdown, before the web server stops: refuse new connections, let running
	 * methods finish, then close sessions gradually so clients reconnect elsewhere
	 * without a thundering herd. Both durations together should fit in
	 * 'spring.lifecycle.timeout-per-shutdown-phase'.
	 *
	 * @since 0.1.0
	 */
	public static class Shutdown {

		/**
		 * Whether to shut the DDP server down gracefully when the application stops.
		 */
		private boolean enabled = true;

		/**
		 * Longest time to wait for running method calls to send their results.
		 */
		private Duration awaitMethods = Duration.ofSeconds(10);

		/**
		 * Time over which open sessions are closed, one at a time at even intervals.
		 */
		private Duration closePeriod = Duration.ofSeconds(10);

		public boolean isEnabled() {
			return this.enabled;
		}

		public void setEnabled(boolean enabled) {
			this.enabled = enabled;
		}

		public Duration getAwaitMethods() {
			return this.awaitMethods;
		}

		public void setAwaitMethods(Duration awaitMethods) {
			this.awaitMethods = awaitMethods;
		}

		public Duration getClosePeriod() {
			return this.closePeriod;
		}

		public void setClosePeriod(Duration closePeriod) {
			this.closePeriod = closePeriod;
		}

	}

	/**
	 * Rate limits (Meteor's DDPRateLimiter).
	 */
	public static class RateLimit {

		/**
		 * Rules by id; the id also tags the ddp.server.rate.limited meter.
		 */
		private Map<String, Rule> rules = new LinkedHashMap<>();

		public Map<String, Rule> getRules() {
			return this.rules;
		}

		public void setRules(Map<String, Rule> rules) {
			this.rules = rules;
		}

		/**
		 * One rule. Each of name, user-id, connection-id and client-address is either
		 * unset (ignored), a value the request's must equal, or '*' (any value, each
		 * value counted on its own, as Meteor's '() => true').
		 */
		public static class Rule {

			/**
			 * Type of request the rule counts; both when unset.
			 */
			private @Nullable RequestType type;

			/**
			 * Method or publication name, or '*'.
			 */
			private @Nullable String name;

			/**
			 * User id, or '*'.
			 */
			private @Nullable String userId;

			/**
			 * Connection (DDP session) id, or '*' to count each connection on its own.
			 */
			private @Nullable String connectionId;

			/**
			 * Client address, or '*' to count each address on its own.
			 */
			private @Nullable String clientAddress;

			/**
			 * Requests a window allows; the next one is rejected.
			 */
			private int requests = 10;

			/**
			 * Length of a window.
			 */
			private Duration interval = Duration.ofSeconds(1);

			/**
			 * Reason sent with this rule's rejections; Meteor's message when unset.
			 */
			private @Nullable String message;

			public @Nullable RequestType getType() {
				return this.type;
			}

			public void setType(@Nullable RequestType type) {
				this.type = type;
			}

			public @Nullable String getName() {
				return this.name;
			}

			public void setName(@Nullable String name) {
				this.name = name;
			}

			public @Nullable String getUserId() {
				return this.userId;
			}

			public void setUserId(@Nullable String userId) {
				this.userId = userId;
			}

			public @Nullable String getConnectionId() {
				return this.connectionId;
			}

			public void setConnectionId(@Nullable String connectionId) {
				this.connectionId = connectionId;
			}

			public @Nullable String getClientAddress() {
				return this.clientAddress;
			}

			public void setClientAddress(@Nullable String clientAddress) {
				this.clientAddress = clientAddress;
			}

			public int getRequests() {
				return this.requests;
			}

			public void setRequests(int requests) {
				this.requests = requests;
			}

			public Duration getInterval() {
				return this.interval;
			}

			public void setInterval(Duration interval) {
				this.interval = interval;
			}

			public @Nullable String getMessage() {
				return this.message;
			}

			public void setMessage(@Nullable String message) {
				this.message = message;
			}

		}

		/**
		 * The request types a rule can count.
		 */
		public enum RequestType {

			/**
			 * Method calls.
			 */
			METHOD,

			/**
			 * Subscriptions.
			 */
			SUBSCRIPTION

		}

	}

}
