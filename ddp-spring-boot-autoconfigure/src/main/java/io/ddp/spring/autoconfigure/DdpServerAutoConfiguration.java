package io.ddp.spring.autoconfigure;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executor;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

import io.ddp.spring.protocol.Ejson;
import io.ddp.spring.server.DdpConnectionEvent;
import io.ddp.spring.server.DdpConnectionListener;
import io.ddp.spring.server.DdpInputLimits;
import io.ddp.spring.server.DdpServerObserver;
import io.ddp.spring.server.DdpServerOptions;
import io.ddp.spring.server.method.DdpArgumentResolver;
import io.ddp.spring.server.method.DdpErrorSanitizer;
import io.ddp.spring.server.method.DdpMethodAnnotationBeanPostProcessor;
import io.ddp.spring.server.method.DdpMethodCaller;
import io.ddp.spring.server.method.DdpMethodInterceptor;
import io.ddp.spring.server.method.DdpMethodRegistry;
import io.ddp.spring.server.method.MethodDispatcher;
import io.ddp.spring.server.publication.DdpPublicationAnnotationBeanPostProcessor;
import io.ddp.spring.server.publication.DdpPublicationRegistry;
import io.ddp.spring.server.publication.PublicationStrategy;
import io.ddp.spring.server.publication.PublicationStrategyResolver;
import io.ddp.spring.server.ratelimit.DdpRateLimitRule;
import io.ddp.spring.server.ratelimit.DdpRateLimiter;
import io.ddp.spring.server.session.DdpServer;
import io.ddp.spring.server.session.DdpServerLifecycle;
import io.ddp.spring.server.websocket.DdpWebSocketHandler;
import io.ddp.spring.server.websocket.MeteorHandshakeHandler;
import io.ddp.spring.server.websocket.MeteorXhrReceivingTransportHandler;
import io.ddp.spring.server.websocket.SockJsInfoHandler;
import io.ddp.spring.server.websocket.SockJsWebSocketTransportHandler;
import org.apache.catalina.startup.Tomcat;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.SmartInitializingSingleton;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication;
import org.springframework.boot.autoconfigure.task.TaskExecutionAutoConfiguration;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.tomcat.ConfigurableTomcatWebServerFactory;
import org.springframework.boot.tomcat.TomcatConnectorCustomizer;
import org.springframework.boot.tomcat.TomcatContextCustomizer;
import org.springframework.boot.web.server.WebServerFactoryCustomizer;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.Ordered;
import org.springframework.core.env.Environment;
import org.springframework.web.servlet.handler.SimpleUrlHandlerMapping;
import org.springframework.web.socket.config.annotation.EnableWebSocket;
import org.springframework.web.socket.config.annotation.SockJsServiceRegistration;
import org.springframework.web.socket.config.annotation.WebSocketConfigurer;
import org.springframework.web.socket.config.annotation.WebSocketHandlerRegistry;

/**
 * {@link org.springframework.boot.autoconfigure.EnableAutoConfiguration
 * Auto-configuration} for the DDP server: serves every
 * {@link io.ddp.spring.server.method.DdpMethod} and
 * {@link io.ddp.spring.server.publication.DdpPublication} over raw WebSocket at
 * {@code /websocket} and over SockJS at {@code /sockjs}, as a Meteor server does. Every
 * bean backs off when the application defines its own.
 *
 * @since 0.1.0
 */
@AutoConfiguration(after = { DdpEjsonAutoConfiguration.class, TaskExecutionAutoConfiguration.class })
@ConditionalOnWebApplication(type = ConditionalOnWebApplication.Type.SERVLET)
@ConditionalOnClass({ WebSocketConfigurer.class, Ejson.class })
@ConditionalOnBooleanProperty(name = "ddp.server.enabled", matchIfMissing = true)
@EnableConfigurationProperties(DdpServerProperties.class)
public final class DdpServerAutoConfiguration {

	private static final Log logger = LogFactory.getLog(DdpServerAutoConfiguration.class);

	private static final String TOMCAT_FRAME_BUFFER_PROPERTY = "org.apache.tomcat.websocket.DEFAULT_BUFFER_SIZE";

