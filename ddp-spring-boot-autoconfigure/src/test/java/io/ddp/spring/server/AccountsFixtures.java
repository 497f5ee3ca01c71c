package io.ddp.spring.server;

import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

import io.ddp.spring.accounts.DdpAccounts;
import io.ddp.spring.accounts.DdpLoginHandler;
import io.ddp.spring.accounts.DdpLoginResult;
import io.ddp.spring.accounts.DdpLoginValidator;
import io.ddp.spring.protocol.DdpException;
import tools.jackson.databind.JsonNode;

import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.context.ApplicationEvent;
import org.springframework.context.annotation.Bean;
import org.springframework.context.event.EventListener;
import org.springframework.security.crypto.bcrypt.BCryptPasswordEncoder;
import org.springframework.security.crypto.password.PasswordEncoder;

/**
 * Users, a validator, an event recorder and a password encoder that counts its checks,
 * for the accounts tests.
 */
@TestConfiguration(proxyBeanMethods = false)
class AccountsFixtures {

	@Bean
	CountingPasswordEncoder passwordEncoder() {
		return new CountingPasswordEncoder();
	}

	@Bean
	Users users(DdpAccounts accounts) {
		accounts.newUser()
			.id("alice-id")
			.username("alice")
			.email("alice@example.com")
			.password("secret")
			.roles("USER")
			.profile(Map.of("name", "Alice"))
			.create();
		accounts.newUser().id("bob-id").username("Bob").password("bobpw").create();
		accounts.newUser().id("banned-id").username("banned").password("pw").create();
		accounts.newUser().id("locked-id").username("locked").password("pw").create();
		accounts.newUser().id("nopass-id").username("nopass").create();
		return new Users();
	}

	@Bean
	DdpLoginValidator bannedAndLocked() {
		return (attempt) -> {
			if (attempt.userId().equals("locked-id")) {
				throw new DdpException(403, "Account locked");
			}
			return !attempt.userId().equals("banned-id");
		};
	}

	// A login type of the application's own: {"code": "<one-time code>"}.
	@Bean
	DdpLoginHandler codeLogin() {
		return (request) -> {
			JsonNode code = request.options().get("code");
			if (code == null || request.options().has("password")) {
				return null;
			}
			return "123456".equals(code.asString()) ? DdpLoginResult.success("code", "bob-id")
					: DdpLoginResult.failure("code", null, new DdpException(403, "Invalid code"));
		};
	}

	@Bean
	Events events() {
		return new Events();
	}

	record Users() {
	}

	static class Events {

		final List<ApplicationEvent> received = new CopyOnWriteArrayList<>();

		@EventListener({ io.ddp.spring.accounts.DdpLoginEvent.class, io.ddp.spring.accounts.DdpLoginFailureEvent.class,
				io.ddp.spring.accounts.DdpLogoutEvent.class })
		void on(ApplicationEvent event) {
			this.received.add(event);
		}

	}

	static class CountingPasswordEncoder implements PasswordEncoder {

		final AtomicInteger checks = new AtomicInteger();

		private final BCryptPasswordEncoder delegate = new BCryptPasswordEncoder();

		@Override
		public String encode(CharSequence rawPassword) {
			return this.delegate.encode(rawPassword);
		}

		@Override
		public boolean matches(CharSequence rawPassword, String encodedPassword) {
			this.checks.incrementAndGet();
			return this.delegate.matches(rawPassword, encodedPassword);
		}

	}

}
