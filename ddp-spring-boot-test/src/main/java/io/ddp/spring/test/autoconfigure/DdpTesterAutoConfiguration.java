package io.ddp.spring.test.autoconfigure;

import io.ddp.spring.protocol.Ejson;
import io.ddp.spring.server.session.DdpServer;
import io.ddp.spring.test.tester.DdpTester;
import org.jspecify.annotations.Nullable;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Lazy;
import org.springframework.core.env.Environment;
import org.springframework.util.StringUtils;

/**
 * Auto-configuration of a {@link DdpTester}, imported by {@link AutoConfigureDdpTester}.
 * The bean is lazy: created when the test asks for it, once the server (if any) has
 * started and published {@code local.server.port}.
 *
 * @since 0.1.0
 */
@AutoConfiguration(afterName = { "io.ddp.spring.autoconfigure.DdpServerAutoConfiguration",
		"io.ddp.spring.autoconfigure.DdpEjsonAutoConfiguration" })
@ConditionalOnClass(DdpServer.class)
public final class DdpTesterAutoConfiguration {

	@Bean
	@Lazy
	@ConditionalOnMissingBean
	DdpTester ddpTester(ObjectProvider<DdpServer> servers, ObjectProvider<Ejson> ejsons, Environment environment) {
		DdpServer server = servers.getIfAvailable();
		// The binder converts enums leniently: in-process, IN_PROCESS and inProcess.
		DdpTesterTransport transport = Binder.get(environment)
			.bind("ddp.test.tester.transport", DdpTesterTransport.class)
			.orElse(DdpTesterTransport.AUTO);
		String port = environment.getProperty("local.server.port");
		boolean overWebSocket = (transport == DdpTesterTransport.WEBSOCKET)
				|| (transport == DdpTesterTransport.AUTO && port != null);
		DdpTester.Builder builder;
		if (overWebSocket) {
			if (port == null) {
				throw new IllegalStateException("A DdpTester over a WebSocket needs a running server: use "
						+ "@SpringBootTest(webEnvironment = RANDOM_PORT) or the transport IN_PROCESS");
			}
			builder = DdpTester.forUrl(url(environment, port));
			if (server != null) {
				builder.server(server);
			}
		}
		else {
			if (server == null) {
				throw new IllegalStateException("An in-process DdpTester needs the DdpServer bean: the test's context "
						+ "must be a servlet web application (the default of @SpringBootTest) with ddp.server.enabled");
			}
			builder = DdpTester.inProcess(server);
		}
		String userId = environment.getProperty("ddp.test.tester.user-id");
		return builder.ejson(ejsons.getIfAvailable(Ejson::createDefault))
			.userId(StringUtils.hasText(userId) ? userId : null)
			.build();
	}

	private static String url(Environment environment, String port) {
		String contextPath = trimTrailingSlash(environment.getProperty("server.servlet.context-path", ""));
		String path = trimTrailingSlash(environment.getProperty("ddp.server.websocket.path", "/websocket"));
		return "ws://localhost:" + port + contextPath + path;
	}

	private static String trimTrailingSlash(@Nullable String path) {
		if (path == null) {
			return "";
		}
		return path.endsWith("/") ? path.substring(0, path.length() - 1) : path;
	}

}
