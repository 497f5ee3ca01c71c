package io.ddp.spring.security;

import java.io.IOException;
import java.security.Principal;
import java.util.List;
import java.util.Locale;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletRequestWrapper;
import jakarta.servlet.http.HttpServletResponse;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;

import org.springframework.http.HttpHeaders;
import org.springframework.http.server.ServletServerHttpRequest;
import org.springframework.security.web.util.matcher.RequestMatcher;
import org.springframework.web.cors.CorsConfiguration;
import org.springframework.web.filter.OncePerRequestFilter;
import org.springframework.web.util.WebUtils;

/**
 * Guards DDP handshakes against cross-site WebSocket hijacking: a page of another site
 * can open a WebSocket to the DDP endpoint, and the browser sends the user's session
 * cookie (or cached basic credentials) with it. This filter hides the request's
 * authenticated principal from the DDP server when the handshake's {@code Origin} is
 * neither the application's own nor allowed, so such a connection starts anonymous. It
 * can still log in over DDP with a token or a password, from any origin.
 *
 * <p>
 * A request without {@code Origin} (not a browser) and one authenticated by an
 * {@code Authorization} header other than Basic (a bearer token, which no browser sends
 * by itself) keep their principal. Register the filter after Spring Security's.
 *
 * @since 0.1.0
 */
public class DdpHandshakeOriginFilter extends OncePerRequestFilter {

	private static final Log logger = LogFactory.getLog(DdpHandshakeOriginFilter.class);

	private final RequestMatcher endpoints;

	private final CorsConfiguration allowedOrigins = new CorsConfiguration();

	/**
	 * Create a filter.
	 * @param endpoints the DDP requests to guard
	 * @param allowedOriginPatterns origins besides the application's own whose requests
	 * keep their cookie-based identity (patterns as in
	 * {@link CorsConfiguration#setAllowedOriginPatterns(List)})
	 */
	public DdpHandshakeOriginFilter(RequestMatcher endpoints, List<String> allowedOriginPatterns) {
		this.endpoints = endpoints;
		this.allowedOrigins.setAllowedOriginPatterns(allowedOriginPatterns);
	}

	@Override
	protected boolean shouldNotFilter(HttpServletRequest request) {
		return !this.endpoints.matches(request);
	}

	@Override
	protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
			throws ServletException, IOException {
		String origin = request.getHeader(HttpHeaders.ORIGIN);
		if (origin == null || request.getUserPrincipal() == null || byBearer(request) || allowed(request, origin)) {
			chain.doFilter(request, response);
			return;
		}
		if (logger.isDebugEnabled()) {
			logger.debug("DDP request " + request.getRequestURI() + " from origin " + origin
					+ " continues without the identity of its cookie: allow the origin with "
					+ "ddp.security.allowed-origins to keep it");
		}
		chain.doFilter(new AnonymousRequest(request), response);
	}

	private boolean allowed(HttpServletRequest request, String origin) {
		return WebUtils.isSameOrigin(new ServletServerHttpRequest(request))
				|| this.allowedOrigins.checkOrigin(origin) != null;
	}

	private static boolean byBearer(HttpServletRequest request) {
		String authorization = request.getHeader(HttpHeaders.AUTHORIZATION);
		return authorization != null && !authorization.isBlank()
				&& !authorization.toLowerCase(Locale.ROOT).startsWith("basic ");
	}

	private static final class AnonymousRequest extends HttpServletRequestWrapper {

		AnonymousRequest(HttpServletRequest request) {
			super(request);
		}

		@Override
		public @Nullable Principal getUserPrincipal() {
			return null;
		}

		@Override
		public @Nullable String getRemoteUser() {
			return null;
		}

		@Override
		public boolean isUserInRole(String role) {
			return false;
		}

	}

}
