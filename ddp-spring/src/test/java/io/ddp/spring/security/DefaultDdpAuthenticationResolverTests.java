package io.ddp.spring.security;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;

import io.ddp.spring.accounts.DdpUser;
import io.ddp.spring.accounts.DdpUserStore;
import io.ddp.spring.server.testing.TestClientConnection;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;

import org.springframework.security.authentication.AnonymousAuthenticationToken;
import org.springframework.security.authentication.TestingAuthenticationToken;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.authority.AuthorityUtils;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests for {@link DefaultDdpAuthenticationResolver} and the per-connection cache of
 * {@link DdpConnectionAuthentication}.
 */
class DefaultDdpAuthenticationResolverTests {

	private final DdpUserStore users = new DdpUserStore() {

		@Override
		public @Nullable DdpUser findById(String id) {
			return "root-id".equals(id)
					? new DdpUser("root-id", "root", List.of(), Map.of(), Set.of("ADMIN", "OPS"), null, Instant.EPOCH)
					: null;
		}

		@Override
		public @Nullable DdpUser findByUsername(String username) {
			return null;
		}

		@Override
		public @Nullable DdpUser findByEmail(String email) {
			return null;
		}

		@Override
		public void create(DdpUser user) {
		}

		@Override
		public void update(DdpUser user) {
		}

	};

	private final Authentication handshake = new TestingAuthenticationToken("carol", null, "ROLE_USER");

	@Test
	void loggedInUserGetsTheRolesOfTheUserStore() {
		TestClientConnection connection = new TestClientConnection(null);
		connection.setUserId("root-id");
		Authentication authentication = new DefaultDdpAuthenticationResolver(this.users, false).resolve(connection);
		assertThat(authentication).isNotNull();
		assertThat(authentication.getName()).isEqualTo("root-id");
		assertThat(authentication.isAuthenticated()).isTrue();
		assertThat(AuthorityUtils.authorityListToSet(authentication.getAuthorities()))
			.containsExactlyInAnyOrder("ROLE_ADMIN", "ROLE_OPS");
	}

	@Test
	void userIdUnknownToTheStoreHasNoAuthorities() {
		TestClientConnection connection = new TestClientConnection(null);
		connection.setUserId("someone");
		Authentication authentication = new DefaultDdpAuthenticationResolver(null, false).resolve(connection);
		assertThat(authentication).isNotNull();
		assertThat(authentication.getAuthorities()).isEmpty();
	}

	@Test
	void handshakeAuthenticationWhileTheUserIdIsItsName() {
		TestClientConnection connection = new TestClientConnection(this.handshake);
		connection.setUserId("carol");
		DefaultDdpAuthenticationResolver resolver = new DefaultDdpAuthenticationResolver(this.users, false);
		assertThat(resolver.resolve(connection)).isSameAs(this.handshake);
		connection.setUserId(null);
		assertThat(resolver.resolve(connection)).isNull();
	}

	@Test
	void handshakeAuthenticationAsFallbackWhenTheHandshakeSetsNoUserId() {
		TestClientConnection connection = new TestClientConnection(this.handshake);
		assertThat(new DefaultDdpAuthenticationResolver(this.users, true).resolve(connection)).isSameAs(this.handshake);
	}

	@Test
	void anonymousHandshakeIsNoIdentity() {
		TestClientConnection connection = new TestClientConnection(new AnonymousAuthenticationToken("key",
				"anonymousUser", AuthorityUtils.createAuthorityList("ROLE_ANONYMOUS")));
		assertThat(DdpConnectionAuthentication.handshake(connection)).isNull();
		assertThat(new DefaultDdpAuthenticationResolver(this.users, true).resolve(connection)).isNull();
	}

	@Test
	void loginAuthenticationWinsWhileLoggedInAsItsUser() {
		TestClientConnection connection = new TestClientConnection(this.handshake);
		Authentication login = new TestingAuthenticationToken("root-id", null, "ROLE_FROM_LOGIN");
		DdpConnectionAuthentication.rememberLogin(connection, "root-id", login);
		connection.setUserId("root-id");
		assertThat(new DefaultDdpAuthenticationResolver(this.users, false).resolve(connection)).isSameAs(login);
	}

	@Test
	void cachedUntilTheUserIdChangesOrALoginIsRemembered() {
		TestClientConnection connection = new TestClientConnection(null);
		int[] calls = new int[1];
		DdpAuthenticationResolver counting = (c) -> {
			calls[0]++;
			return new TestingAuthenticationToken(String.valueOf(c.userId()), null);
		};
		connection.setUserId("a");
		Authentication first = DdpConnectionAuthentication.current(connection, counting);
		assertThat(DdpConnectionAuthentication.current(connection, counting)).isSameAs(first);
		assertThat(calls[0]).isEqualTo(1);
		connection.setUserId("b");
		assertThat(DdpConnectionAuthentication.current(connection, counting).getName()).isEqualTo("b");
		assertThat(calls[0]).isEqualTo(2);
		DdpConnectionAuthentication.rememberLogin(connection, "b", new TestingAuthenticationToken("b", null));
		DdpConnectionAuthentication.current(connection, counting);
		assertThat(calls[0]).isEqualTo(3);
	}

}
