package io.ddp.bench;

import org.eclipse.jetty.server.Connector;
import org.eclipse.jetty.server.ServerConnector;

import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.jetty.JettyServerCustomizer;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * Gives Jetty the same listen backlog as Tomcat gets from
 * {@code server.tomcat.accept-count} ({@code bench.accept-queue-size}, 1000): Jetty's
 * default (0, i.e. the JDK's 50) drops SYNs when 500 sessions connect at once, and the
 * client's 1 s SYN retransmission then dominates the p99. Boot has no property for it.
 * Only loaded when Jetty is on the classpath.
 */
@Configuration(proxyBeanMethods = false)
@ConditionalOnClass(name = "org.eclipse.jetty.server.Server")
class JettyTuning {

	@Bean
	JettyServerCustomizer benchAcceptQueue(@Value("${bench.accept-queue-size:1000}") int size) {
		return (server) -> {
			for (Connector connector : server.getConnectors()) {
				if (connector instanceof ServerConnector serverConnector) {
					serverConnector.setAcceptQueueSize(size);
				}
			}
		};
	}

}