	@Bean
	@ConditionalOnMissingBean
	DdpMethodRegistry ddpMethodRegistry() {
		return new DdpMethodRegistry();
	}

	@Bean
	@ConditionalOnMissingBean
	static DdpMethodAnnotationBeanPostProcessor ddpMethodAnnotationBeanPostProcessor(
			ObjectProvider<DdpArgumentResolver> argumentResolvers) {
		return new DdpMethodAnnotationBeanPostProcessor(() -> argumentResolvers.orderedStream().toList());
	}

	@Bean
	@ConditionalOnMissingBean
	DdpPublicationRegistry ddpPublicationRegistry() {
		return new DdpPublicationRegistry();
	}

	@Bean
	@ConditionalOnMissingBean
	static DdpPublicationAnnotationBeanPostProcessor ddpPublicationAnnotationBeanPostProcessor(
			ObjectProvider<DdpArgumentResolver> argumentResolvers) {
		return new DdpPublicationAnnotationBeanPostProcessor(() -> argumentResolvers.orderedStream().toList());
	}

	@Bean
	@ConditionalOnMissingBean
	PublicationStrategyResolver ddpPublicationStrategyResolver(DdpServerProperties properties) {
		Map<String, PublicationStrategy> strategies = Map.copyOf(properties.getPublicationStrategies());
		return strategies::get;
	}

	@Bean
	@ConditionalOnMissingBean
	DdpRateLimiter ddpRateLimiter(DdpServerProperties properties, ObjectProvider<DdpRateLimitRule> rules) {
		DdpRateLimiter limiter = new DdpRateLimiter();
		DdpRateLimitRulesMapper.rules(properties.getRateLimit()).forEach((rule) -> rule.addTo(limiter));
		rules.orderedStream().forEach((rule) -> rule.addTo(limiter));
		return limiter;
	}

	@Bean
	@ConditionalOnMissingBean
	MethodDispatcher ddpMethodDispatcher(DdpMethodRegistry registry, Ejson ejson,
			ObjectProvider<DdpErrorSanitizer> sanitizers, DdpRateLimiter rateLimiter,
			ObjectProvider<DdpMethodInterceptor> interceptors) {
		return new MethodDispatcher(registry, ejson, sanitizers.orderedStream().toList(), rateLimiter,
				interceptors.orderedStream().toList());
	}

	@Bean
	@ConditionalOnMissingBean
	DdpMethodCaller ddpMethodCaller(DdpMethodRegistry registry, Ejson ejson) {
		return new DdpMethodCaller(registry, ejson);
	}

	@Bean
	@ConditionalOnMissingBean
	DdpConnectionEventPublisher ddpConnectionEventPublisher(ApplicationEventPublisher publisher) {
		return new DdpConnectionEventPublisher(publisher);
	}

	@Bean(destroyMethod = "close")
	@ConditionalOnMissingBean
	DdpServer ddpServer(MethodDispatcher dispatcher, DdpPublicationRegistry publications,
			PublicationStrategyResolver strategies, DdpServerProperties properties,
			@Qualifier(TaskExecutionAutoConfiguration.APPLICATION_TASK_EXECUTOR_BEAN_NAME) ObjectProvider<Executor> applicationTaskExecutor,
			ObjectProvider<DdpConnectionListener> listeners, ObjectProvider<DdpServerObserver> observers) {
		Executor executor = applicationTaskExecutor.getIfAvailable(DdpServerAutoConfiguration::fallbackExecutor);
		DdpServerOptions options = new DdpServerOptions(properties.getHeartbeat().getInterval(),
				properties.getHeartbeat().getTimeout(), properties.getConnectTimeout(), properties.getForwardedCount(),
				properties.getMaxMessageSize().toBytes());
		DdpServer server = new DdpServer(dispatcher, publications, (collection) -> {
			PublicationStrategy strategy = strategies.strategyFor(collection);
			return (strategy != null) ? strategy : PublicationStrategy.SERVER_MERGE;
		}, executor, options, listeners.orderedStream().toList(),
				DdpServerObserver.composite(observers.orderedStream().toList()));
		DdpServerProperties.Limits limits = properties.getLimits();
		server.setInputLimits(new DdpInputLimits(limits.getMaxSessions(), limits.getMaxSubscriptionsPerSession(),
				limits.getMaxQueuedMessagesPerSession(), limits.getMaxMethodsInFlightPerSession(),
				limits.getMaxDocumentsPerSession()));
		return server;
	}

