package io.ddp.spring.server.websocket;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import org.springframework.web.HttpRequestHandler;
import org.springframework.web.cors.CorsConfiguration;

/**
 * Answers {@code /sockjs/info} exactly as Meteor's sockjs-node does:
 * {@code {"websocket":true,"origins":["*:*"],"cookie_needed":false,"entropy":<uint32>}}
 * (Spring's own answer sends a signed entropy). {@code OPTIONS} gets the CORS preflight
 * answer.
 *
 * @since 0.1.0
 */
public class SockJsInfoHandler implements HttpRequestHandler {

	private final CorsConfiguration cors = new CorsConfiguration();

	/**
	 * Create a handler that allows the given origin patterns.
	 * @param allowedOriginPatterns the origin patterns
	 */
	public SockJsInfoHandler(List<String> allowedOriginPatterns) {
		this.cors.setAllowedOriginPatterns(allowedOriginPatterns);
	}

	@Override
	public void handleRequest(HttpServletRequest request, HttpServletResponse response) throws IOException {
		String origin = request.getHeader("Origin");
		if (origin != null && this.cors.checkOrigin(origin) == null) {
			response.setStatus(HttpServletResponse.SC_FORBIDDEN);
			return;
		}
		response.setHeader("Access-Control-Allow-Origin", (origin != null) ? origin : "*");
		response.setHeader("Access-Control-Allow-Credentials", "true");
		if ("OPTIONS".equals(request.getMethod())) {
			response.setStatus(HttpServletResponse.SC_NO_CONTENT);
			response.setHeader("Access-Control-Allow-Methods", "OPTIONS, GET");
			response.setHeader("Cache-Control", "public, max-age=31536000");
			response.setHeader("Access-Control-Max-Age", "31536000");
			return;
		}
		if (!"GET".equals(request.getMethod())) {
			response.setStatus(HttpServletResponse.SC_METHOD_NOT_ALLOWED);
			response.setHeader("Allow", "OPTIONS, GET");
			return;
		}
		long entropy = ThreadLocalRandom.current().nextLong(1L << 32);
		byte[] body = ("{\"websocket\":true,\"origins\":[\"*:*\"],\"cookie_needed\":false,\"entropy\":" + entropy + "}")
			.getBytes(StandardCharsets.UTF_8);
		response.setStatus(HttpServletResponse.SC_OK);
		response.setHeader("Cache-Control", "no-store, no-cache, no-transform, must-revalidate, max-age=0");
		response.setContentType("application/json;charset=UTF-8");
		response.setContentLength(body.length);
		response.getOutputStream().write(body);
	}

}
