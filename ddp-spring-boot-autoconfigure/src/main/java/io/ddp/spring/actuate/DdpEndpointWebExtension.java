package io.ddp.spring.actuate;

import io.ddp.spring.actuate.DdpEndpoint.CloseResult;

import org.springframework.boot.actuate.endpoint.annotation.DeleteOperation;
import org.springframework.boot.actuate.endpoint.annotation.Selector;
import org.springframework.boot.actuate.endpoint.web.WebEndpointResponse;
import org.springframework.boot.actuate.endpoint.web.annotation.EndpointWebExtension;

/**
 * Web extension of the {@link DdpEndpoint}: closing a session that is not open answers
 * {@code 404}.
 *
 * @since 0.1.0
 */
@EndpointWebExtension(endpoint = DdpEndpoint.class)
public class DdpEndpointWebExtension {

	private final DdpEndpoint delegate;

	/**
	 * Create the extension.
	 * @param delegate the endpoint
	 */
	public DdpEndpointWebExtension(DdpEndpoint delegate) {
		this.delegate = delegate;
	}

	/**
	 * Close one session.
	 * @param sessionId the session id
	 * @return {@code 200} with the result, or {@code 404} when no such session is open
	 */
	@DeleteOperation
	public WebEndpointResponse<CloseResult> closeSession(@Selector String sessionId) {
		CloseResult result = this.delegate.closeSession(sessionId);
		return new WebEndpointResponse<>(result,
				result.closed() ? WebEndpointResponse.STATUS_OK : WebEndpointResponse.STATUS_NOT_FOUND);
	}

}
