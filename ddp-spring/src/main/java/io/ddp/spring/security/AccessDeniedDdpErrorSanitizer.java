package io.ddp.spring.security;

import io.ddp.spring.protocol.DdpException;
import io.ddp.spring.server.method.DdpErrorSanitizer;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;

import org.springframework.security.access.AccessDeniedException;
import org.springframework.security.core.AuthenticationException;

/**
 * Sends Spring Security's denials ({@link AccessDeniedException}, including
 * {@code AuthorizationDeniedException}, and {@link AuthenticationException}) to the
 * client as DDP error 403 {@code Access denied}: a method's {@code result} error or a
 * subscription's {@code nosub} error, instead of a 500.
 *
 * @since 0.1.0
 */
public class AccessDeniedDdpErrorSanitizer implements DdpErrorSanitizer {

	private static final Log logger = LogFactory.getLog(AccessDeniedDdpErrorSanitizer.class);

	@Override
	public @Nullable DdpException sanitize(Throwable error) {
		if (error instanceof AccessDeniedException || error instanceof AuthenticationException) {
			if (logger.isDebugEnabled()) {
				logger.debug("DDP call denied (sent as 403 Access denied): " + error.getMessage());
			}
			return new DdpException(403, "Access denied");
		}
		return null;
	}

}
