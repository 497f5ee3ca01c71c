package io.ddp.spring.autoconfigure.security;

import java.util.ArrayList;
import java.util.List;

import org.jspecify.annotations.Nullable;

import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * Spring Security settings of the DDP server.
 *
 * @since 0.1.0
 */
@ConfigurationProperties("ddp.security")
public class DdpSecurityProperties {

	/**
	 * Whether a connection whose handshake Spring Security authenticated starts logged in
	 * as that authentication's name (its DDP user id). When off, the handshake's
	 * authentication serves method security only while no DDP user is logged in.
	 */
	private boolean handshakeIdentity = true;

	/**
	 * Origins, besides the application's own, whose handshakes keep the identity of their
	 * session cookie or basic credentials. Patterns as in CORS allowed origin patterns.
	 * Handshakes from other origins start anonymous; a bearer token counts from any
	 * origin.
	 */
	private List<String> allowedOrigins = new ArrayList<>();

	/**
	 * Whether DDP password logins are checked by the application's AuthenticationManager
	 * (its UserDetailsService and PasswordEncoder) instead of the accounts' user store.
	 * Unset, they are when the application defines an AuthenticationManager bean.
	 */
	private @Nullable Boolean authenticationManagerLogins;

	public boolean isHandshakeIdentity() {
		return this.handshakeIdentity;
	}

	public void setHandshakeIdentity(boolean handshakeIdentity) {
		this.handshakeIdentity = handshakeIdentity;
	}

	public List<String> getAllowedOrigins() {
		return this.allowedOrigins;
	}

	public void setAllowedOrigins(List<String> allowedOrigins) {
		this.allowedOrigins = allowedOrigins;
	}

	public @Nullable Boolean getAuthenticationManagerLogins() {
		return this.authenticationManagerLogins;
	}

	public void setAuthenticationManagerLogins(@Nullable Boolean authenticationManagerLogins) {
		this.authenticationManagerLogins = authenticationManagerLogins;
	}

}
