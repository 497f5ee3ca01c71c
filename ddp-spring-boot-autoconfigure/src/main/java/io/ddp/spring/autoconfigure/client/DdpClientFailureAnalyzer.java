package io.ddp.spring.autoconfigure.client;

import java.lang.reflect.AnnotatedElement;
import java.lang.reflect.Constructor;
import java.lang.reflect.Member;
import java.util.List;

import io.ddp.spring.client.DdpClient;
import io.ddp.spring.client.NoSuchDdpConnectionException;
import org.jspecify.annotations.Nullable;

import org.springframework.beans.factory.InjectionPoint;
import org.springframework.beans.factory.NoSuchBeanDefinitionException;
import org.springframework.beans.factory.NoUniqueBeanDefinitionException;
import org.springframework.beans.factory.UnsatisfiedDependencyException;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.diagnostics.FailureAnalysis;
import org.springframework.boot.diagnostics.FailureAnalyzer;
import org.springframework.core.MethodParameter;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.MergedAnnotation;
import org.springframework.core.annotation.MergedAnnotations;
import org.springframework.core.env.Environment;

/**
 * Explains startup failures of the DDP client configuration: a connection asked for by a
 * name that is not configured (an {@code @DdpClient("name")} injection point or a
 * declarative service), and a connection configured without a URL. Runs ahead of Boot's
 * generic "required a bean" analysis.
 *
 * @since 0.1.0
 */
class DdpClientFailureAnalyzer implements FailureAnalyzer, Ordered {

	private final @Nullable Environment environment;

	DdpClientFailureAnalyzer(@Nullable Environment environment) {
		this.environment = environment;
	}

	@Override
	public @Nullable FailureAnalysis analyze(Throwable failure) {
		for (Throwable cause = failure; cause != null; cause = (cause.getCause() != cause) ? cause.getCause() : null) {
			if (cause instanceof MissingDdpConnectionUrlException missing) {
				return missingUrl(missing);
			}
			if (cause instanceof NoSuchDdpConnectionException unknown) {
				return unknownConnection(unknown.getMessage() + ".", unknown.getConnectionName(), cause);
			}
			if (cause instanceof UnsatisfiedDependencyException unsatisfied) {
				FailureAnalysis analysis = analyzeInjectionPoint(unsatisfied);
				if (analysis != null) {
					return analysis;
				}
			}
		}
		return null;
	}

	private FailureAnalysis missingUrl(MissingDdpConnectionUrlException ex) {
		String description = String.format("DDP connection '%s' is configured without a URL: '%s' is not set.",
				ex.getConnectionName(), ex.getProperty());
		String action = String.format(
				"Set '%s' to the server's URL, e.g. ws://127.0.0.1:3000/websocket "
						+ "(or http://127.0.0.1:3000/sockjs with transport 'sockjs'), or remove the connection.",
				ex.getProperty());
		return new FailureAnalysis(description, action, ex);
	}

	private @Nullable FailureAnalysis analyzeInjectionPoint(UnsatisfiedDependencyException ex) {
		InjectionPoint injectionPoint = ex.getInjectionPoint();
		if (injectionPoint == null || !(ex.getCause() instanceof NoSuchBeanDefinitionException cause)
				|| cause instanceof NoUniqueBeanDefinitionException) {
			return null;
		}
		MergedAnnotation<DdpClient> qualifier = ddpClient(injectionPoint);
		if (!qualifier.isPresent()) {
			return null;
		}
		String name = qualifier.getString("value");
		String description = String.format(
				"%s required the DDP connection '%s', but 'ddp.client.connections.%s.url' " + "is not configured.",
				describe(injectionPoint), name, name);
		return unknownConnection(description, name, ex);
	}

	private MergedAnnotation<DdpClient> ddpClient(InjectionPoint injectionPoint) {
		MergedAnnotation<DdpClient> onPoint = MergedAnnotations.from(injectionPoint.getAnnotations())
			.get(DdpClient.class);
		if (onPoint.isPresent() || injectionPoint.getMethodParameter() == null) {
			return onPoint;
		}
		// A qualifier on a setter method applies to its parameter.
		return MergedAnnotations.from((AnnotatedElement) injectionPoint.getMember()).get(DdpClient.class);
	}

	private FailureAnalysis unknownConnection(String description, String name, Throwable cause) {
		List<String> configured = configuredNames();
		StringBuilder action = new StringBuilder();
		action.append(String.format("Configure the connection, for example in application.yml:%n%n"
				+ "\tddp:%n\t  client:%n\t    connections:%n\t      %s:%n\t        url: ws://127.0.0.1:3000/websocket%n%n",
				name));
		if (configured.isEmpty()) {
			action.append("No DDP connection is configured under 'ddp.client.connections'.");
		}
		else {
			action.append("or use one of the configured connections: ")
				.append(String.join(", ", configured))
				.append('.');
		}
		return new FailureAnalysis(description, action.toString(), cause);
	}

	private List<String> configuredNames() {
		if (this.environment == null) {
			return List.of();
		}
		try {
			return Binder.get(this.environment)
				.bind(DdpClientOptionsMapper.PREFIX, DdpClientProperties.class)
				.map((properties) -> List.copyOf(properties.getConnections().keySet()))
				.orElse(List.of());
		}
		catch (RuntimeException ex) {
			// Only a hint for the message; the failure being analyzed matters more.
			return List.of();
		}
	}

	private static String describe(InjectionPoint injectionPoint) {
		Member member = injectionPoint.getMember();
		String type = member.getDeclaringClass().getName();
		MethodParameter parameter = injectionPoint.getMethodParameter();
		if (parameter == null) {
			return String.format("Field '%s' in %s", member.getName(), type);
		}
		if (member instanceof Constructor<?>) {
			return String.format("Parameter %d of constructor in %s", parameter.getParameterIndex(), type);
		}
		return String.format("Parameter %d of method '%s' in %s", parameter.getParameterIndex(), member.getName(),
				type);
	}

	@Override
	public int getOrder() {
		return Ordered.HIGHEST_PRECEDENCE;
	}

}
