package io.ddp.spring.autoconfigure;

import java.time.Duration;

import io.ddp.spring.accounts.DdpAccounts;
import io.ddp.spring.accounts.DdpLoginTokenStore;
import io.ddp.spring.accounts.DdpLoginTokenSweeper;
import io.ddp.spring.accounts.DdpUserStore;
import io.ddp.spring.accounts.InMemoryDdpLoginTokenStore;
import io.ddp.spring.accounts.InMemoryDdpUserStore;
import io.ddp.spring.server.method.DdpMethod;
import io.ddp.spring.server.method.DdpMethodRegistry;
import io.ddp.spring.server.publication.DdpPublicationRegistry;
import io.ddp.spring.server.ratelimit.DdpRateLimiter;
import org.junit.jupiter.api.Test;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.autoconfigure.task.TaskExecutionAutoConfiguration;
import org.springframework.boot.jackson.autoconfigure.JacksonAutoConfiguration;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.runner.WebApplicationContextRunner;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.security.crypto.password.NoOpPasswordEncoder;
import org.springframework.security.crypto.password.PasswordEncoder;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests for {@link DdpAccountsAutoConfiguration}.
 */
class DdpAccountsAutoConfigurationTests {

	private final WebApplicationContextRunner contextRunner = new WebApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(JacksonAutoConfiguration.class, TaskExecutionAutoConfiguration.class,
				DdpEjsonAutoConfiguration.class, DdpServerAutoConfiguration.class, DdpAccountsAutoConfiguration.class));

	@Test
	void accountsAreOnByDefaultWithMeteorsSettings() {
		this.contextRunner.run((context) -> {
			assertThat(context).hasSingleBean(DdpAccounts.class);
			assertThat(context).getBean(DdpUserStore.class).isInstanceOf(InMemoryDdpUserStore.class);
			assertThat(context).getBean(DdpLoginTokenStore.class).isInstanceOf(InMemoryDdpLoginTokenStore.class);
			// BCrypt inside the accounts, not a bean Spring Security would take too.
			assertThat(context).doesNotHaveBean(PasswordEncoder.class);
			assertThat(context).hasSingleBean(DdpLoginTokenSweeper.class);
			DdpAccounts accounts = context.getBean(DdpAccounts.class);
			assertThat(accounts.getLoginExpiration()).isEqualTo(Duration.ofDays(90));
			assertThat(accounts.isClientAccountCreation()).isFalse();
			assertThat(context.getBean(DdpMethodRegistry.class).names()).contains("login", "logout", "getNewToken",
					"removeOtherTokens", "createUser");
			assertThat(context.getBean(DdpPublicationRegistry.class).universal()).hasSize(1);
			assertThat(context.getBean(DdpRateLimiter.class).rules()).singleElement().satisfies((rule) -> {
				assertThat(rule.id()).isEqualTo(DdpAccounts.DEFAULT_RATE_LIMIT_RULE);
				assertThat(rule.numRequests()).isEqualTo(5);
				assertThat(rule.interval()).isEqualTo(Duration.ofSeconds(10));
				assertThat(rule.matcher()).isEqualTo("{type=method, name=(predicate), connectionId=(predicate)}");
			});
		});
	}

	@Test
	void propertiesTuneTheAccounts() {
		this.contextRunner
			.withPropertyValues("ddp.accounts.login-expiration=1h", "ddp.accounts.client-account-creation=true",
					"ddp.accounts.publish-current-user=false", "ddp.accounts.default-rate-limit=false")
			.run((context) -> {
				DdpAccounts accounts = context.getBean(DdpAccounts.class);
				assertThat(accounts.getLoginExpiration()).isEqualTo(Duration.ofHours(1));
				assertThat(accounts.isClientAccountCreation()).isTrue();
				assertThat(context.getBean(DdpPublicationRegistry.class).universal()).isEmpty();
				assertThat(context.getBean(DdpRateLimiter.class).rules()).isEmpty();
			});
	}

	@Test
	void theApplicationsStoresAndEncoderAreUsed() {
		this.contextRunner.withUserConfiguration(OwnBeans.class).run((context) -> {
			assertThat(context).getBean(DdpUserStore.class).isSameAs(context.getBean("myUsers"));
			assertThat(context).getBean(PasswordEncoder.class).isSameAs(context.getBean("myEncoder"));
			assertThat(context).hasSingleBean(DdpAccounts.class);
		});
	}

	@Test
	void disabledAccountsLeaveLoginToTheApplication() {
		this.contextRunner.withPropertyValues("ddp.accounts.enabled=false")
			.withUserConfiguration(OwnLogin.class)
			.run((context) -> {
				assertThat(context).hasNotFailed();
				assertThat(context).doesNotHaveBean(DdpAccounts.class);
				assertThat(context.getBean(DdpMethodRegistry.class).names()).containsExactly("login");
			});
	}

	@Test
	void anOwnLoginMethodWhileAccountsAreOnFailsTheStartupNamingTheProperty() {
		this.contextRunner.withUserConfiguration(OwnLogin.class).run((context) -> {
			assertThat(context).hasFailed();
			assertThat(context.getStartupFailure()).hasMessageContaining("'login'")
				.hasMessageContaining("ddp.accounts.enabled=false");
		});
	}

	@Test
	void withoutSpringSecurityCryptoThereAreNoAccounts() {
		this.contextRunner.withClassLoader(new FilteredClassLoader(PasswordEncoder.class)).run((context) -> {
			assertThat(context).hasNotFailed();
			assertThat(context).doesNotHaveBean(DdpAccounts.class);
		});
	}

	@Configuration(proxyBeanMethods = false)
	static class OwnBeans {

		@Bean
		DdpUserStore myUsers() {
			return new InMemoryDdpUserStore();
		}

		@Bean
		@SuppressWarnings("deprecation")
		PasswordEncoder myEncoder() {
			return NoOpPasswordEncoder.getInstance();
		}

	}

	@Configuration(proxyBeanMethods = false)
	static class OwnLogin {

		@Bean
		LoginMethod loginMethod() {
			return new LoginMethod();
		}

	}

	static class LoginMethod {

		@DdpMethod
		public String login(String name) {
			return name;
		}

	}

}
