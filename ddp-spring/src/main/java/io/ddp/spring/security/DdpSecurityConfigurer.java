package io.ddp.spring.security;

import org.jspecify.annotations.Nullable;

import org.springframework.context.ApplicationContext;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.config.annotation.web.configurers.AbstractHttpConfigurer;
import org.springframework.security.config.annotation.web.configurers.CsrfConfigurer;

/**
 * Applies the DDP rules to an application's own {@code SecurityFilterChain}: the DDP
 * endpoints are reachable without HTTP authentication (clients log in over DDP; a
 * handshake that carries a session cookie, basic credentials or a bearer token is still
 * authenticated by the chain) and SockJS's POST transports are exempt from CSRF.
 *
 * <pre class="code">
 * http.with(DdpSecurityConfigurer.ddp(), Customizer.withDefaults())
 *     .authorizeHttpRequests((requests) -&gt; requests.anyRequest().authenticated())
 * </pre>
 *
 * The {@code permitAll} rule is added when the configurer is applied, so apply it before
 * your own {@code authorizeHttpRequests} rules (Spring Security refuses rules after
 * {@code anyRequest()}). The paths come from the {@link DdpRequestMatchers} bean, the
 * defaults without one. With {@code csrf(false)} the chain's CSRF protection stays on
 * SockJS's XHR transports, which then fail.
 *
 * @since 0.1.0
 */
public class DdpSecurityConfigurer extends AbstractHttpConfigurer<DdpSecurityConfigurer, HttpSecurity> {

	private @Nullable DdpRequestMatchers matchers;

	private boolean csrfExempt = true;

	/**
	 * Create a configurer; see {@link #ddp()}.
	 */
	public DdpSecurityConfigurer() {
	}

	/**
	 * Return a new configurer, for {@code http.with(...)}.
	 * @return the configurer
	 */
	public static DdpSecurityConfigurer ddp() {
		return new DdpSecurityConfigurer();
	}

	/**
	 * Whether SockJS's POST transports are exempt from CSRF protection (the default).
	 * @param exempt {@code false} to keep CSRF protection on them
	 * @return this configurer
	 */
	public DdpSecurityConfigurer csrf(boolean exempt) {
		this.csrfExempt = exempt;
		return this;
	}

	@Override
	public void setBuilder(HttpSecurity http) {
		super.setBuilder(http);
		// Now rather than in init(): the application's own rules, which end with
		// anyRequest(), are added after this one.
		http.authorizeHttpRequests((requests) -> requests.requestMatchers(matchers(http).endpoints()).permitAll());
	}

	@Override
	public void init(HttpSecurity http) {
		CsrfConfigurer<HttpSecurity> csrf = http.getConfigurer(CsrfConfigurer.class);
		if (this.csrfExempt && csrf != null) {
			csrf.ignoringRequestMatchers(matchers(http).sockJsPosts());
		}
	}

	private DdpRequestMatchers matchers(HttpSecurity http) {
		DdpRequestMatchers matchers = this.matchers;
		if (matchers == null) {
			ApplicationContext context = http.getSharedObject(ApplicationContext.class);
			matchers = (context != null)
					? context.getBeanProvider(DdpRequestMatchers.class).getIfUnique(DdpRequestMatchers::defaults)
					: DdpRequestMatchers.defaults();
			this.matchers = matchers;
		}
		return matchers;
	}

}
