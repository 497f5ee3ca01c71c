package io.ddp.spring.security;

import io.ddp.spring.accounts.DdpLoginRequest;
import io.ddp.spring.accounts.DdpLoginResult;
import io.ddp.spring.protocol.MeteorPasswords;
import io.ddp.spring.server.testing.TestClientConnection;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

import org.springframework.security.authentication.ProviderManager;
import org.springframework.security.authentication.dao.DaoAuthenticationProvider;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.userdetails.User;
import org.springframework.security.crypto.bcrypt.BCryptPasswordEncoder;
import org.springframework.security.provisioning.InMemoryUserDetailsManager;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests for {@link AuthenticationManagerDdpLoginHandler} with a real
 * {@code AuthenticationManager} over a {@code UserDetailsService} whose passwords are
 * stored by a {@link DigestPasswordEncoder}.
 */
class AuthenticationManagerDdpLoginHandlerTests {

	private static final JsonMapper JSON = JsonMapper.builder().build();

	private final AuthenticationManagerDdpLoginHandler handler;

	AuthenticationManagerDdpLoginHandlerTests() {
		DigestPasswordEncoder encoder = new DigestPasswordEncoder(new BCryptPasswordEncoder(4));
		InMemoryUserDetailsManager users = new InMemoryUserDetailsManager(
				User.withUsername("alice").password(encoder.encode("secret")).roles("USER").build());
		DaoAuthenticationProvider provider = new DaoAuthenticationProvider(users);
		provider.setPasswordEncoder(encoder);
		this.handler = new AuthenticationManagerDdpLoginHandler(new ProviderManager(provider));
	}

	private DdpLoginResult login(TestClientConnection connection, String options) {
		DdpLoginResult result = this.handler
			.login(new DdpLoginRequest((ObjectNode) JSON.readTree(options), connection));
		assertThat(result).isNotNull();
		return result;
	}

	@Test
	void meteorsDigestLoginAuthenticatesAndIsRememberedForTheUser() {
		TestClientConnection connection = new TestClientConnection(null);
		DdpLoginResult result = login(connection, "{\"user\":{\"username\":\"alice\"},\"password\":{\"digest\":\""
				+ MeteorPasswords.digest("secret") + "\",\"algorithm\":\"sha-256\"}}");
		assertThat(result.succeeded()).isTrue();
		assertThat(result.type()).isEqualTo("password");
		assertThat(result.userId()).isEqualTo("alice");
		assertThat(result.principal()).isInstanceOf(Authentication.class);
		connection.setUserId("alice");
		Authentication remembered = DdpConnectionAuthentication.login(connection);
		assertThat(remembered).isNotNull();
		assertThat(remembered.getAuthorities()).extracting(Object::toString).contains("ROLE_USER");
		connection.setUserId("bob");
		assertThat(DdpConnectionAuthentication.login(connection)).isNull();
	}

	@Test
	void plaintextLoginWithAStringSelector() {
		DdpLoginResult result = login(new TestClientConnection(null), "{\"user\":\"alice\",\"password\":\"secret\"}");
		assertThat(result.userId()).isEqualTo("alice");
		assertThat(result.error()).isNull();
	}

	@Test
	void wrongPasswordAndUnknownUserGetMeteorsAmbiguous403() {
		for (String options : new String[] { "{\"user\":{\"username\":\"alice\"},\"password\":\"nope\"}",
				"{\"user\":{\"username\":\"nobody\"},\"password\":\"secret\"}" }) {
			DdpLoginResult result = login(new TestClientConnection(null), options);
			assertThat(result.succeeded()).isFalse();
			assertThat(result.error()).isNotNull();
			assertThat(result.error().getError()).isEqualTo(403);
			assertThat(result.error().getReason()).isEqualTo("Something went wrong. Please check your credentials.");
		}
	}

	@Test
	void malformedSelectorOrDigestIsMatchFailed() {
		for (String options : new String[] { "{\"user\":{},\"password\":\"secret\"}",
				"{\"user\":{\"username\":\"alice\",\"email\":\"a@b\"},\"password\":\"secret\"}",
				"{\"user\":{\"username\":\"\"},\"password\":\"secret\"}",
				"{\"user\":\"alice\",\"password\":{\"digest\":\"abc\",\"algorithm\":\"sha-256\"}}" }) {
			DdpLoginResult result = login(new TestClientConnection(null), options);
			assertThat(result.error()).isNotNull();
			assertThat(result.error().getError()).isEqualTo(400);
			assertThat(result.error().getReason()).isEqualTo("Match failed");
		}
	}

	@Test
	void otherLoginOptionsAreLeftToOtherHandlers() {
		assertThat(this.handler.login(new DdpLoginRequest((ObjectNode) JSON.readTree("{\"resume\":\"token\"}"),
				new TestClientConnection(null))))
			.isNull();
	}

}
