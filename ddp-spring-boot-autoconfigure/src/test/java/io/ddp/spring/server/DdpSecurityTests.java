package io.ddp.spring.server;

import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import io.ddp.spring.accounts.DdpAccounts;
import io.ddp.spring.security.DdpSecurityConfigurer;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

import org.springframework.beans.factory.SmartInitializingSingleton;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.annotation.Bean;
import org.springframework.security.authentication.UsernamePasswordAuthenticationToken;
import org.springframework.security.config.Customizer;
import org.springframework.security.config.annotation.method.configuration.EnableMethodSecurity;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.core.authority.AuthorityUtils;
import org.springframework.security.core.context.SecurityContext;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.security.core.userdetails.User;
import org.springframework.security.provisioning.InMemoryUserDetailsManager;
import org.springframework.security.web.SecurityFilterChain;
import org.springframework.security.web.authentication.UsernamePasswordAuthenticationFilter;
import org.springframework.web.filter.OncePerRequestFilter;

import static io.ddp.spring.server.RawDdpClient.json;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Spring Security with a {@code SecurityFilterChain} of the application's own (form
 * login, a bearer token filter, CSRF on) that applies {@link DdpSecurityConfigurer}: the
 * handshake's identity becomes the connection's, method security sees it, and denials
 * reach the client as 403, over real WebSocket connections.
 */
@SpringBootTest(classes = DdpSecurityTests.UserChainApplication.class,
		webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
		properties = "ddp.security.allowed-origins=https://*.trusted.example.com")
class DdpSecurityTests {

	private static final Pattern CSRF = Pattern.compile("name=\"_csrf\"[^>]*value=\"([^\"]+)\"");

	private static final Pattern SESSION = Pattern.compile("JSESSIONID=([^;]+)");

	private static final String ACCESS_DENIED = "{\"isClientSafe\":true,\"error\":403,\"reason\":\"Access denied\","
			+ "\"message\":\"Access denied [403]\",\"errorType\":\"Meteor.Error\"}";

	private final HttpClient http = HttpClient.newHttpClient();

	@LocalServerPort
	int port;

	private URI websocket() {
		return URI.create("ws://127.0.0.1:" + this.port + "/websocket");
	}

	private String origin() {
		return "http://127.0.0.1:" + this.port;
	}

	private RawDdpClient connect(Map<String, String> headers) {
		RawDdpClient client = RawDdpClient.open(websocket(), headers);
		client.send("{\"msg\":\"connect\",\"version\":\"1\",\"support\":[\"1\"]}");
		assertThat(client.next().get("msg").asString()).isEqualTo("connected");
		return client;
	}

	@Test
	void anonymousHandshakeIsNotRefusedAndRunsAsAnonymous() {
		try (RawDdpClient client = connect(Map.of())) {
			assertThat(client.call("1", "whoami", "[]").get("result").asString()).isEqualTo("anonymous");
			assertThat(client.call("2", "userId", "[]").get("result").asString()).isEqualTo("none");
		}
	}

	@Test
	void otherRequestsStillNeedTheApplicationsAuthentication() throws Exception {
		HttpResponse<String> response = this.http.send(
				HttpRequest.newBuilder(URI.create(origin() + "/anything")).build(),
				HttpResponse.BodyHandlers.ofString());
		assertThat(response.statusCode()).isEqualTo(302);
		assertThat(response.headers().firstValue("Location"))
			.hasValueSatisfying((location) -> location.endsWith("/login"));
	}

	@Test
	void sessionCookieOfAFormLoginIsTheConnectionsIdentity() throws Exception {
		String session = formLogin("alice", "secret");
		try (RawDdpClient client = connect(Map.of("Cookie", "JSESSIONID=" + session, "Origin", origin()))) {
			assertThat(client.call("1", "whoami", "[]").get("result").asString())
				.isEqualTo("alice [FACTOR_PASSWORD,ROLE_USER]");
			assertThat(client.call("2", "userId", "[]").get("result").asString()).isEqualTo("alice");
			assertThat(client.call("3", "principalName", "[]").get("result").asString()).isEqualTo("alice");
			assertThat(client.call("4", "adminOnly", "[]").get("error")).isEqualTo(json(ACCESS_DENIED));
		}
	}

