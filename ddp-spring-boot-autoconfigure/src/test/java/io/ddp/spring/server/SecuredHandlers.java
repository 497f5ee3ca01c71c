package io.ddp.spring.server;

import java.security.Principal;
import java.util.stream.Collectors;

import io.ddp.spring.server.method.DdpMethod;
import io.ddp.spring.server.method.DdpMethodInvocation;
import io.ddp.spring.server.publication.DdpPublication;
import io.ddp.spring.server.publication.ServerSubscription;
import org.jspecify.annotations.Nullable;

import org.springframework.security.access.annotation.Secured;
import org.springframework.security.access.prepost.PreAuthorize;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.GrantedAuthority;

/**
 * Methods and publications of the Spring Security tests: who calls, and what only an
 * administrator may do.
 */
public class SecuredHandlers {

	@DdpMethod
	public String whoami(@Nullable Authentication authentication) {
		if (authentication == null) {
			return "anonymous";
		}
		return authentication.getName() + " "
				+ authentication.getAuthorities()
					.stream()
					.map(GrantedAuthority::getAuthority)
					.sorted()
					.collect(Collectors.joining(",", "[", "]"));
	}

	@DdpMethod
	public String principalName(@Nullable Principal principal) {
		return (principal != null) ? principal.getName() : "anonymous";
	}

	@DdpMethod
	public String userId(DdpMethodInvocation invocation) {
		String userId = invocation.userId();
		return (userId != null) ? userId : "none";
	}

	// What a DDP login or logout does to the connection, without the accounts.
	@DdpMethod
	public void setUser(@Nullable String userId, DdpMethodInvocation invocation) {
		invocation.setUserId(userId);
	}

	@DdpMethod
	@PreAuthorize("hasRole('ADMIN')")
	public String adminOnly() {
		return "ok";
	}

	@DdpMethod
	@Secured("ROLE_ADMIN")
	public String securedAdminOnly() {
		return "ok";
	}

	@DdpPublication
	@PreAuthorize("hasRole('ADMIN')")
	public void adminPub(ServerSubscription subscription) {
		subscription.ready();
	}

}