	@Bean
	DdpServerStartupLogger ddpServerStartupLogger(DdpMethodRegistry methods, DdpPublicationRegistry publications,
			DdpServerProperties properties) {
		return new DdpServerStartupLogger(methods, publications, properties);
	}

	@Bean
	@ConditionalOnMissingBean
	@ConditionalOnBooleanProperty(name = "ddp.server.shutdown.enabled", matchIfMissing = true)
	DdpServerLifecycle ddpServerLifecycle(DdpServer server, DdpServerProperties properties) {
		DdpServerProperties.Shutdown shutdown = properties.getShutdown();
		return new DdpServerLifecycle(server, shutdown.getAwaitMethods(), shutdown.getClosePeriod());
	}

	// Only when the application has no task executor (Boot normally provides one).
	private static Executor fallbackExecutor() {
		int threads = Math.max(2, Runtime.getRuntime().availableProcessors() * 2);
		ThreadPoolExecutor executor = new ThreadPoolExecutor(threads, threads, 60, TimeUnit.SECONDS,
				new LinkedBlockingQueue<>());
		executor.allowCoreThreadTimeOut(true);
		return executor;
	}

	@Configuration(proxyBeanMethods = false)
	@EnableWebSocket
	static class DdpWebSocketConfiguration implements WebSocketConfigurer {

		private final DdpServer server;

		private final DdpServerProperties properties;

		DdpWebSocketConfiguration(DdpServer server, DdpServerProperties properties) {
			this.server = server;
			this.properties = properties;
		}

		@Override
		public void registerWebSocketHandlers(WebSocketHandlerRegistry registry) {
			String[] origins = this.properties.getAllowedOriginPatterns().toArray(String[]::new);
			MeteorHandshakeHandler handshakeHandler = new MeteorHandshakeHandler();
			DdpServerProperties.WebSocket websocket = this.properties.getWebsocket();
			if (websocket.isEnabled()) {
				String path = trimTrailingSlash(websocket.getPath());
				registry.addHandler(handler("websocket", true), path, path + "/")
					.setHandshakeHandler(handshakeHandler)
					.setAllowedOriginPatterns(origins);
			}
			DdpServerProperties.SockJs sockjs = this.properties.getSockjs();
			if (sockjs.isEnabled()) {
				SockJsServiceRegistration registration = registry
					.addHandler(handler("sockjs", false), trimTrailingSlash(sockjs.getPath()))
					.setAllowedOriginPatterns(origins)
					.withSockJS();
				registration
					// Frames in parts up to the message limit; SockJS's escaping may
					// double
					// a message's length.
					.setTransportHandlerOverrides(
							new SockJsWebSocketTransportHandler(handshakeHandler,
									2 * this.properties.getMaxMessageSize().toBytes()),
							new MeteorXhrReceivingTransportHandler())
					// Meteor's SockJS settings: no JSESSIONID cookie, 45 s heartbeat, 60
					// s disconnect delay.
					.setSessionCookieNeeded(false)
					.setHeartbeatTime(sockjs.getHeartbeat().toMillis())
					.setDisconnectDelay(sockjs.getDisconnectDelay().toMillis())
					.setStreamBytesLimit((int) sockjs.getStreamBytesLimit().toBytes())
					// Messages waiting for a polling client's next request, as many as
					// a session's inbound queue; past it the session is closed (1008).
					.setHttpMessageCacheSize(this.properties.getLimits().getMaxQueuedMessagesPerSession());
				String clientLibraryUrl = sockjs.getClientLibraryUrl();
				if (clientLibraryUrl != null) {
					registration.setClientLibraryUrl(clientLibraryUrl);
				}
			}
		}

