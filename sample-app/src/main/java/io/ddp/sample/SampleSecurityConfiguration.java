package io.ddp.sample;

import io.ddp.spring.security.DdpSecurityConfigurer;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.http.HttpMethod;
import org.springframework.security.config.Customizer;
import org.springframework.security.config.annotation.method.configuration.EnableMethodSecurity;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.web.SecurityFilterChain;

/**
 * The sample's own Spring Security setup, in every profile. DDP clients need no HTTP
 * login: the DDP endpoints are open ({@link DdpSecurityConfigurer}) and users log in over
 * DDP, or arrive with the session cookie of a form login. The page at the root (its
 * {@code index.html} and {@code assets}, logging in over DDP itself) and reading the
 * health, metrics and ddp actuator endpoints need no login either, so that probes and the
 * README's examples work; everything else (closing a session through the ddp endpoint,
 * for one) needs Spring Boot's generated user. Method security guards DDP methods such as
 * the conformance fixture's {@code adminOnly}.
 */
@Configuration(proxyBeanMethods = false)
@EnableMethodSecurity(securedEnabled = true)
public class SampleSecurityConfiguration {

	@Bean
	SecurityFilterChain sampleSecurityFilterChain(HttpSecurity http) {
		http.with(DdpSecurityConfigurer.ddp(), Customizer.withDefaults())
			.authorizeHttpRequests((requests) -> requests.requestMatchers("/", "/index.html", "/assets/**", "/error")
				.permitAll()
				.requestMatchers(HttpMethod.GET, "/actuator/health/**", "/actuator/metrics/**", "/actuator/ddp/**")
				.permitAll()
				.anyRequest()
				.authenticated())
			.formLogin(Customizer.withDefaults())
			.httpBasic(Customizer.withDefaults());
		return http.build();
	}

}
