package io.ddp.spring.security;

import org.springframework.http.HttpMethod;
import org.springframework.security.web.servlet.util.matcher.PathPatternRequestMatcher;
import org.springframework.security.web.util.matcher.OrRequestMatcher;
import org.springframework.security.web.util.matcher.RequestMatcher;

/**
 * Request matchers for the DDP endpoints, for rules in a {@code SecurityFilterChain}.
 * Spring Boot declares a bean of this type with the configured paths.
 *
 * @since 0.1.0
 */
public final class DdpRequestMatchers {

	private final String websocketPath;

	private final String sockJsPath;

	private DdpRequestMatchers(String websocketPath, String sockJsPath) {
		this.websocketPath = trimTrailingSlash(websocketPath);
		this.sockJsPath = trimTrailingSlash(sockJsPath);
	}

	/**
	 * Return the matchers of the default paths, {@code /websocket} and {@code /sockjs}.
	 * @return the matchers
	 */
	public static DdpRequestMatchers defaults() {
		return of("/websocket", "/sockjs");
	}

	/**
	 * Return the matchers of the given paths.
	 * @param websocketPath the raw WebSocket endpoint, e.g. {@code /websocket}
	 * @param sockJsPath the SockJS endpoint, e.g. {@code /sockjs}
	 * @return the matchers
	 */
	public static DdpRequestMatchers of(String websocketPath, String sockJsPath) {
		return new DdpRequestMatchers(websocketPath, sockJsPath);
	}

	/**
	 * Return a matcher of every DDP request: the WebSocket endpoint and everything below
	 * the SockJS endpoint (its info, WebSocket and XHR transports).
	 * @return the matcher
	 */
	public RequestMatcher endpoints() {
		return new OrRequestMatcher(PathPatternRequestMatcher.pathPattern(this.websocketPath),
				PathPatternRequestMatcher.pathPattern(this.websocketPath + "/**"),
				PathPatternRequestMatcher.pathPattern(this.sockJsPath + "/**"));
	}

	/**
	 * Return a matcher of SockJS's POST transports ({@code xhr}, {@code xhr_send},
	 * {@code xhr_streaming}, ...), which carry no CSRF token.
	 * @return the matcher
	 */
	public RequestMatcher sockJsPosts() {
		return PathPatternRequestMatcher.pathPattern(HttpMethod.POST, this.sockJsPath + "/**");
	}

	/**
	 * Return a matcher of SockJS's iframe page ({@code iframe.html}, or
	 * {@code iframe-<version>.html}), which the iframe transports load in a frame of the
	 * page's own origin.
	 * @return the matcher
	 */
	public RequestMatcher sockJsIframe() {
		return PathPatternRequestMatcher.pathPattern(this.sockJsPath + "/iframe*.html");
	}

	private static String trimTrailingSlash(String path) {
		return (path.length() > 1 && path.endsWith("/")) ? path.substring(0, path.length() - 1) : path;
	}

}
