package io.ddp.spring.autoconfigure.security;

import io.ddp.spring.accounts.DdpAccounts;
import io.ddp.spring.accounts.DdpUserStore;
import io.ddp.spring.autoconfigure.DdpAccountsAutoConfiguration;
import io.ddp.spring.autoconfigure.DdpServerAutoConfiguration;
import io.ddp.spring.autoconfigure.DdpServerProperties;
import io.ddp.spring.security.AccessDeniedDdpErrorSanitizer;
import io.ddp.spring.security.AuthenticationManagerDdpLoginHandler;
import io.ddp.spring.security.DdpAuthenticationArgumentResolver;
import io.ddp.spring.security.DdpAuthenticationResolver;
import io.ddp.spring.security.DdpConnectionAuthentication;
import io.ddp.spring.security.DdpHandshakeOriginFilter;
import io.ddp.spring.security.DdpRequestMatchers;
import io.ddp.spring.security.DdpSecurityConfigurer;
import io.ddp.spring.security.DefaultDdpAuthenticationResolver;
import io.ddp.spring.security.SecurityContextDdpServerObserver;
import io.ddp.spring.server.session.DdpServer;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.config.BeanPostProcessor;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.AnyNestedCondition;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.security.autoconfigure.web.servlet.SecurityFilterProperties;
import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Conditional;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.security.authentication.AuthenticationManager;
import org.springframework.security.config.Customizer;
import org.springframework.security.config.annotation.authentication.configuration.AuthenticationConfiguration;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.userdetails.UserDetailsService;
import org.springframework.security.web.SecurityFilterChain;

/**
 * {@link org.springframework.boot.autoconfigure.EnableAutoConfiguration
 * Auto-configuration} of Spring Security for the DDP server: each connection's
 * {@link Authentication} (from its handshake or its DDP login) in the security context
 * while its methods and publications run, {@code Authentication} and {@code Principal}
 * parameters, denials as DDP error 403, the DDP endpoints reachable and exempt from CSRF
 * under Spring Boot's default filter chain, the handshake's {@code Origin} check, and
 * optionally password logins through the application's {@link AuthenticationManager}.
 * Every bean backs off when the application defines its own.
 *
 * @since 0.1.0
 */
@AutoConfiguration(after = { DdpServerAutoConfiguration.class, DdpAccountsAutoConfiguration.class }, afterName = {
		"org.springframework.boot.security.autoconfigure.web.servlet.ServletWebSecurityAutoConfiguration",
		"org.springframework.boot.security.autoconfigure.actuate.web.servlet.ManagementWebSecurityAutoConfiguration" })
@ConditionalOnClass({ Authentication.class, SecurityContextDdpServerObserver.class })
@ConditionalOnBean(DdpServer.class)
@EnableConfigurationProperties(DdpSecurityProperties.class)
public final class DdpSecurityAutoConfiguration {

	@Bean
	@ConditionalOnMissingBean
	DdpAuthenticationResolver ddpAuthenticationResolver(ObjectProvider<DdpUserStore> users,
			ObjectProvider<UserDetailsService> userDetailsServices, DdpSecurityProperties properties) {
		return new DefaultDdpAuthenticationResolver(users.getIfUnique(), !properties.isHandshakeIdentity(),
				userDetailsServices.getIfUnique());
	}

	@Bean
	@ConditionalOnMissingBean
	SecurityContextDdpServerObserver ddpSecurityContextObserver(DdpAuthenticationResolver resolver) {
		return new SecurityContextDdpServerObserver(resolver);
	}

	@Bean
	@ConditionalOnMissingBean
	DdpAuthenticationArgumentResolver ddpAuthenticationArgumentResolver(DdpAuthenticationResolver resolver) {
		return new DdpAuthenticationArgumentResolver(resolver);
	}

	@Bean
	@ConditionalOnMissingBean
	AccessDeniedDdpErrorSanitizer ddpAccessDeniedErrorSanitizer() {
		return new AccessDeniedDdpErrorSanitizer();
	}

	@Bean
	@ConditionalOnMissingBean(name = "ddpHandshakeIdentityPostProcessor")
	@ConditionalOnBooleanProperty(name = "ddp.security.handshake-identity", matchIfMissing = true)
	static BeanPostProcessor ddpHandshakeIdentityPostProcessor() {
		return new BeanPostProcessor() {

			@Override
			public Object postProcessAfterInitialization(Object bean, String beanName) {
				if (bean instanceof DdpServer server) {
					server.setHandshakeUserId((connection) -> {
						Authentication handshake = DdpConnectionAuthentication.handshake(connection);
						return (handshake != null) ? handshake.getName() : null;
					});
				}
				return bean;
			}

		};
	}

	@Configuration(proxyBeanMethods = false)
	@ConditionalOnWebApplication(type = ConditionalOnWebApplication.Type.SERVLET)
	@ConditionalOnClass({ SecurityFilterChain.class, HttpSecurity.class, SecurityFilterProperties.class })
	static class DdpWebSecurityConfiguration {

