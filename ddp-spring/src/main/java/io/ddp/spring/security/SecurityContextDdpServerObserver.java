package io.ddp.spring.security;

import io.ddp.spring.server.ClientConnection;
import io.ddp.spring.server.DdpServerObserver;
import org.jspecify.annotations.Nullable;

import org.springframework.core.Ordered;
import org.springframework.security.authentication.AnonymousAuthenticationToken;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.authority.AuthorityUtils;
import org.springframework.security.core.context.SecurityContext;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.security.core.context.SecurityContextHolderStrategy;

/**
 * Puts the connection's {@link Authentication} in the {@link SecurityContextHolder} while
 * a method or publication handler runs, so that method security ({@code @PreAuthorize},
 * {@code @Secured}, ...) and application code see who calls. A connection without one
 * runs as Spring Security's anonymous user ({@code ROLE_ANONYMOUS}), as an
 * unauthenticated HTTP request does. A method called on the server keeps its caller's
 * context.
 *
 * @since 0.1.0
 */
public class SecurityContextDdpServerObserver implements DdpServerObserver, Ordered {

	private static final Authentication ANONYMOUS = new AnonymousAuthenticationToken("ddp", "anonymousUser",
			AuthorityUtils.createAuthorityList("ROLE_ANONYMOUS"));

	private final DdpAuthenticationResolver resolver;

	private SecurityContextHolderStrategy strategy = SecurityContextHolder.getContextHolderStrategy();

	/**
	 * Create an observer.
	 * @param resolver decides each connection's authentication
	 */
	public SecurityContextDdpServerObserver(DdpAuthenticationResolver resolver) {
		this.resolver = resolver;
	}

	/**
	 * Set the strategy holding the context (Spring Security's global one by default).
	 * @param strategy the strategy
	 */
	public void setSecurityContextHolderStrategy(SecurityContextHolderStrategy strategy) {
		this.strategy = strategy;
	}

	@Override
	public int getOrder() {
		return 0;
	}

	@Override
	public Operation methodCall(@Nullable ClientConnection connection, String method, boolean registered) {
		return (connection != null && registered) ? new Secured(connection) : Operation.NONE;
	}

	@Override
	public Operation subscription(ClientConnection connection, String publication, boolean registered) {
		return registered ? new Secured(connection) : Operation.NONE;
	}

	private final class Secured implements Operation {

		private final ClientConnection connection;

		Secured(ClientConnection connection) {
			this.connection = connection;
		}

		@Override
		public Scope openScope() {
			SecurityContextHolderStrategy strategy = SecurityContextDdpServerObserver.this.strategy;
			Authentication authentication = DdpConnectionAuthentication.current(this.connection,
					SecurityContextDdpServerObserver.this.resolver);
			SecurityContext previous = strategy.getContext();
			SecurityContext context = strategy.createEmptyContext();
			context.setAuthentication((authentication != null) ? authentication : ANONYMOUS);
			strategy.setContext(context);
			return () -> {
				if (previous.getAuthentication() != null) {
					strategy.setContext(previous);
				}
				else {
					// Pooled threads keep no context of ours.
					strategy.clearContext();
				}
			};
		}

	}

}