	@Test
	void sessionCookieFromAForeignOriginIsNotTaken() throws Exception {
		String session = formLogin("root", "rootpw");
		try (RawDdpClient client = connect(
				Map.of("Cookie", "JSESSIONID=" + session, "Origin", "http://evil.example.com"))) {
			assertThat(client.call("1", "whoami", "[]").get("result").asString()).isEqualTo("anonymous");
			assertThat(client.call("2", "adminOnly", "[]").get("error")).isEqualTo(json(ACCESS_DENIED));
		}
		// The same cookie from the application's own page is taken.
		try (RawDdpClient client = connect(Map.of("Cookie", "JSESSIONID=" + session, "Origin", origin()))) {
			assertThat(client.call("1", "adminOnly", "[]").get("result").asString()).isEqualTo("ok");
		}
	}

	@Test
	void sessionCookieFromAnAllowedOriginIsTaken() throws Exception {
		String session = formLogin("alice", "secret");
		try (RawDdpClient client = connect(
				Map.of("Cookie", "JSESSIONID=" + session, "Origin", "https://app.trusted.example.com"))) {
			assertThat(client.call("1", "userId", "[]").get("result").asString()).isEqualTo("alice");
		}
	}

	@Test
	void bearerTokenIsTheConnectionsIdentityFromAnyOrigin() {
		try (RawDdpClient client = connect(
				Map.of("Authorization", "Bearer root-token", "Origin", "http://elsewhere.example.com"))) {
			assertThat(client.call("1", "whoami", "[]").get("result").asString()).isEqualTo("root [ROLE_ADMIN]");
			assertThat(client.call("2", "adminOnly", "[]").get("result").asString()).isEqualTo("ok");
			assertThat(client.call("3", "securedAdminOnly", "[]").get("result").asString()).isEqualTo("ok");
		}
	}

	@Test
	void preAuthorizeAndSecuredDenyAnonymousCallsWith403() {
		try (RawDdpClient client = connect(Map.of())) {
			assertThat(client.call("1", "adminOnly", "[]").get("error")).isEqualTo(json(ACCESS_DENIED));
			assertThat(client.call("2", "securedAdminOnly", "[]").get("error")).isEqualTo(json(ACCESS_DENIED));
		}
	}

	@Test
	void preAuthorizeOnAPublicationAnswersNosub403OrReady() {
		try (RawDdpClient anonymous = connect(Map.of())) {
			anonymous.send("{\"msg\":\"sub\",\"id\":\"a\",\"name\":\"adminPub\",\"params\":[]}");
			assertThat(anonymous.next())
				.isEqualTo(json("{\"msg\":\"nosub\",\"id\":\"a\",\"error\":" + ACCESS_DENIED + "}"));
		}
		try (RawDdpClient admin = connect(Map.of("Authorization", "Bearer root-token"))) {
			admin.send("{\"msg\":\"sub\",\"id\":\"a\",\"name\":\"adminPub\",\"params\":[]}");
			assertThat(admin.next()).isEqualTo(json("{\"msg\":\"ready\",\"subs\":[\"a\"]}"));
		}
	}

	@Test
	void ddpLogoutAndLoginReplaceTheHandshakesIdentity() {
		try (RawDdpClient client = connect(Map.of("Authorization", "Bearer root-token"))) {
			assertThat(client.call("1", "adminOnly", "[]").get("result").asString()).isEqualTo("ok");
			client.call("2", "setUser", "[null]");
			assertThat(client.call("3", "whoami", "[]").get("result").asString()).isEqualTo("anonymous");
			assertThat(client.call("4", "adminOnly", "[]").get("error")).isEqualTo(json(ACCESS_DENIED));
			client.call("5", "setUser", "[\"someone\"]");
			assertThat(client.call("6", "whoami", "[]").get("result").asString()).isEqualTo("someone []");
		}
	}