		@Bean
		@ConditionalOnMissingBean
		DdpRequestMatchers ddpRequestMatchers(DdpServerProperties properties) {
			return DdpRequestMatchers.of(properties.getWebsocket().getPath(), properties.getSockjs().getPath());
		}

		@Bean
		@ConditionalOnMissingBean(name = "ddpHandshakeOriginFilter")
		FilterRegistrationBean<DdpHandshakeOriginFilter> ddpHandshakeOriginFilter(DdpRequestMatchers matchers,
				DdpSecurityProperties properties, ObjectProvider<SecurityFilterProperties> securityFilter) {
			DdpHandshakeOriginFilter filter = new DdpHandshakeOriginFilter(matchers.endpoints(),
					properties.getAllowedOrigins());
			FilterRegistrationBean<DdpHandshakeOriginFilter> registration = new FilterRegistrationBean<>(filter);
			// Right after Spring Security's filter, which sets the request's principal.
			int securityOrder = securityFilter.getIfAvailable(SecurityFilterProperties::new).getOrder();
			registration.setOrder((securityOrder < Ordered.LOWEST_PRECEDENCE) ? securityOrder + 1 : securityOrder);
			return registration;
		}

		/**
		 * Keeps Spring Boot's default filter chain (and Actuator's) for everything else:
		 * this chain matches only the DDP endpoints and comes first. Registered after
		 * theirs, so their "no SecurityFilterChain of the application" condition still
		 * holds; this one backs off as soon as the application has a chain of its own.
		 */
		@Bean
		@Order(SecurityFilterProperties.BASIC_AUTH_ORDER - 10)
		@Conditional(OnlySpringBootsDefaultSecurityFilterChains.class)
		SecurityFilterChain ddpSecurityFilterChain(HttpSecurity http, DdpRequestMatchers matchers) {
			// The configurer's rules (CSRF exemption, SockJS's iframe page framed by its
			// own
			// origin) with the same matchers, which it takes from the context.
			http.securityMatcher(matchers.endpoints())
				.with(DdpSecurityConfigurer.ddp(), Customizer.withDefaults())
				.authorizeHttpRequests((requests) -> requests.anyRequest().permitAll())
				.httpBasic(Customizer.withDefaults());
			return http.build();
		}

	}

	@Configuration(proxyBeanMethods = false)
	@ConditionalOnClass(AuthenticationConfiguration.class)
	@Conditional(AuthenticationManagerLoginsCondition.class)
	static class DdpAuthenticationManagerLoginConfiguration {

		@Bean
		@ConditionalOnMissingBean
		@Order(Ordered.HIGHEST_PRECEDENCE)
		AuthenticationManagerDdpLoginHandler ddpAuthenticationManagerLoginHandler(
				ObjectProvider<AuthenticationManager> managers,
				ObjectProvider<AuthenticationConfiguration> configuration, ObjectProvider<DdpUserStore> users) {
			// Looked up on the first login: the manager may depend on beans built later.
			AuthenticationManager lazy = (authentication) -> manager(managers, configuration)
				.authenticate(authentication);
			AuthenticationManagerDdpLoginHandler handler = new AuthenticationManagerDdpLoginHandler(lazy);
			handler.setUserStore(users.getIfUnique());
			return handler;
		}

		// The accounts' own password check would answer first, from its user store.
		@Bean
		@ConditionalOnMissingBean(name = "ddpBuiltInPasswordLoginsPostProcessor")
		static BeanPostProcessor ddpBuiltInPasswordLoginsPostProcessor() {
			return new BeanPostProcessor() {

				@Override
				public Object postProcessAfterInitialization(Object bean, String beanName) {
					if (bean instanceof DdpAccounts accounts) {
						accounts.setPasswordLoginHandler(null);
					}
					return bean;
				}

			};
		}

		private static AuthenticationManager manager(ObjectProvider<AuthenticationManager> managers,
				ObjectProvider<AuthenticationConfiguration> configuration) {
			AuthenticationManager manager = managers.getIfUnique();
			if (manager != null) {
				return manager;
			}
			AuthenticationConfiguration global = configuration.getIfAvailable();
			try {
				manager = (global != null) ? global.getAuthenticationManager() : null;
			}
			catch (Exception ex) {
				throw new IllegalStateException("Could not build Spring Security's AuthenticationManager", ex);
			}
			if (manager == null) {
				throw new IllegalStateException("ddp.security.authentication-manager-logins is on but there is no "
						+ "AuthenticationManager: define one, or a UserDetailsService bean");
			}
			return manager;
		}

	}

	static final class AuthenticationManagerLoginsCondition extends AnyNestedCondition {

		AuthenticationManagerLoginsCondition() {
			super(ConfigurationPhase.REGISTER_BEAN);
		}

		@ConditionalOnBooleanProperty("ddp.security.authentication-manager-logins")
		static class Enabled {

		}

		@ConditionalOnBean(AuthenticationManager.class)
		@ConditionalOnBooleanProperty(name = "ddp.security.authentication-manager-logins", matchIfMissing = true)
		static class ApplicationManager {

		}

	}

}
