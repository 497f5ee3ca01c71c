package io.ddp.spring.security;

import java.security.Principal;

import io.ddp.spring.server.ClientConnection;
import io.ddp.spring.server.method.DdpArgumentResolver;
import io.ddp.spring.server.method.DdpInvocationContext;
import org.jspecify.annotations.Nullable;

import org.springframework.core.MethodParameter;
import org.springframework.security.authentication.AnonymousAuthenticationToken;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.context.SecurityContextHolder;

/**
 * Resolves parameters of type {@link Authentication} and {@link Principal} of DDP methods
 * and publications to the calling connection's authentication, {@code null} for an
 * anonymous connection. A method called on the server gets its caller's.
 *
 * @since 0.1.0
 */
public class DdpAuthenticationArgumentResolver implements DdpArgumentResolver {

	private final DdpAuthenticationResolver resolver;

	/**
	 * Create a resolver.
	 * @param resolver decides each connection's authentication
	 */
	public DdpAuthenticationArgumentResolver(DdpAuthenticationResolver resolver) {
		this.resolver = resolver;
	}

	@Override
	public boolean supportsParameter(MethodParameter parameter) {
		Class<?> type = parameter.getParameterType();
		return type == Authentication.class || type == Principal.class;
	}

	@Override
	public @Nullable Object resolveArgument(MethodParameter parameter, DdpInvocationContext context) {
		ClientConnection connection = context.connection();
		if (connection != null) {
			return DdpConnectionAuthentication.current(connection, this.resolver);
		}
		Authentication current = SecurityContextHolder.getContextHolderStrategy().getContext().getAuthentication();
		return (current instanceof AnonymousAuthenticationToken) ? null : current;
	}

}
