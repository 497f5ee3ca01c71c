package io.ddp.spring.autoconfigure.client.services;

import io.ddp.spring.client.service.DdpCall;

/**
 * An interface without {@code @DdpService}: scanning skips it; listing it with a
 * connection registers it.
 */
public interface PlainClient {

	@DdpCall
	String ping();

}
