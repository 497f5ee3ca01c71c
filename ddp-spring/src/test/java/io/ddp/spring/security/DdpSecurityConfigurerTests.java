package io.ddp.spring.security;

import java.io.File;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.function.Consumer;

import jakarta.servlet.Filter;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.apache.catalina.Context;
import org.apache.catalina.LifecycleException;
import org.apache.catalina.connector.Connector;
import org.apache.catalina.startup.Tomcat;
import org.apache.tomcat.util.descriptor.web.FilterDef;
import org.apache.tomcat.util.descriptor.web.FilterMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import org.springframework.context.annotation.AnnotationConfigApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.security.config.Customizer;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.config.annotation.web.configuration.EnableWebSecurity;
import org.springframework.security.web.SecurityFilterChain;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests for {@link DdpSecurityConfigurer}: requests over a real socket to an embedded
 * Tomcat whose only filter is the application's {@code SecurityFilterChain}, built with
 * the configurer, in front of a servlet that answers every path (so the frame options
 * seen are the chain's alone, not those of Spring's SockJS service).
 */
class DdpSecurityConfigurerTests {

	private static final String FRAME_OPTIONS = "X-Frame-Options";

	private final HttpClient http = HttpClient.newHttpClient();

	@TempDir
	Path baseDir;

	@Test
	void sockJsIframePageMayBeFramedBySameOriginAndEverythingElseIsDenied() throws Exception {
		run((context) -> {
		}, (server) -> {
			HttpResponse<String> iframe = server.get("/sockjs/iframe.html");
			assertThat(iframe.statusCode()).isEqualTo(200);
			assertThat(iframe.headers().allValues(FRAME_OPTIONS)).containsExactly("SAMEORIGIN");
			assertThat(server.get("/sockjs/iframe-1.6.1.html").headers().allValues(FRAME_OPTIONS))
				.containsExactly("SAMEORIGIN");
			assertThat(server.get("/sockjs/info").headers().allValues(FRAME_OPTIONS)).containsExactly("DENY");
			assertThat(server.get("/websocket").headers().allValues(FRAME_OPTIONS)).containsExactly("DENY");
			HttpResponse<String> page = server.get("/page.html");
			assertThat(page.statusCode()).isEqualTo(403);
			assertThat(page.headers().allValues(FRAME_OPTIONS)).containsExactly("DENY");
			assertThat(server.get("/iframe.html").headers().allValues(FRAME_OPTIONS)).containsExactly("DENY");
		});
	}

	@Test
	void sameOriginFollowsTheConfiguredSockJsPath() throws Exception {
		run((context) -> context.registerBean(DdpRequestMatchers.class,
				() -> DdpRequestMatchers.of("/ddp", "/ddp-sockjs/")), (server) -> {
					HttpResponse<String> iframe = server.get("/ddp-sockjs/iframe.html");
					assertThat(iframe.statusCode()).isEqualTo(200);
					assertThat(iframe.headers().allValues(FRAME_OPTIONS)).containsExactly("SAMEORIGIN");
					HttpResponse<String> defaultPath = server.get("/sockjs/iframe.html");
					assertThat(defaultPath.statusCode()).isEqualTo(403);
					assertThat(defaultPath.headers().allValues(FRAME_OPTIONS)).containsExactly("DENY");
				});
	}

	private void run(Consumer<AnnotationConfigApplicationContext> beans, ServerCallback callback) throws Exception {
		try (AnnotationConfigApplicationContext context = new AnnotationConfigApplicationContext()) {
			beans.accept(context);
			context.register(SecurityConfiguration.class);
			context.refresh();
			Tomcat tomcat = start(context.getBean("springSecurityFilterChain", Filter.class));
			try {
				callback.run(new Server(tomcat.getConnector().getLocalPort()));
			}
			finally {
				tomcat.stop();
				tomcat.destroy();
			}
		}
	}

	private Tomcat start(Filter securityFilterChain) throws LifecycleException {
		Tomcat tomcat = new Tomcat();
		File baseDir = this.baseDir.toFile();
		tomcat.setBaseDir(baseDir.getAbsolutePath());
		Connector connector = new Connector();
		connector.setPort(0);
		connector.setProperty("address", "127.0.0.1");
		tomcat.setConnector(connector);
		Context context = tomcat.addContext("", baseDir.getAbsolutePath());
		Tomcat.addServlet(context, "answer", new AnswerServlet());
		context.addServletMappingDecoded("/", "answer");
		FilterDef filter = new FilterDef();
		filter.setFilterName("springSecurityFilterChain");
		filter.setFilter(securityFilterChain);
		context.addFilterDef(filter);
		FilterMap mapping = new FilterMap();
		mapping.setFilterName("springSecurityFilterChain");
		mapping.addURLPatternDecoded("/*");
		context.addFilterMap(mapping);
		tomcat.start();
		return tomcat;
	}

	@Configuration(proxyBeanMethods = false)
	@EnableWebSecurity
	static class SecurityConfiguration {

		@Bean
		SecurityFilterChain securityFilterChain(HttpSecurity http) {
			http.with(DdpSecurityConfigurer.ddp(), Customizer.withDefaults())
				.authorizeHttpRequests((requests) -> requests.anyRequest().authenticated());
			return http.build();
		}

	}

	@FunctionalInterface
	private interface ServerCallback {

		void run(Server server) throws Exception;

	}

	private final class Server {

		private final int port;

		Server(int port) {
			this.port = port;
		}

		HttpResponse<String> get(String path) throws IOException, InterruptedException {
			return DdpSecurityConfigurerTests.this.http.send(
					HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + this.port + path)).build(),
					HttpResponse.BodyHandlers.ofString());
		}

	}

	/**
	 * Answers every path with a page, setting no frame options of its own.
	 */
	private static final class AnswerServlet extends HttpServlet {

		@Override
		protected void doGet(HttpServletRequest request, HttpServletResponse response) throws IOException {
			response.setContentType("text/html");
			response.getWriter().write("<p>" + request.getRequestURI() + "</p>");
		}

	}

}