		// Ahead of Spring's SockJS handler mapping: Meteor's info answer (unsigned
		// entropy).
		// By name: the application has other handler mappings of the same type.
		@Bean
		@ConditionalOnMissingBean(name = "ddpSockJsInfoHandlerMapping")
		@ConditionalOnBooleanProperty(name = "ddp.server.sockjs.enabled", matchIfMissing = true)
		SimpleUrlHandlerMapping ddpSockJsInfoHandlerMapping() {
			String path = trimTrailingSlash(this.properties.getSockjs().getPath()) + "/info";
			SimpleUrlHandlerMapping mapping = new SimpleUrlHandlerMapping(
					Map.of(path, new SockJsInfoHandler(this.properties.getAllowedOriginPatterns())));
			mapping.setOrder(Ordered.HIGHEST_PRECEDENCE);
			return mapping;
		}

		private DdpWebSocketHandler handler(String transport, boolean partialMessages) {
			DdpServerProperties.Send send = this.properties.getSend();
			return new DdpWebSocketHandler(this.server, transport, partialMessages,
					this.properties.getMaxMessageSize().toBytes(), send.getTimeLimit().toMillis(),
					send.getBufferSizeLimit().toBytes());
		}

		private static String trimTrailingSlash(String path) {
			return (path.length() > 1 && path.endsWith("/")) ? path.substring(0, path.length() - 1) : path;
		}

	}

	@Configuration(proxyBeanMethods = false)
	@ConditionalOnClass({ Tomcat.class, TomcatContextCustomizer.class })
	static class TomcatConnectionBufferConfiguration {

		private static final String TOMCAT_WEBSOCKET_CONSTANTS = "org.apache.tomcat.websocket.Constants";

		// Tomcat reads its default WebSocket message buffer sizes from these context
		// parameters when it creates its WebSocket container, after customizers ran.
		@Bean
		@ConditionalOnMissingBean(name = "ddpWebSocketBufferCustomizer")
		TomcatContextCustomizer ddpWebSocketBufferCustomizer(DdpServerProperties properties) {
			String size = connectionBufferSize(properties);
			return (context) -> {
				context.addParameter("org.apache.tomcat.websocket.textBufferSize", size);
				context.addParameter("org.apache.tomcat.websocket.binaryBufferSize", size);
			};
		}

		@Bean
		@ConditionalOnMissingBean(name = "ddpSocketBufferCustomizer")
		TomcatConnectorCustomizer ddpSocketBufferCustomizer(DdpServerProperties properties) {
			String size = connectionBufferSize(properties);
			return (connector) -> {
				connector.setProperty("socket.appReadBufSize", size);
				connector.setProperty("socket.appWriteBufSize", size);
				applyFrameBufferSize(size, connector.getClass().getClassLoader());
			};
		}

		// Tomcat's default (8192) is below the sessions a DDP server holds.
		@Bean
		@ConditionalOnMissingBean(name = "ddpMaxConnectionsCustomizer")
		DdpMaxConnectionsCustomizer ddpMaxConnectionsCustomizer(DdpServerProperties properties,
				Environment environment) {
			return new DdpMaxConnectionsCustomizer(properties.getWebsocket().getMaxConnections(),
					environment.containsProperty("server.tomcat.max-connections"));
		}

		private static String connectionBufferSize(DdpServerProperties properties) {
			return Long.toString(properties.getWebsocket().getConnectionBufferSize().toBytes());
		}

		// Tomcat sizes each WebSocket's frame buffers from a JVM-wide system property,
		// read once when its constants class initializes: set it, initialize the class,
		// and put the property back so that nothing is left behind.
		private static void applyFrameBufferSize(String size, @Nullable ClassLoader classLoader) {
			if (System.getProperty(TOMCAT_FRAME_BUFFER_PROPERTY) != null) {
				return;
			}
			System.setProperty(TOMCAT_FRAME_BUFFER_PROPERTY, size);
			try {
				Class.forName(TOMCAT_WEBSOCKET_CONSTANTS, true, classLoader);
			}
			catch (ClassNotFoundException | LinkageError ex) {
				logger.debug("Tomcat's WebSocket frame buffers keep their default size", ex);
			}
			finally {
				System.clearProperty(TOMCAT_FRAME_BUFFER_PROPERTY);
			}
		}

	}

