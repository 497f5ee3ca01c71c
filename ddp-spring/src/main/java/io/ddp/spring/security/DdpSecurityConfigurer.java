package io.ddp.spring.security;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.jspecify.annotations.Nullable;

import org.springframework.context.ApplicationContext;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.config.annotation.web.configurers.AbstractHttpConfigurer;
import org.springframework.security.config.annotation.web.configurers.CsrfConfigurer;
import org.springframework.security.config.annotation.web.configurers.HeadersConfigurer;
import org.springframework.security.web.header.HeaderWriter;
import org.springframework.security.web.header.writers.frameoptions.XFrameOptionsHeaderWriter;
import org.springframework.security.web.util.matcher.RequestMatcher;

/**
 * Applies the DDP rules to an application's own {@code SecurityFilterChain}: the DDP
 * endpoints are reachable without HTTP authentication (clients log in over DDP; a
 * handshake that carries a session cookie, basic credentials or a bearer token is still
 * authenticated by the chain), SockJS's POST transports are exempt from CSRF, and
 * SockJS's iframe page may be framed by pages of its own origin ({@code X-Frame-Options:
 * SAMEORIGIN}, which its iframe transports need) while the chain's frame options
 * ({@code DENY} by default) stay on every other response.
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
		HeadersConfigurer<HttpSecurity> headers = http.getConfigurer(HeadersConfigurer.class);
		if (headers != null) {
			headers.addHeaderWriter(new SameOriginFrameHeaderWriter(matchers(http).sockJsIframe()));
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

	/**
	 * Sets {@code X-Frame-Options: SAMEORIGIN} on SockJS's iframe page, replacing what
	 * the chain's frame options (or Spring's SockJS service) wrote: a header writer runs
	 * when the response is committed, in the order of the chain's writers, so replacing
	 * rather than adding keeps the result independent of that order and leaves one value.
	 */
	private static final class SameOriginFrameHeaderWriter implements HeaderWriter {

		private final RequestMatcher iframe;

		SameOriginFrameHeaderWriter(RequestMatcher iframe) {
			this.iframe = iframe;
		}

		@Override
		public void writeHeaders(HttpServletRequest request, HttpServletResponse response) {
			if (this.iframe.matches(request)) {
				response.setHeader(XFrameOptionsHeaderWriter.XFRAME_OPTIONS_HEADER, "SAMEORIGIN");
			}
		}

	}

}
