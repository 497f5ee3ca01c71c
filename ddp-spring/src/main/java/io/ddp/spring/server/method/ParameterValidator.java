package io.ddp.spring.server.method;

import java.lang.reflect.Method;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import io.ddp.spring.protocol.DdpException;
import org.jspecify.annotations.Nullable;

/**
 * Bean Validation of a handler's parameters; violations become 400 {@code Match failed}
 * with the violations in {@code details}. Kept behind an interface so the validation API
 * stays optional.
 *
 * @since 0.1.0
 */
@FunctionalInterface
public interface ParameterValidator {

	/**
	 * Validate the arguments of a call.
	 * @param bean the bean
	 * @param method the method
	 * @param arguments the bound arguments
	 * @throws DdpException 400 {@code Match failed} on violations
	 */
	void validate(Object bean, Method method, @Nullable Object[] arguments);

	/**
	 * Adapt a Bean Validation validator.
	 * @param validator the validator
	 * @return the parameter validator
	 */
	static ParameterValidator of(jakarta.validation.Validator validator) {
		return (bean, method, arguments) -> {
			Set<? extends jakarta.validation.ConstraintViolation<?>> violations = validator.forExecutables()
				.validateParameters(bean, method, arguments);
			if (!violations.isEmpty()) {
				throw matchFailed(violations);
			}
		};
	}

	private static DdpException matchFailed(Set<? extends jakarta.validation.ConstraintViolation<?>> violations) {
		List<jakarta.validation.ConstraintViolation<?>> sorted = new ArrayList<>(violations);
		sorted.sort(Comparator.comparing((violation) -> violation.getPropertyPath().toString()));
		List<Map<String, String>> details = new ArrayList<>(sorted.size());
		for (jakarta.validation.ConstraintViolation<?> violation : sorted) {
			Map<String, String> entry = new LinkedHashMap<>();
			entry.put("path", violation.getPropertyPath().toString());
			entry.put("message", violation.getMessage());
			details.add(entry);
		}
		return new DdpException(400, "Match failed", details);
	}

}