	@Configuration(proxyBeanMethods = false)
	@ConditionalOnClass({ Tomcat.class, TomcatConnectorCustomizer.class })
	@ConditionalOnBooleanProperty(name = "ddp.server.websocket.inline-write-completions", matchIfMissing = true)
	static class TomcatWriteCompletionsConfiguration {

		@Bean
		@ConditionalOnMissingBean(name = "ddpTomcatWriteCompletionsCustomizer")
		TomcatConnectorCustomizer ddpTomcatWriteCompletionsCustomizer() {
			return new TomcatWriteCompletionsCustomizer();
		}

	}

	/**
	 * Raises Tomcat's connection limit for a DDP server, unless
	 * {@code server.tomcat.max-connections} is set. Ordered last so that its connector
	 * customizer runs after the one applying Spring Boot's default.
	 */
	static final class DdpMaxConnectionsCustomizer
			implements WebServerFactoryCustomizer<ConfigurableTomcatWebServerFactory>, Ordered {

		private final int maxConnections;

		private final boolean explicitlyConfigured;

		DdpMaxConnectionsCustomizer(int maxConnections, boolean explicitlyConfigured) {
			this.maxConnections = maxConnections;
			this.explicitlyConfigured = explicitlyConfigured;
		}

		@Override
		public void customize(ConfigurableTomcatWebServerFactory factory) {
			if (!this.explicitlyConfigured) {
				String value = Integer.toString(this.maxConnections);
				factory.addConnectorCustomizers((connector) -> connector.setProperty("maxConnections", value));
			}
		}

		@Override
		public int getOrder() {
			return Ordered.LOWEST_PRECEDENCE;
		}

	}

	/**
	 * Logs, once every singleton is registered, what the DDP server serves and where.
	 */
	static final class DdpServerStartupLogger implements SmartInitializingSingleton {

		// Under the server's logger, where users look for what the DDP server does.
		private static final Log logger = LogFactory.getLog(DdpServer.class);

		private final DdpMethodRegistry methods;

		private final DdpPublicationRegistry publications;

		private final DdpServerProperties properties;

		DdpServerStartupLogger(DdpMethodRegistry methods, DdpPublicationRegistry publications,
				DdpServerProperties properties) {
			this.methods = methods;
			this.publications = publications;
			this.properties = properties;
		}

		@Override
		public void afterSingletonsInstantiated() {
			if (logger.isInfoEnabled()) {
				logger.info(describe());
			}
		}

		String describe() {
			List<String> endpoints = new ArrayList<>(2);
			if (this.properties.getWebsocket().isEnabled()) {
				endpoints.add(this.properties.getWebsocket().getPath() + " (WebSocket)");
			}
			if (this.properties.getSockjs().isEnabled()) {
				endpoints.add(this.properties.getSockjs().getPath() + " (SockJS)");
			}
			int universal = this.publications.universal().size();
			return "DDP server: " + this.methods.names().size() + " method(s) " + this.methods.names() + ", "
					+ this.publications.names().size() + " publication(s) " + this.publications.names()
					+ ((universal > 0) ? " and " + universal + " universal publication(s)" : "") + "; endpoints: "
					+ (endpoints.isEmpty()
							? "none (ddp.server.websocket.enabled and ddp.server.sockjs.enabled " + "are false)"
							: String.join(", ", endpoints));
		}

	}

	/**
	 * Publishes {@link DdpConnectionEvent}s for every connection that opens and closes.
	 */
	static final class DdpConnectionEventPublisher implements DdpConnectionListener {

		private final ApplicationEventPublisher publisher;

		DdpConnectionEventPublisher(ApplicationEventPublisher publisher) {
			this.publisher = publisher;
		}

		@Override
		public void onConnection(io.ddp.spring.server.ClientConnection connection) {
			this.publisher.publishEvent(new DdpConnectionEvent.Opened(connection));
			connection.onClose(() -> this.publisher.publishEvent(new DdpConnectionEvent.Closed(connection)));
		}

	}

}
