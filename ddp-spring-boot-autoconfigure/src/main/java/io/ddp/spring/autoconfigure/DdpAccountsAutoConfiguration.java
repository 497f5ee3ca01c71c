package io.ddp.spring.autoconfigure;

import io.ddp.spring.accounts.DdpAccounts;
import io.ddp.spring.accounts.DdpLoginHandler;
import io.ddp.spring.accounts.DdpLoginTokenStore;
import io.ddp.spring.accounts.DdpLoginTokenSweeper;
import io.ddp.spring.accounts.DdpLoginValidator;
import io.ddp.spring.accounts.DdpUserStore;
import io.ddp.spring.accounts.InMemoryDdpLoginTokenStore;
import io.ddp.spring.accounts.InMemoryDdpUserStore;
import io.ddp.spring.server.method.DdpMethodRegistry;
import io.ddp.spring.server.publication.DdpPublicationRegistry;
import io.ddp.spring.server.ratelimit.DdpRateLimiter;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.SmartInitializingSingleton;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.context.annotation.Bean;
import org.springframework.security.crypto.bcrypt.BCryptPasswordEncoder;
import org.springframework.security.crypto.password.PasswordEncoder;

/**
 * {@link org.springframework.boot.autoconfigure.EnableAutoConfiguration
 * Auto-configuration} for Meteor's accounts over DDP: the {@code login}, {@code logout},
 * {@code getNewToken}, {@code removeOtherTokens} and {@code createUser} methods, users
 * and resume tokens in memory unless the application defines stores, BCrypt password
 * hashes, the current user's publication and the default rate limit. Every bean backs off
 * when the application defines its own.
 *
 * @since 0.1.0
 */
@AutoConfiguration(after = DdpServerAutoConfiguration.class)
@ConditionalOnClass({ DdpAccounts.class, PasswordEncoder.class })
@ConditionalOnBean(DdpMethodRegistry.class)
@ConditionalOnBooleanProperty(name = "ddp.accounts.enabled", matchIfMissing = true)
@EnableConfigurationProperties(DdpAccountsProperties.class)
public final class DdpAccountsAutoConfiguration {

	@Bean
	@ConditionalOnMissingBean
	DdpUserStore ddpUserStore() {
		return new InMemoryDdpUserStore();
	}

	@Bean
	@ConditionalOnMissingBean
	DdpLoginTokenStore ddpLoginTokenStore() {
		return new InMemoryDdpLoginTokenStore();
	}

	@Bean(destroyMethod = "close")
	@ConditionalOnMissingBean
	DdpAccounts ddpAccounts(DdpUserStore users, DdpLoginTokenStore tokens,
			ObjectProvider<PasswordEncoder> passwordEncoders, DdpAccountsProperties properties,
			ObjectProvider<DdpLoginHandler> loginHandlers, ObjectProvider<DdpLoginValidator> loginValidators,
			ApplicationEventPublisher eventPublisher) {
		// The application's encoder if it has one; BCrypt otherwise, but not as a bean:
		// Spring Security would take a PasswordEncoder bean for its own users too, and
		// BCrypt refuses their {noop} passwords and Spring Boot's default user.
		PasswordEncoder passwordEncoder = passwordEncoders.getIfUnique(BCryptPasswordEncoder::new);
		DdpAccounts accounts = new DdpAccounts(users, tokens, passwordEncoder);
		accounts.setLoginExpiration(properties.getLoginExpiration());
		accounts.setClientAccountCreation(properties.isClientAccountCreation());
		accounts.setAmbiguousErrorMessages(properties.isAmbiguousErrorMessages());
		accounts.setLoginHandlers(loginHandlers.orderedStream().toList());
		accounts.setLoginValidators(loginValidators.orderedStream().toList());
		accounts.setApplicationEventPublisher(eventPublisher);
		return accounts;
	}

	@Bean
	@ConditionalOnMissingBean
	DdpLoginTokenSweeper ddpLoginTokenSweeper(DdpAccounts accounts, DdpAccountsProperties properties) {
		return new DdpLoginTokenSweeper(accounts, properties.getTokenSweepInterval());
	}

	// After every singleton, so that an application's own 'login' is registered by then
	// and the failure names the property.
	@Bean
	SmartInitializingSingleton ddpAccountsRegistrar(DdpAccounts accounts, DdpMethodRegistry methods,
			DdpPublicationRegistry publications, ObjectProvider<DdpRateLimiter> rateLimiter,
			DdpAccountsProperties properties) {
		return () -> {
			accounts.registerMethods(methods);
			if (properties.isPublishCurrentUser()) {
				accounts.publishCurrentUser(publications);
			}
			if (properties.isDefaultRateLimit()) {
				rateLimiter.ifAvailable(accounts::addDefaultRateLimit);
			}
		};
	}

}
