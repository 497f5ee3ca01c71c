package io.ddp.spring.autoconfigure.security;

import io.ddp.spring.accounts.DdpLoginRequest;
import io.ddp.spring.accounts.DdpLoginResult;
import io.ddp.spring.autoconfigure.DdpEjsonAutoConfiguration;
import io.ddp.spring.autoconfigure.DdpObservationAutoConfiguration;
import io.ddp.spring.autoconfigure.DdpServerAutoConfiguration;
import io.ddp.spring.observation.ObservationDdpServerObserver;
import io.ddp.spring.security.AccessDeniedDdpErrorSanitizer;
import io.ddp.spring.security.AuthenticationManagerDdpLoginHandler;
import io.ddp.spring.security.DdpAuthenticationArgumentResolver;
import io.ddp.spring.security.DdpAuthenticationResolver;
import io.ddp.spring.security.DdpHandshakeOriginFilter;
import io.ddp.spring.security.DdpRequestMatchers;
import io.ddp.spring.security.SecurityContextDdpServerObserver;
import io.ddp.spring.server.DdpServerObserver;
import io.ddp.spring.server.session.DdpServer;
import io.ddp.spring.server.testing.TestClientConnection;
import io.micrometer.observation.ObservationRegistry;
import io.micrometer.observation.tck.TestObservationRegistry;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.autoconfigure.task.TaskExecutionAutoConfiguration;
import org.springframework.boot.jackson.autoconfigure.JacksonAutoConfiguration;
import org.springframework.boot.security.autoconfigure.SecurityAutoConfiguration;
import org.springframework.boot.security.autoconfigure.UserDetailsServiceAutoConfiguration;
import org.springframework.boot.security.autoconfigure.web.servlet.ServletWebSecurityAutoConfiguration;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.runner.WebApplicationContextRunner;
import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.security.authentication.AuthenticationManager;
import org.springframework.security.authentication.TestingAuthenticationToken;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.core.Authentication;
import org.springframework.security.web.SecurityFilterChain;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests for {@link DdpSecurityAutoConfiguration}.
 */
class DdpSecurityAutoConfigurationTests {