	@Test
	void ddpPasswordLoginGivesTheRolesOfTheAccountsUser() {
		try (RawDdpClient client = connect(Map.of())) {
			JsonNode login = client.call("1", "login",
					"[{\"user\":{\"username\":\"meteor-admin\"},\"password\":\"adminpw\"}]");
			assertThat(login.get("result").get("id").asString()).isEqualTo("meteor-admin-id");
			assertThat(client.call("2", "whoami", "[]").get("result").asString())
				.isEqualTo("meteor-admin-id [ROLE_ADMIN]");
			assertThat(client.call("3", "adminOnly", "[]").get("result").asString()).isEqualTo("ok");
			client.call("4", "logout", "[]");
			assertThat(client.call("5", "adminOnly", "[]").get("error")).isEqualTo(json(ACCESS_DENIED));
		}
	}

	private String formLogin(String username, String password) throws IOException, InterruptedException {
		HttpResponse<String> page = this.http.send(HttpRequest.newBuilder(URI.create(origin() + "/login")).build(),
				HttpResponse.BodyHandlers.ofString());
		Matcher csrf = CSRF.matcher(page.body());
		assertThat(csrf.find()).as("a CSRF token on the login page").isTrue();
		String form = "username=" + encode(username) + "&password=" + encode(password) + "&_csrf="
				+ encode(csrf.group(1));
		HttpResponse<String> login = this.http.send(HttpRequest.newBuilder(URI.create(origin() + "/login"))
			.header("Content-Type", "application/x-www-form-urlencoded")
			.header("Cookie", "JSESSIONID=" + session(page))
			.POST(HttpRequest.BodyPublishers.ofString(form))
			.build(), HttpResponse.BodyHandlers.ofString());
		assertThat(login.statusCode()).isEqualTo(302);
		assertThat(login.headers().firstValue("Location"))
			.hasValueSatisfying((location) -> assertThat(location).doesNotContain("error"));
		return session(login);
	}

	private static String session(HttpResponse<?> response) {
		List<String> cookies = response.headers().allValues("Set-Cookie");
		for (String cookie : cookies) {
			Matcher matcher = SESSION.matcher(cookie);
			if (matcher.find()) {
				return matcher.group(1);
			}
		}
		throw new AssertionError("no session cookie in " + cookies);
	}

	private static String encode(String value) {
		return URLEncoder.encode(value, StandardCharsets.UTF_8);
	}

	@SpringBootConfiguration
	@EnableAutoConfiguration
	@EnableMethodSecurity(securedEnabled = true)
	static class UserChainApplication {

		@Bean
		SecurityFilterChain applicationSecurity(HttpSecurity http) {
			http.with(DdpSecurityConfigurer.ddp(), Customizer.withDefaults())
				.authorizeHttpRequests((requests) -> requests.anyRequest().authenticated())
				.formLogin(Customizer.withDefaults())
				.addFilterBefore(new BearerTokenFilter(), UsernamePasswordAuthenticationFilter.class);
			return http.build();
		}

		@Bean
		InMemoryUserDetailsManager users() {
			return new InMemoryUserDetailsManager(
					User.withUsername("alice").password("{noop}secret").roles("USER").build(),
					User.withUsername("root").password("{noop}rootpw").roles("ADMIN").build());
		}

		@Bean
		SecuredHandlers securedHandlers() {
			return new SecuredHandlers();
		}

		@Bean
		SmartInitializingSingleton accountsUsers(DdpAccounts accounts) {
			return () -> accounts.newUser()
				.id("meteor-admin-id")
				.username("meteor-admin")
				.password("adminpw")
				.roles("ADMIN")
				.create();
		}

	}

	/**
	 * The test's own bearer authentication: one fixed token for {@code root}.
	 */
	static class BearerTokenFilter extends OncePerRequestFilter {

		@Override
		protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
				throws ServletException, IOException {
			if ("Bearer root-token".equals(request.getHeader("Authorization"))) {
				SecurityContext context = SecurityContextHolder.createEmptyContext();
				context.setAuthentication(UsernamePasswordAuthenticationToken.authenticated("root", null,
						AuthorityUtils.createAuthorityList("ROLE_ADMIN")));
				SecurityContextHolder.setContext(context);
			}
			chain.doFilter(request, response);
		}

	}

}
