package io.ddp.spring.autoconfigure.security;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;

import org.springframework.beans.factory.config.ConfigurableListableBeanFactory;
import org.springframework.boot.autoconfigure.condition.ConditionOutcome;
import org.springframework.boot.autoconfigure.condition.SpringBootCondition;
import org.springframework.context.annotation.ConditionContext;
import org.springframework.core.type.AnnotatedTypeMetadata;
import org.springframework.security.web.SecurityFilterChain;
import org.springframework.util.Assert;

/**
 * Matches when Spring Boot's default filter chain (or Actuator's replacement of it) is in
 * effect: every {@link SecurityFilterChain} bean is one of theirs, and there is one. The
 * application's own chain means it keeps full control.
 */
class OnlySpringBootsDefaultSecurityFilterChains extends SpringBootCondition {

	private static final Set<String> SPRING_BOOTS = Set.of("defaultSecurityFilterChain",
			"managementSecurityFilterChain");

	@Override
	public ConditionOutcome getMatchOutcome(ConditionContext context, AnnotatedTypeMetadata metadata) {
		ConfigurableListableBeanFactory beanFactory = context.getBeanFactory();
		Assert.state(beanFactory != null, "A bean factory is needed to look for filter chains");
		String[] names = beanFactory.getBeanNamesForType(SecurityFilterChain.class, true, false);
		List<String> applications = new ArrayList<>();
		for (String name : names) {
			if (!SPRING_BOOTS.contains(name)) {
				applications.add(name);
			}
		}
		if (!applications.isEmpty()) {
			return ConditionOutcome.noMatch("the application has its own SecurityFilterChain " + applications);
		}
		if (names.length == 0) {
			return ConditionOutcome.noMatch("no SecurityFilterChain of Spring Boot's");
		}
		return ConditionOutcome.match("only Spring Boot's default SecurityFilterChain");
	}

}