	private final WebApplicationContextRunner contextRunner = new WebApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(JacksonAutoConfiguration.class, TaskExecutionAutoConfiguration.class,
				DdpEjsonAutoConfiguration.class, DdpServerAutoConfiguration.class, SecurityAutoConfiguration.class,
				UserDetailsServiceAutoConfiguration.class, ServletWebSecurityAutoConfiguration.class,
				DdpSecurityAutoConfiguration.class));

	@Test
	void securityBeansAndTheDdpChainNextToSpringBootsDefaultChain() {
		this.contextRunner.run((context) -> {
			assertThat(context).hasSingleBean(DdpAuthenticationResolver.class);
			assertThat(context).hasSingleBean(SecurityContextDdpServerObserver.class);
			assertThat(context).hasSingleBean(DdpAuthenticationArgumentResolver.class);
			assertThat(context).hasSingleBean(AccessDeniedDdpErrorSanitizer.class);
			assertThat(context).hasSingleBean(DdpRequestMatchers.class);
			assertThat(context).hasBean("ddpHandshakeOriginFilter");
			assertThat(context.getBean("ddpHandshakeOriginFilter", FilterRegistrationBean.class).getFilter())
				.isInstanceOf(DdpHandshakeOriginFilter.class);
			assertThat(context).hasBean("ddpSecurityFilterChain").hasBean("defaultSecurityFilterChain");
			assertThat(context).doesNotHaveBean(AuthenticationManagerDdpLoginHandler.class);
			assertThat(context.getBean(DdpServer.class).observer())
				.isSameAs(context.getBean(SecurityContextDdpServerObserver.class));
		});
	}

	@Test
	void theSecurityObserverComposesWithTheObservationOne() {
		this.contextRunner.withConfiguration(AutoConfigurations.of(DdpObservationAutoConfiguration.class))
			.withBean(ObservationRegistry.class, TestObservationRegistry::create)
			.run((context) -> {
				assertThat(context).hasSingleBean(ObservationDdpServerObserver.class);
				assertThat(context.getBean(DdpServer.class).observer())
					.isInstanceOf(DdpServerObserver.CompositeDdpServerObserver.class);
			});
	}

	@Test
	void anApplicationChainKeepsFullControl() {
		this.contextRunner.withUserConfiguration(ApplicationChain.class).run((context) -> {
			assertThat(context).doesNotHaveBean("ddpSecurityFilterChain");
			assertThat(context).doesNotHaveBean("defaultSecurityFilterChain");
			assertThat(context).hasSingleBean(SecurityFilterChain.class);
		});
	}

	@Test
	void everyBeanIsReplaceable() {
		DdpAuthenticationResolver resolver = (connection) -> new TestingAuthenticationToken("x", null);
		DdpRequestMatchers matchers = DdpRequestMatchers.of("/ddp", "/ddp-sockjs");
		this.contextRunner.withBean(DdpAuthenticationResolver.class, () -> resolver)
			.withBean(DdpRequestMatchers.class, () -> matchers)
			.run((context) -> {
				assertThat(context.getBean(DdpAuthenticationResolver.class)).isSameAs(resolver);
				assertThat(context.getBean(DdpRequestMatchers.class)).isSameAs(matchers);
			});
	}

	@Test
	void handshakeIdentityCanBeSwitchedOff() {
		this.contextRunner.run((context) -> assertThat(context).hasBean("ddpHandshakeIdentityPostProcessor"));
		this.contextRunner.withPropertyValues("ddp.security.handshake-identity=false")
			.run((context) -> assertThat(context).doesNotHaveBean("ddpHandshakeIdentityPostProcessor"));
	}

	@Test
	void authenticationManagerLoginsWhenTheApplicationHasAManager() {
		this.contextRunner.withBean(AuthenticationManager.class, () -> (authentication) -> authentication)
			.run((context) -> assertThat(context).hasSingleBean(AuthenticationManagerDdpLoginHandler.class));
	}

	@Test
	void authenticationManagerLoginsSwitchedOffDespiteAManager() {
		this.contextRunner.withBean(AuthenticationManager.class, () -> (authentication) -> authentication)
			.withPropertyValues("ddp.security.authentication-manager-logins=false")
			.run((context) -> assertThat(context).doesNotHaveBean(AuthenticationManagerDdpLoginHandler.class));
	}

	@Test
	void authenticationManagerLoginsSwitchedOnUseSpringSecuritysGlobalManager() {
		this.contextRunner
			.withPropertyValues("ddp.security.authentication-manager-logins=true", "spring.security.user.name=ada",
					"spring.security.user.password=pw")
			.run((context) -> {
				AuthenticationManagerDdpLoginHandler handler = context
					.getBean(AuthenticationManagerDdpLoginHandler.class);
				DdpLoginResult right = handler.login(request("{\"user\":\"ada\",\"password\":\"pw\"}"));
				assertThat(right).isNotNull();
				assertThat(right.userId()).isEqualTo("ada");
				DdpLoginResult wrong = handler.login(request("{\"user\":\"ada\",\"password\":\"no\"}"));
				assertThat(wrong).isNotNull();
				assertThat(wrong.succeeded()).isFalse();
			});
	}

	@Test
	void nothingWithoutSpringSecurity() {
		this.contextRunner.withClassLoader(new FilteredClassLoader(Authentication.class)).run((context) -> {
			assertThat(context).hasSingleBean(DdpServer.class);
			assertThat(context).doesNotHaveBean(SecurityContextDdpServerObserver.class);
		});
	}

	private static DdpLoginRequest request(String options) {
		return new DdpLoginRequest((ObjectNode) JsonMapper.builder().build().readTree(options),
				new TestClientConnection());
	}

	@org.springframework.context.annotation.Configuration(proxyBeanMethods = false)
	static class ApplicationChain {

		@org.springframework.context.annotation.Bean
		SecurityFilterChain applicationChain(HttpSecurity http) {
			return http.authorizeHttpRequests((requests) -> requests.anyRequest().authenticated()).build();
		}

	}

}
